/**
 * Nearest candidates for a name that did not match exactly. Matching itself is never fuzzy (a wrong
 * guess would post money to the wrong account); the candidates only make the miss easy to fix.
 */

export interface ListEntry {
  /** The full name a reference must use (FullyQualifiedName, "Parent:Child"). */
  fullName: string;
  /** The entry's own name (last segment for a sub-entry). */
  name: string;
  number?: string;
  active: boolean;
}

export interface Candidate {
  /** What to write in the PSA instead (or what exists). */
  value: string;
  reason: string;
}

export type MatchMode = 'name' | 'number';

const MAX_CANDIDATES = 5;

/** The reason given for an exact match that is inactive (QuickBooks refuses such references, fault 610). */
export const INACTIVE_REASON = 'exists but is inactive; reactivate it in the accounting package';

/** Edit distance, giving up once it exceeds `limit` (only small distances are useful hints). */
export function editDistanceWithin(a: string, b: string, limit: number): number | undefined {
  if (Math.abs(a.length - b.length) > limit) return undefined;
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a.charCodeAt(i - 1) === b.charCodeAt(j - 1) ? 0 : 1;
      cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost);
      rowMin = Math.min(rowMin, cur[j]);
    }
    if (rowMin > limit) return undefined;
    prev = cur;
  }
  return prev[b.length] <= limit ? prev[b.length] : undefined;
}

function lastSegment(fullName: string): string {
  const i = fullName.lastIndexOf(':');
  return i < 0 ? fullName : fullName.slice(i + 1);
}

export function nearestCandidates(wanted: string, entries: readonly ListEntry[], mode: MatchMode): Candidate[] {
  const found: Candidate[] = [];
  const add = (value: string, reason: string) => {
    if (found.length < MAX_CANDIDATES && !found.some((c) => c.value === value)) found.push({ value, reason });
  };
  const lower = wanted.toLowerCase();
  const wantedLeaf = lastSegment(wanted);

  for (const e of entries) {
    const key = mode === 'number' ? (e.number ?? '') : e.fullName;
    if (key === wanted && !e.active) add(key, INACTIVE_REASON);
  }
  for (const e of entries) {
    if (mode === 'name') {
      if (e.fullName !== wanted && (e.fullName.toLowerCase() === lower || (e.name !== wanted && e.name.toLowerCase() === lower))) {
        add(e.fullName, 'differs only in letter case (names match case-sensitively)');
      }
      else if (e.fullName !== wanted && e.fullName.trim() === wanted.trim()) add(e.fullName, 'differs only in leading or trailing spaces');
      if (e.fullName !== e.name && e.name === wanted) add(e.fullName, 'the same name as a sub-account; sub-accounts are referenced by their full Parent:Child name');
      if (e.number !== undefined && e.number === wanted) add(e.fullName, `is account number ${e.number}, but matching is by name`);
      if (wanted !== wantedLeaf && e.name === wantedLeaf && e.fullName !== wanted) add(e.fullName, 'the same name under a different parent');
    } else {
      if (e.fullName === wanted || e.name === wanted) {
        add(e.number ?? e.fullName, e.number ? `is the number of the account named "${e.fullName}"; matching is by number` : `is named "${e.fullName}" but has no account number; matching is by number`);
      }
      if (e.number !== undefined && e.number !== wanted && e.number.trim().replace(/^0+/, '') === wanted.trim().replace(/^0+/, '')) {
        add(e.number, 'differs only in spaces or leading zeros');
      }
    }
  }
  if (found.length === 0) {
    const scored: Array<[number, ListEntry]> = [];
    const limit = Math.min(3, Math.max(1, Math.floor(wanted.length / 4)));
    for (const e of entries) {
      const key = mode === 'number' ? e.number : e.fullName;
      if (key === undefined) continue;
      const d = editDistanceWithin(lower, key.toLowerCase(), limit);
      if (d !== undefined) scored.push([d, e]);
    }
    scored.sort((a, b) => a[0] - b[0]);
    for (const [, e] of scored) add(mode === 'number' ? (e.number as string) : e.fullName, 'similar spelling');
    if (mode === 'name' && wanted.length >= 4) {
      for (const e of entries) {
        const other = e.fullName.toLowerCase();
        if (other.includes(lower) || lower.includes(other)) add(e.fullName, 'one name contains the other');
      }
    }
  }
  return found;
}

export function describeCandidates(candidates: readonly Candidate[]): string {
  if (candidates.length === 0) return 'no similar entries';
  return candidates.map((c) => `"${c.value}" (${c.reason})`).join('; ');
}
