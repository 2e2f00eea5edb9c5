/** Unposted records per kind, as checks 10 and 11 count and describe them. */
import { perKind, RECORD_KINDS, RECORD_KIND_INFO } from '../contract/record-kinds';
import { plural } from './evidence';
import type { DatedRecordFact, UnpostedCounts } from './types';

export const noneUnposted = (): UnpostedCounts => perKind(() => 0);

export const countByKind = (rows: readonly DatedRecordFact[]): UnpostedCounts => perKind((kind) => rows.filter((r) => r.kind === kind).length);

export const totalOf = (c: UnpostedCounts) => RECORD_KINDS.reduce((n, kind) => n + c[kind], 0);

/** "2 invoices, 1 expense, 0 procurement records". */
export const describeCounts = (c: UnpostedCounts) => RECORD_KINDS.map((kind) => plural(c[kind], RECORD_KIND_INFO[kind].noun)).join(', ');
