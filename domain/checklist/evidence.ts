/** Small helpers that keep evidence short enough for a report and a workflow history. */
import type { CheckId, ChecklistItem, CheckResult } from './types';

export const MAX_EVIDENCE = 12;
/** How many names one evidence line lists before "and N more". */
export const MAX_NAMES = 8;

export function plural(n: number, word: string, many = `${word}s`): string {
  return `${n} ${n === 1 ? word : many}`;
}

/** `"a", "b", "c" and 4 more` */
export function nameList(names: readonly string[], max = MAX_NAMES): string {
  const shown = names.slice(0, max).map((n) => `"${n}"`);
  const rest = names.length - shown.length;
  return rest > 0 ? `${shown.join(', ')} and ${rest} more` : shown.join(', ');
}

/** Keeps the first lines and says how many were left out. */
export function capEvidence(lines: readonly string[], max = MAX_EVIDENCE): string[] {
  if (lines.length <= max) return [...lines];
  return [...lines.slice(0, max - 1), `... and ${lines.length - (max - 1)} more`];
}

export function item(id: CheckId, title: string, result: CheckResult, evidence: readonly string[], fix?: string): ChecklistItem {
  const out: ChecklistItem = { id, title, result, evidence: capEvidence(evidence) };
  if (result !== 'pass' && fix) out.fix = fix;
  return out;
}

/** A check that could not run because its source did not answer: never a pass. */
export function notChecked(id: CheckId, title: string, source: 'ConnectWise' | 'QuickBooks'): ChecklistItem {
  return item(id, title, 'fail', [`Not checked: ${source} did not answer (see the connectivity check).`], `Fix the connectivity check first, then run the checklist again.`);
}
