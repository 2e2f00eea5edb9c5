/** The accounting batch's tallies and chunk results: pure functions the workflows call. */
import { addFailure, addPosted, addReconciled, addResolved, CHUNK_DRIFT_CAP, emptyChunkResult, psaBatchIdentifier, PSA_BATCH_IDENTIFIER_MAX, runTag, wouldCreateOf } from '../../../domain/batch-chunk';
import { addChunkResult, checklistGateProblem, emptySummary, progressCounts, progressLine, reopenFailed, SUMMARY_LIST_CAP } from '../../../domain/batch-summary';
import { RECORD_DRIFT_CAP, type RecordRef, type ResolveOutcome } from '../../../domain/contract';
import { cappedDrift } from '../../../activities/resolve';

const inv = (id: string, total: string): RecordRef => ({ kind: 'invoice', id, number: `INV-${id}`, total });
const exp = (id: string, total: string): RecordRef => ({ kind: 'expense', id, number: `EXP-${id}`, total });
const summary = () => emptySummary({ batchId: 'b1', workflowId: 'wf', runId: 'run', dryRun: false, overrideChecklist: false });
const mappingMissing = { type: 'MappingMissing', message: 'no mapping', fix: 'map it' };

describe('chunk results', () => {
  it('splits resolve outcomes into ready records, failures and drift', () => {
    const result = emptyChunkResult('0');
    const outcomes: ResolveOutcome[] = [
      { ref: inv('1', '10.00'), status: 'ready', draftDigest: 'd1', entity: 'Invoice', docNumber: 'INV-1', total: '10.00', lineCount: 2, drift: [{ glEntryId: 5, accountType: 'Revenue', exported: 'Sales', current: 'Services' }] },
      { ref: exp('2', '3.50'), status: 'failed', error: { type: 'MappingMissing', message: 'no mapping', fix: 'map it' }, drift: [] },
    ];
    const ready = addResolved(result, outcomes);
    expect(ready.map((r) => r.ref.id)).toEqual(['1']);
    expect(result.failedRefs).toEqual([exp('2', '3.50')]);
    expect(result.failures).toEqual([{ kind: 'expense', id: '2', number: 'EXP-2', type: 'MappingMissing', message: 'no mapping', fix: 'map it' }]);
    expect(result.drift).toEqual([{ kind: 'invoice', number: 'INV-1', accountType: 'Revenue', exported: 'Sales', current: 'Services' }]);
    expect(wouldCreateOf(ready)).toEqual([{ kind: 'invoice', number: 'INV-1', entity: 'Invoice', docNumber: 'INV-1', total: '10.00', lineCount: 2 }]);
  });

  it('lists each drifting line with its GL entry, line and why, up to CHUNK_DRIFT_CAP a chunk; the rest, and what records left out, are counted', () => {
    const drift = (n: number) => Array.from({ length: n }, (_, i) => ({ glEntryId: 100 + i, accountType: 'Revenue', exported: 'Sales', current: 'Services', line: `GL entry ${100 + i}`, why: 'account from Work Type: After Hours' }));
    // A record lists RECORD_DRIFT_CAP lines and counts the rest.
    expect(cappedDrift(drift(8))).toEqual({ drift: drift(RECORD_DRIFT_CAP), driftOmitted: 8 - RECORD_DRIFT_CAP });
    expect(cappedDrift(drift(2))).toEqual({ drift: drift(2) });
    const result = emptyChunkResult('0');
    const ready = (id: string, n: number, omitted?: number): ResolveOutcome => ({ ref: inv(id, '1.00'), status: 'ready', draftDigest: `d${id}`, entity: 'Invoice', docNumber: id, total: '1.00', lineCount: n, drift: drift(n), ...(omitted && { driftOmitted: omitted }) });
    addResolved(result, [ready('1', 5, 2), ...Array.from({ length: 10 }, (_, i) => ready(String(i + 2), 5))]);
    expect(result.drift).toHaveLength(CHUNK_DRIFT_CAP);
    expect(result.drift[0]).toEqual({ kind: 'invoice', number: 'INV-1', accountType: 'Revenue', exported: 'Sales', current: 'Services', glEntryId: 100, line: 'GL entry 100', why: 'account from Work Type: After Hours' });
    expect(result.driftOmitted).toBe(2 + 55 - CHUNK_DRIFT_CAP);

    const s = summary();
    const chunks = Math.ceil(SUMMARY_LIST_CAP / CHUNK_DRIFT_CAP) + 1;
    for (let i = 0; i < chunks; i++) addChunkResult(s, { ...result, failures: [], failedRefs: [], posted: [] });
    expect(s.drift).toHaveLength(SUMMARY_LIST_CAP);
    expect(s.drift.length + s.driftOmitted!).toBe(chunks * (CHUNK_DRIFT_CAP + result.driftOmitted!));
  });

  it('carries the warnings of ready records into the chunk result and the summary', () => {
    const result = emptyChunkResult('0');
    const warned: ResolveOutcome = { ref: inv('3', '5.00'), status: 'ready', draftDigest: 'd3', entity: 'Invoice', docNumber: 'INV-3', total: '5.00', lineCount: 1, drift: [], warnings: ['GL classes MS are not sent; class tracking is off in QuickBooks'] };
    addResolved(result, [warned]);
    expect(result.warnings).toEqual([{ kind: 'invoice', number: 'INV-3', warning: 'GL classes MS are not sent; class tracking is off in QuickBooks' }]);
    const s = summary();
    addChunkResult(s, result);
    expect(s.warnings).toEqual(result.warnings);
  });

  it('keeps only confirmed reconcile outcomes and lists every discrepancy', () => {
    const result = emptyChunkResult('0');
    const confirmed = addReconciled(result, [
      { ref: inv('1', '10.00'), confirmed: true, glEntryIds: [7], discrepancies: [] },
      { ref: inv('2', '5.00'), confirmed: false, glEntryIds: [], discrepancies: [{ field: 'total', expected: '5.00', actual: '6.00' }] },
    ]);
    expect([...confirmed.keys()]).toEqual(['invoice:1']);
    expect(result.discrepancies).toEqual([{ kind: 'invoice', number: 'INV-2', field: 'total', expected: '5.00', actual: '6.00' }]);
  });

  it('names the PSA batch per chunk and kind', () => {
    expect(psaBatchIdentifier('b1', 'r1-0', 'invoice')).toBe('b1-r1-0-I');
    expect(psaBatchIdentifier('b1', '3', 'procurement')).toBe('b1-3-P');
  });

  it('names the PSA batch per run: another run of the same batchId gets other identifiers, within 50 characters', () => {
    const a = psaBatchIdentifier('nightly', '0', 'invoice', runTag('0195e9a2-5c1b-7f3e-9d2a-1b2c3d4e5f60'));
    const b = psaBatchIdentifier('nightly', '0', 'invoice', runTag('0195e9a2-5c1b-7f3e-9d2a-1b2c3d4e5f61'));
    expect(a).toMatch(/^nightly\.[0-9a-z]{7}-0-I$/);
    expect(b).not.toBe(a);
    expect(runTag('0195e9a2-5c1b-7f3e-9d2a-1b2c3d4e5f60')).toBe(runTag('0195e9a2-5c1b-7f3e-9d2a-1b2c3d4e5f60'));
    const longest = psaBatchIdentifier('x'.repeat(30), 'r123-4567', 'procurement', runTag('run'));
    expect(longest.length).toBeLessThanOrEqual(PSA_BATCH_IDENTIFIER_MAX);
    expect(longest.endsWith(`.${runTag('run')}-r123-4567-P`)).toBe(true);
  });
});

