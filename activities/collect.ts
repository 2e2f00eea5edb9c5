/**
 * collect: one page of the PSA's unposted records of one kind as compact references, forward-only
 * by id (numbered pages only for workflows started before that).
 */
import type { CollectPageInput, CollectPageResult } from '../domain/contract';
import { cwDate, kindMapper, type ConnectWiseClient } from '../integrations/connectwise';

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
      const mapper = kindMapper(input.kind);
      const list = mapper.unposted(deps.psa);
      const conditions = thruCondition(mapper.dateField, input.thruDate);
      if (input.page !== undefined) {
        const page = await list.list({ page: input.page, pageSize: input.pageSize, orderBy: 'id asc', conditions });
        return { refs: page.items.map((row) => mapper.toRef(row)), hasMore: page.next !== undefined };
      }
      const page = await list.listForwardOnly({ pageId: input.afterId, pageSize: input.pageSize, conditions });
      return { refs: page.items.map((row) => mapper.toRef(row)), hasMore: page.nextPageId !== undefined, nextAfterId: page.nextPageId };
    },
  };
}
