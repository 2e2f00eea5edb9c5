/**
 * Invoices whose agreement was cancelled or changed after the invoice closed in ConnectWise: the
 * GL entries the batch posts were frozen at close, so such an invoice may no longer match what the
 * customer's agreement now says. Flagged in the batch report, never blocking: ConnectWise's closed
 * invoice is what posts. Pure: the facts come from ConnectWise's documented agreement fields.
 */
import type { RecordRef } from './contract/activities';

export interface AgreementFact {
  id: number;
  name: string;
  cancelled: boolean;
  /** ISO date-times as ConnectWise sends them. */
  dateCancelled?: string;
  reasonCancelled?: string;
  /** `agreementStatus`: Active, Cancelled, Expired or Inactive. */
  status?: string;
  lastUpdated?: string;
  endDate?: string;
  billAmount?: number;
}

/** An invoice of this batch and the agreement it bills. */
export interface AgreementInvoiceFact {
  ref: RecordRef;
  agreementId: number;
  /** When ConnectWise closed the invoice (its GL entries were frozen then). */
  dateClosed?: string;
}

export interface StaleRecord {
  kind: RecordRef['kind'];
  id: string;
  number: string;
  agreement: string;
  /** What changed, with dates: "cancelled on 2026-11-20 (reason ...)" or "changed on ...". */
  change: string;
  fix: string;
}

const day = (iso: string | undefined) => iso?.slice(0, 10);
const after = (a: string | undefined, b: string | undefined) => !!a && !!b && Date.parse(a) > Date.parse(b);

function nowSays(a: AgreementFact): string {
  const parts = [a.status && `status ${a.status}`, a.billAmount !== undefined && `bill amount ${a.billAmount.toFixed(2)}`, a.endDate && `ends ${day(a.endDate)}`];
  return parts.filter(Boolean).join(', ');
}

/** One finding per invoice whose agreement was cancelled or edited after the invoice closed. */
export function staleAgreementRecords(invoices: readonly AgreementInvoiceFact[], agreements: ReadonlyMap<number, AgreementFact>): StaleRecord[] {
  const out: StaleRecord[] = [];
  for (const inv of invoices) {
    const a = agreements.get(inv.agreementId);
    if (!a || !inv.dateClosed) continue;
    const closed = `after the invoice closed on ${day(inv.dateClosed)}`;
    const label = `"${a.name}" (id ${a.id})`;
    const cancelled = a.cancelled || a.status === 'Cancelled';
    if (cancelled && (after(a.dateCancelled, inv.dateClosed) || (!a.dateCancelled && after(a.lastUpdated, inv.dateClosed)))) {
      out.push({
        kind: inv.ref.kind,
        id: inv.ref.id,
        number: inv.ref.number,
        agreement: label,
        change: `cancelled on ${day(a.dateCancelled ?? a.lastUpdated)}${a.reasonCancelled ? ` (reason: ${a.reasonCancelled})` : ''} ${closed}`,
        fix: `Check invoice ${inv.ref.number} against the cancellation of agreement ${label} (its Audit Trail tab in ConnectWise): the invoice posts as ConnectWise closed it; if the customer should not be billed for it, issue a credit memo in ConnectWise, which the next batch posts.`,
      });
    } else if (after(a.lastUpdated, inv.dateClosed)) {
      const now = nowSays(a);
      out.push({
        kind: inv.ref.kind,
        id: inv.ref.id,
        number: inv.ref.number,
        agreement: label,
        change: `changed on ${day(a.lastUpdated)} ${closed}${now ? `; it now says ${now}` : ''}`,
        fix: `Compare invoice ${inv.ref.number} with agreement ${label} (its Audit Trail tab in ConnectWise shows what changed): the invoice posts as ConnectWise closed it; if it no longer matches, bill or credit the difference in ConnectWise (a new invoice or a credit memo), which the next batch posts.`,
      });
    }
  }
  return out;
}
