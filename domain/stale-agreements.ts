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

/** What a finding names of its invoice. */
type InvoiceNamed = Pick<RecordRef, 'kind' | 'id' | 'number'>;

const isCancelled = (a: AgreementFact) => a.cancelled || a.status === 'Cancelled';

/** The finding for one invoice whose agreement changed; `when` says what the change came after. */
function finding(ref: InvoiceNamed, a: AgreementFact, when: string, cancelled = isCancelled(a), posts = 'posts'): StaleRecord {
  const label = `"${a.name}" (id ${a.id})`;
  const base = { kind: ref.kind, id: ref.id, number: ref.number, agreement: label };
  if (cancelled) {
    return {
      ...base,
      change: `cancelled on ${day(a.dateCancelled ?? a.lastUpdated)}${a.reasonCancelled ? ` (reason: ${a.reasonCancelled})` : ''} ${when}`,
      fix: `Check invoice ${ref.number} against the cancellation of agreement ${label} (its Audit Trail tab in ConnectWise): the invoice ${posts} as ConnectWise closed it; if the customer should not be billed for it, issue a credit memo in ConnectWise, which the next batch posts.`,
    };
  }
  const now = nowSays(a);
  return {
    ...base,
    change: `changed on ${day(a.lastUpdated)} ${when}${now ? `; it now says ${now}` : ''}`,
    fix: `Compare invoice ${ref.number} with agreement ${label} (its Audit Trail tab in ConnectWise shows what changed): the invoice ${posts} as ConnectWise closed it; if it no longer matches, bill or credit the difference in ConnectWise (a new invoice or a credit memo), which the next batch posts.`,
  };
}

/** One finding per invoice whose agreement was cancelled or edited after the invoice closed. */
export function staleAgreementRecords(invoices: readonly AgreementInvoiceFact[], agreements: ReadonlyMap<number, AgreementFact>): StaleRecord[] {
  const out: StaleRecord[] = [];
  for (const inv of invoices) {
    const a = agreements.get(inv.agreementId);
    if (!a || !inv.dateClosed) continue;
    const when = `after the invoice closed on ${day(inv.dateClosed)}`;
    const cancelledAfterClose = isCancelled(a) && (after(a.dateCancelled, inv.dateClosed) || (!a.dateCancelled && after(a.lastUpdated, inv.dateClosed)));
    if (cancelledAfterClose) out.push(finding(inv.ref, a, when, true));
    else if (after(a.lastUpdated, inv.dateClosed)) out.push(finding(inv.ref, a, when, false));
  }
  return out;
}

/**
 * Invoices posted by earlier batches (exported in ConnectWise before `since`, when agreement changes
 * were last checked) whose agreement changed after `since`: one finding each. Each change is
 * reported by the one batch whose check window holds it, so a finding is not repeated later.
 */
export function postedStaleRecords(invoices: readonly { ref: InvoiceNamed; agreementId: number }[], changed: ReadonlyMap<number, AgreementFact>, since: string): StaleRecord[] {
  return invoices.flatMap((inv) => {
    const a = changed.get(inv.agreementId);
    return a ? [finding(inv.ref, a, `after an earlier batch posted the invoice (before ${since})`, isCancelled(a), 'posted')] : [];
  });
}
