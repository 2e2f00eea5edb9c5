/**
 * collect: one page of the PSA's unposted records of one kind as compact references, forward-only
 * by id (numbered pages only for workflows started before that). Records that route to another
 * accounting company are left to its batch; those that route to none (or to several) stay in, so
 * the batch fails them with the fix.
 */
import type { CollectPageInput, CollectPageResult, RecordRef } from '../domain/contract';
import { cwDate, kindMapper, type ConnectWiseClient } from '../integrations/connectwise';
import type { RecordRouter } from '../integrations/record-routing';

/** thruDate is a day; everything dated before the next midnight (UTC) is included. */
function thruCondition(field: string, thruDate?: string): string | undefined {
  if (!thruDate) return undefined;
  const next = new Date(`${thruDate}T00:00:00Z`);
  next.setUTCDate(next.getUTCDate() + 1);
  return `${field} < ${cwDate(next)}`;
}

export function collectActivities(deps: { psa: ConnectWiseClient; company?: { name: string; router: RecordRouter } }) {
  const notOthers = async (refs: RecordRef[]): Promise<RecordRef[]> => {
    if (!deps.company) return refs;
    const { name, router } = deps.company;
    const routes = await router.routes(refs);
    return refs.filter((_, i) => {
      const route = routes[i]!;
      return !('to' in route) || route.to === name;
    });
  };
  return {
    async collectUnposted(input: CollectPageInput): Promise<CollectPageResult> {
      const mapper = kindMapper(input.kind);
      const list = mapper.unposted(deps.psa);
      const conditions = thruCondition(mapper.dateField, input.thruDate);
      if (input.page !== undefined) {
        const page = await list.list({ page: input.page, pageSize: input.pageSize, orderBy: 'id asc', conditions });
        return { refs: await notOthers(page.items.map((row) => mapper.toRef(row))), hasMore: page.next !== undefined };
      }
      const page = await list.listForwardOnly({ pageId: input.afterId, pageSize: input.pageSize, conditions });
      return { refs: await notOthers(page.items.map((row) => mapper.toRef(row))), hasMore: page.nextPageId !== undefined, nextAfterId: page.nextPageId };
    },
  };
}
