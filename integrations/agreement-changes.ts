/**
 * Which invoices of a batch bill an agreement that was cancelled or changed after the invoice
 * closed. Reads documented fields only: the unposted invoice's `dateClosed`, the invoice's
 * `agreement` (else `applyToType`/`applyToId`), the agreement's status, cancellation and
 * `_info.lastUpdated`. Each call reads its invoices in one list call per 100 ids; agreements are
 * read once per batch run (integrations/batch-lookups), in lists of 100 ids.
 *
 * Invoices posted by earlier batches: the agreements whose `_info/lastUpdated` falls in the check
 * window, their invoices (`agreement/id`, or `applyToType`/`applyToId`), and of those the ones ConnectWise has exported: a closed
 * billing status (`closedFlag`) and no longer among the unposted invoices.
 */
import type { RecordRef } from '../domain/contract';
import type { RecordPlace } from '../domain/routing';
import { postedStaleRecords, staleAgreementRecords, type AgreementFact, type AgreementInvoiceFact, type StaleRecord } from '../domain/stale-agreements';
import { batchLookups, type BatchLookups } from './batch-lookups';
import { cwDate, readInLists, type Agreement, type ConnectWiseClient, type Invoice } from './connectwise';

/** Where an invoice sits, which routes it to its accounting company. */
function placeOf(inv: Invoice): RecordPlace {
  return { ...(typeof inv.locationId === 'number' && { locationId: inv.locationId }), ...(typeof inv.departmentId === 'number' && { departmentId: inv.departmentId }) };
}

function agreementIdOf(inv: Invoice): number | undefined {
  if (inv.agreement?.id) return inv.agreement.id;
  return inv.applyToType === 'Agreement' && inv.applyToId ? inv.applyToId : undefined;
}

function agreementFact(a: Agreement): AgreementFact {
  const lastUpdated = a._info?.lastUpdated;
  return {
    id: a.id,
    name: a.name,
    cancelled: a.cancelledFlag === true,
    dateCancelled: a.dateCancelled ?? undefined,
    reasonCancelled: a.reasonCancelled ?? undefined,
    status: a.agreementStatus ?? undefined,
    lastUpdated: typeof lastUpdated === 'string' ? lastUpdated : undefined,
    endDate: a.endDate ?? undefined,
    billAmount: a.billAmount ?? undefined,
  };
}

export interface AgreementChanges {
  /** Findings for the invoice refs among `refs` (other kinds are ignored). */
  staleRecords(refs: readonly RecordRef[], batchId?: string): Promise<StaleRecord[]>;
  /**
   * Findings for exported invoices whose agreement changed after `since`, up to and with `until`;
   * with `booksInvoice`, only the invoices it keeps (by where they sit: one accounting company's).
   */
  postedStaleRecords(window: { since: string; until: string }, booksInvoice?: (places: RecordPlace[]) => Promise<boolean[]>): Promise<StaleRecord[]>;
}

/** Agreements by id for a batch run: read once per run (shared with the GL line contexts, which read their type). */
export function agreementsByIds(psa: ConnectWiseClient, lookups: BatchLookups, ids: Iterable<number>, batchId: string | undefined): Promise<Map<number, Agreement>> {
  return lookups.byIds('agreements', ids, batchId, (list) => psa.agreements.all({ conditions: `id in ${list}` }));
}

export function agreementChanges(psa: ConnectWiseClient, lookups: BatchLookups = batchLookups()): AgreementChanges {
  async function agreementsById(ids: readonly number[], batchId: string | undefined): Promise<Map<number, AgreementFact>> {
    const rows = await agreementsByIds(psa, lookups, ids, batchId);
    return new Map([...rows.values()].map((a) => [a.id, agreementFact(a)]));
  }

  return {
    async staleRecords(refs, batchId) {
      const invoiceRefs = refs.filter((r) => r.kind === 'invoice');
      if (invoiceRefs.length === 0) return [];
      const ids = invoiceRefs.map((r) => Number(r.id)).filter(Number.isInteger);
      const [invoices, unposted] = await Promise.all([
        readInLists(ids, (list) => psa.invoices.all({ conditions: `id in ${list}` })),
        readInLists(ids, (list) => psa.unpostedInvoices.all({ conditions: `id in ${list}` })),
      ]);
      const agreementOf = new Map(invoices.map((i) => [i.id, agreementIdOf(i)]));
      const closedAt = new Map(unposted.map((u) => [u.id, u.dateClosed ?? undefined]));
      const facts: AgreementInvoiceFact[] = invoiceRefs.flatMap((ref) => {
        const agreementId = agreementOf.get(Number(ref.id));
        return agreementId === undefined ? [] : [{ ref, agreementId, dateClosed: closedAt.get(Number(ref.id)) }];
      });
      if (facts.length === 0) return [];
      const agreements = await agreementsById([...new Set(facts.map((f) => f.agreementId))], batchId);
      return staleAgreementRecords(facts, agreements);
    },

    async postedStaleRecords({ since, until }, booksInvoice) {
      const changed = await psa.agreements.all({ conditions: `_info/lastUpdated > ${cwDate(since)} and _info/lastUpdated <= ${cwDate(until)}` });
      if (changed.length === 0) return [];
      // An agreement invoice names its agreement in `agreement`, or else in `applyToType`/`applyToId`.
      const ids = changed.map((a) => a.id);
      const [named, appliedTo] = await Promise.all([
        readInLists(ids, (list) => psa.invoices.all({ conditions: `agreement/id in ${list}` })),
        readInLists(ids, (list) => psa.invoices.all({ conditions: `applyToType="Agreement" and applyToId in ${list}` })),
      ]);
      const all = [...new Map([...named, ...appliedTo].map((i) => [i.id, i])).values()];
      const kept = booksInvoice ? await booksInvoice(all.map(placeOf)) : all.map(() => true);
      const invoices = all.filter((_, i) => kept[i]);
      if (invoices.length === 0) return [];
      const closedStatuses = new Set((await psa.billingStatuses.all()).filter((b) => b.closedFlag).map((b) => b.id));
      const closed = invoices.filter((i) => !!i.status && closedStatuses.has(i.status.id));
      const unposted = new Set((await readInLists(closed.map((i) => i.id), (list) => psa.unpostedInvoices.all({ conditions: `id in ${list}` }))).map((u) => u.id));
      const exported = closed.flatMap((i) => {
        const agreementId = agreementIdOf(i);
        return unposted.has(i.id) || agreementId === undefined ? [] : [{ ref: { kind: 'invoice' as const, id: String(i.id), number: i.invoiceNumber }, agreementId }];
      });
      return postedStaleRecords(exported, new Map(changed.map((a) => [a.id, agreementFact(a)])), since);
    },
  };
}
