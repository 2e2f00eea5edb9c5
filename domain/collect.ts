/**
 * Collecting a batch's references as data: each record once (by kind and id), and a forward-only
 * cursor that must move on. Pure, so the workflow only orchestrates.
 */
import { refKey } from './batch-chunk';
import type { CollectPageResult, RecordRef } from './contract/activities';

/** The refs of a page not collected before (keyed by kind and id); marks them collected. */
export function takeUncollected(collected: Set<string>, refs: readonly RecordRef[]): RecordRef[] {
  const fresh: RecordRef[] = [];
  for (const ref of refs) {
    const key = refKey(ref);
    if (collected.has(key)) continue;
    collected.add(key);
    fresh.push(ref);
  }
  return fresh;
}

/**
 * The cursor for the page after `result`, or undefined when the list is done. A page that says
 * there is more without a cursor beyond the current one is a broken list, refused rather than
 * read forever.
 */
export function nextCollectCursor(result: CollectPageResult, afterId: number | undefined): number | undefined {
  if (!result.hasMore) return undefined;
  if (result.nextAfterId === undefined || result.nextAfterId <= (afterId ?? 0)) {
    throw new Error(`the unposted list answered a next page that does not move past id ${afterId ?? 0}`);
  }
  return result.nextAfterId;
}