describe('batch tallies', () => {
  it('counts posted, already posted and failed records with exact totals per kind', () => {
    const s = summary();
    const result = emptyChunkResult('0');
    addPosted(result, inv('1', '10.10'), 'posted', '10.10');
    addPosted(result, inv('2', '0.20'), 'alreadyPosted', '0.20');
    addFailure(result, exp('3', '1.05'), mappingMissing);
    result.exportedBatches.push('b1-0-I');
    expect(result.posted).toBeUndefined();
    addChunkResult(s, result);
    // A chunk result recorded before confirmed records were counted by kind lists each one.
    const { postedByKind: _, ...recorded } = emptyChunkResult('1');
    addChunkResult(s, { ...recorded, posted: [{ ref: inv('4', '0.90'), status: 'posted', total: '0.90' }] });

    expect(s.byKind.invoice).toMatchObject({ posted: 2, alreadyPosted: 1, failed: 0, totals: { posted: '11.00', alreadyPosted: '0.20', failed: '0.00' } });
    expect(s.byKind.expense).toMatchObject({ failed: 1, totals: { failed: '1.05' } });
    expect(s.failures.map((f) => f.id)).toEqual(['3']);
    expect(s.exportedBatches).toEqual(['b1-0-I']);
    expect(progressCounts(s)).toEqual({ posted: 2, alreadyPosted: 1, failed: 1, discrepancies: 0 });
  });

  it('takes records going into a retry round out of the failed counts and the failure list', () => {
    const s = summary();
    const result = emptyChunkResult('0');
    addFailure(result, exp('3', '1.05'), mappingMissing);
    addFailure(result, exp('4', '2.00'), mappingMissing);
    addChunkResult(s, result);
    reopenFailed(s, [exp('3', '1.05')]);
    expect(s.byKind.expense).toMatchObject({ failed: 1, totals: { failed: '2.00' } });
    expect(s.failures.map((f) => f.id)).toEqual(['4']);
  });

  it('writes the progress line the UI shows', () => {
    expect(progressLine({ stage: 'posting', collected: 12, chunksTotal: 3, chunksDone: 1, posted: 4, alreadyPosted: 1, failed: 2, discrepancies: 0 })).toBe(
      '**posting**: 12 collected, chunks 1/3, 4 posted, 1 already posted, 2 failed',
    );
  });
});

describe('the go-live checklist gate', () => {
  const latest = { passed: false, status: 'Failed' as const, at: '2026-12-01T10:00:00Z', workflowId: 'cl-1', runId: 'r', realmId: '9130', failed: ['tax-names'], unconfirmed: [] };
  it('lets a passed checklist through', () => {
    expect(checklistGateProblem({ ...latest, passed: true, status: 'Passed', failed: [] })).toBeUndefined();
  });
  it('says what failed, or that none ran', () => {
    expect(checklistGateProblem(latest)).toBe('the latest go-live checklist (cl-1, 2026-12-01T10:00:00Z) ended Failed; failed: tax-names');
    expect(checklistGateProblem(undefined)).toBe('no go-live checklist has run for this accounting company');
  });
});
