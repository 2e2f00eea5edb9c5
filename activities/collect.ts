/** collect: one page of the PSA's unposted records as compact references. */
import type { ConnectWiseClient } from '../integrations/connectwise';
import { cwDate } from '../integrations/connectwise';
import { money } from '../integrations/connectwise';
import type { CollectPageInput, CollectPageResult, RecordRef } from './contracts';

/** thruDate is a day; everything dated before the next midnight (UTC) is included. */
function thruCondition(field: string, thruDate?: string): string | undefined {
  if (!thruDate) return undefined;
  const next = new Date(`${thruDate}T00:00:00Z`);
  next.setUTCDate(next.getUTCDate() + 1);
  return `${field} < ${cwDate(next)}`;
}

export function collectActivities(deps: { psa: ConnectWiseClient }) {
  return {
    async collectUnposted(input: CollectPageInput): Promise<CollectPageResult> {
      const query = { page: input.page, pageSize: input.pageSize, orderBy: 'id asc' };
      let refs: RecordRef[];
      let next: string | undefined;
      if (input.kind === 'invoice') {
        const page = await deps.psa.unpostedInvoices.list({ ...query, conditions: thruCondition('invoiceDate', input.thruDate) });
        refs = page.items.map((r) => ({ kind: 'invoice', id: String(r.id), number: r.invoiceNumber, total: money(r.total) }));
        next = page.next;
      } else if (input.kind === 'expense') {
        const page = await deps.psa.unpostedExpenses.list({ ...query, conditions: thruCondition('dateExpense', input.thruDate) });
        refs = page.items.map((r) => ({ kind: 'expense', id: String(r.id), number: `EXP-${r.id}`, total: money(r.total) }));
        next = page.next;
      } else {
        const page = await deps.psa.unpostedProcurement.list({ ...query, conditions: thruCondition('purchaseDate', input.thruDate) });
        refs = page.items.map((r) => ({
          kind: 'procurement',
          id: r.unpostedProductId,
          number: r.purchaseOrder?.name ?? r.unpostedProductId,
          total: money(r.total),
        }));
        next = page.next;
      }
      return { refs, hasMore: next !== undefined };
    },
  };
}
