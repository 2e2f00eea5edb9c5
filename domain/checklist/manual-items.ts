/**
 * The checklist steps only a person can confirm: test invoices checked, the chart signed
 * off by the accountant. Pure: the workflow uses these to build its state and validate `confirm`.
 */
import type { ChecklistItem, ChecklistStatus, ConfirmManualItemInput, ManualItemState } from './types';

export const DEFAULT_MANUAL_ITEMS: ReadonlyArray<{ id: string; title: string }> = [
  { id: 'test-invoices', title: 'Test invoices reviewed: a few closed test invoices were checked in the Accounting Interface and, after a dry run, against QuickBooks' },
  { id: 'chart-signoff', title: 'The accountant signed off the chart of accounts and the GL mappings' },
];

export type ManualItemSpec = string | { id: string; title: string };

/** Known ids take their standard title; an object brings its own. Undefined input means the defaults. */
export function resolveManualItems(spec: readonly ManualItemSpec[] | undefined): ManualItemState[] {
  if (spec === undefined) return DEFAULT_MANUAL_ITEMS.map((m) => ({ ...m, confirmed: false }));
  return spec.map((s) => {
    if (typeof s !== 'string') return { id: s.id, title: s.title, confirmed: false };
    const known = DEFAULT_MANUAL_ITEMS.find((m) => m.id === s);
    return { id: s, title: known?.title ?? s, confirmed: false };
  });
}

/** Why a confirm must be refused, or undefined when it may be applied. */
export function confirmProblem(items: readonly ManualItemState[], input: ConfirmManualItemInput | undefined, open: boolean): string | undefined {
  if (!input || typeof input.item !== 'string' || typeof input.by !== 'string' || input.by.trim() === '') {
    return 'confirm needs { item, by, note? } with a non-empty "by" (who confirms)';
  }
  if (input.note !== undefined && typeof input.note !== 'string') return 'note must be text';
  // Both land in the history and the report: keep them short.
  if (input.by.length > 100 || (input.note?.length ?? 0) > 500) return '"by" is limited to 100 characters and "note" to 500';
  const target = items.find((m) => m.id === input.item);
  if (!target) return `unknown manual item "${input.item}"; this checklist waits for: ${items.map((m) => m.id).join(', ') || 'nothing'}`;
  if (!open) return 'this checklist no longer waits for confirmations; start a new run';
  if (target.confirmed) return `"${target.id}" was already confirmed by ${target.by} at ${target.at}`;
  return undefined;
}

/** Failed if any check failed; Incomplete while a manual item is unconfirmed; else Passed (warnings allowed). */
export function checklistStatus(items: readonly ChecklistItem[], manual: readonly ManualItemState[]): ChecklistStatus {
  if (items.some((i) => i.result === 'fail')) return 'Failed';
  if (items.length === 0 || manual.some((m) => !m.confirmed)) return 'Incomplete';
  return 'Passed';
}
