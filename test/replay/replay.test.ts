/**
 * Replays histories recorded from real runs (scripts/record-histories.ts) against today's workflow
 * code: a change that would break running workflows fails here.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { defaultPayloadConverter } from '@temporalio/common';
import { Worker } from '@temporalio/worker';
import { stackDataConverter, workflowBundle } from '../../dev/stack/temporal';

const DIR = join(__dirname, 'histories');

type JsonPayload = { metadata: Record<string, string>; data: string };

/** A recorded workflow input changed as if it had been started so: decrypted, edited, encrypted again. */
async function withInput(payloads: JsonPayload[], edit: (input: Record<string, unknown>) => Record<string, unknown>): Promise<JsonPayload[]> {
  const codec = stackDataConverter().payloadCodecs![0]!;
  const bytes = (b64: string) => new Uint8Array(Buffer.from(b64, 'base64'));
  const [plain] = await codec.decode([{ metadata: Object.fromEntries(Object.entries(payloads[0]!.metadata).map(([k, v]) => [k, bytes(v)])), data: bytes(payloads[0]!.data) }]);
  const input = (defaultPayloadConverter.fromPayload(plain!) ?? {}) as Record<string, unknown>;
  const [encoded] = await codec.encode([defaultPayloadConverter.toPayload(edit(input))!]);
  const b64 = (b: Uint8Array | null | undefined) => Buffer.from(b ?? new Uint8Array()).toString('base64');
  return [{ metadata: Object.fromEntries(Object.entries(encoded!.metadata ?? {}).map(([k, v]) => [k, b64(v)])), data: b64(encoded!.data) }];
}
/** file -> the workflow id the history was recorded under (written by the recorder). */
const manifest: Record<string, string> = JSON.parse(readFileSync(join(DIR, 'manifest.json'), 'utf8'));
const files = readdirSync(DIR).filter((f) => f.endsWith('.json') && f !== 'manifest.json').sort();

describe('replay of recorded histories', () => {
  it('has recorded histories to replay', () => {
    expect(files.length).toBeGreaterThanOrEqual(19);
  });

  it.each(files)('%s replays deterministically', async (file) => {
    const history = JSON.parse(readFileSync(join(DIR, file), 'utf8'));
    await Worker.runReplayHistory({ workflowBundle: await workflowBundle(), dataConverter: stackDataConverter() }, history, manifest[file]);
  });

  // The posted-agreement check is a new activity call, behind patched('posted-agreement-changes'):
  // batches recorded before it (no such call) must replay without it.
  it.each(['accounting-batch-full.json', 'accounting-batch-dry-run.json', 'accounting-batch-retry-failed.json'])(
    '%s, recorded before the posted-agreement check, replays without it',
    async (file) => {
      const history = JSON.parse(readFileSync(join(DIR, file), 'utf8'));
      const activities = (history.events as Array<{ activityTaskScheduledEventAttributes?: { activityType: { name: string } } }>).flatMap((e) => e.activityTaskScheduledEventAttributes?.activityType.name ?? []);
      expect(activities).toContain('collectUnposted');
      expect(activities).not.toContain('checkPostedAgreements');
      await Worker.runReplayHistory({ workflowBundle: await workflowBundle(), dataConverter: stackDataConverter() }, history, manifest[file]);
    },
  );

  // Voids and deletes now come from change data capture in one call, behind
  // patched('payment-reversals-from-cdc'): a sync recorded before it (paging findRemovedPayments)
  // must replay along the old path.
  it('payment-sync.json, recorded before reversals from change data capture, replays without them', async () => {
    const history = JSON.parse(readFileSync(join(DIR, 'payment-sync.json'), 'utf8'));
    const activities = (history.events as Array<{ activityTaskScheduledEventAttributes?: { activityType: { name: string } } }>).flatMap((e) => e.activityTaskScheduledEventAttributes?.activityType.name ?? []);
    expect(activities).toContain('findRemovedPayments');
    expect(activities).not.toContain('reverseRemovedPayments');
    await Worker.runReplayHistory({ workflowBundle: await workflowBundle(), dataConverter: stackDataConverter() }, history, manifest['payment-sync.json']);
  });

  // The report recipient is checked when a run starts (a new activity call, behind
  // patched('report-recipient-checked')): runs started with a notify before it replay without it.
  it.each(['accounting-batch-dry-run.json', 'accounting-batch-full.json', 'payment-sync.json'])(
    '%s, started with a notify before the recipient check, replays without it',
    async (file) => {
      const history = JSON.parse(readFileSync(join(DIR, file), 'utf8'));
      const started = history.events[0].workflowExecutionStartedEventAttributes;
      started.input.payloads = await withInput(started.input.payloads, (input) => ({ ...input, notify: { email: 'finance@msp.example' } }));
      await Worker.runReplayHistory({ workflowBundle: await workflowBundle(), dataConverter: stackDataConverter() }, history, manifest[file]);
    },
  );

  // The check of QuickBooks-side changes is a new activity call, behind patched('ledger-changes'):
  // batches recorded before it must replay without it, the one recorded with it with it.
  const activitiesOf = (file: string) =>
    (JSON.parse(readFileSync(join(DIR, file), 'utf8')).events as Array<{ activityTaskScheduledEventAttributes?: { activityType: { name: string } } }>).flatMap(
      (e) => e.activityTaskScheduledEventAttributes?.activityType.name ?? [],
    );
  it.each(['accounting-batch-full.json', 'accounting-batch-dry-run.json', 'accounting-batch-retry-failed.json'])('%s, recorded before the QuickBooks change check, has none', (file) => {
    expect(activitiesOf(file)).not.toContain('checkLedgerChanges');
  });
  it('accounting-batch-corrections.json checks QuickBooks for changes, and the reversal histories plan, reverse and return', () => {
    expect(activitiesOf('accounting-batch-corrections.json')).toContain('checkLedgerChanges');
    expect(activitiesOf('reverse-batch-dry-run.json')).toEqual(expect.arrayContaining(['batchToReverse', 'planReversal', 'sendReversalReport']));
    expect(activitiesOf('reverse-batch-dry-run.json')).not.toContain('reverseTransactions');
    expect(activitiesOf('reverse-batch.json')).toEqual(expect.arrayContaining(['batchToReverse', 'planReversal', 'reverseTransactions', 'returnToUnposted', 'sendReversalReport']));
  });

  // Asking which accounting company a run works for (and its AccountingCompany search attribute) is
  // new, behind patched('accounting-company'): runs recorded before it replay without the call, and
  // runs recorded since make it first.
  const firstActivity = (file: string): string | undefined => {
    const history = JSON.parse(readFileSync(join(DIR, file), 'utf8'));
    return (history.events as Array<{ activityTaskScheduledEventAttributes?: { activityType: { name: string } } }>).flatMap((e) => e.activityTaskScheduledEventAttributes?.activityType.name ?? [])[0];
  };
  it.each(['accounting-batch-full.json', 'accounting-batch-dry-run.json', 'go-live-checklist.json', 'payment-sync.json'])('%s, recorded before accounting companies had names, asks for none', (file) => {
    expect(firstActivity(file)).not.toBe('accountingCompany');
  });
  it.each(['companies-batch.json', 'companies-payment-sync.json', 'companies-checklist.json', 'default-company-dry-run.json'])('%s, recorded since, asks for its company first', (file) => {
    expect(firstActivity(file)).toBe('accountingCompany');
    expect(readFileSync(join(DIR, file), 'utf8')).toContain('AccountingCompany');
  });

  // Chunks of the default size became whole post groups (120), behind
  // patched('chunks-of-whole-post-groups'): a batch recorded with three chunks of 100 (two of 120
  // today) replays with them.
  it('accounting-batch-default-chunks.json, recorded with chunks of 100, replays with them', async () => {
    const history = JSON.parse(readFileSync(join(DIR, 'accounting-batch-default-chunks.json'), 'utf8'));
    const children = (history.events as Array<{ startChildWorkflowExecutionInitiatedEventAttributes?: { workflowId: string } }>).flatMap((e) => e.startChildWorkflowExecutionInitiatedEventAttributes?.workflowId ?? []);
    expect(children).toEqual(['replay-default-chunks/chunk-0', 'replay-default-chunks/chunk-1', 'replay-default-chunks/chunk-2']);
    await Worker.runReplayHistory({ workflowBundle: await workflowBundle(), dataConverter: stackDataConverter() }, history, manifest['accounting-batch-default-chunks.json']);
  });

  // Posts moved to the company's batch-call queue, behind patched('posts-on-batch-call-queue'): a
  // chunk recorded posting on the accounting queue replays so.
  it('accounting-batch-chunk.json, recorded posting on the accounting queue, replays so', async () => {
    const history = JSON.parse(readFileSync(join(DIR, 'accounting-batch-chunk.json'), 'utf8'));
    const queues = (history.events as Array<{ activityTaskScheduledEventAttributes?: { activityType: { name: string }; taskQueue: { name: string } } }>).flatMap((e) =>
      e.activityTaskScheduledEventAttributes ? [`${e.activityTaskScheduledEventAttributes.activityType.name} ${e.activityTaskScheduledEventAttributes.taskQueue.name}`] : [],
    );
    expect(queues).toContain('postRecords record-accounting');
    await Worker.runReplayHistory({ workflowBundle: await workflowBundle(), dataConverter: stackDataConverter() }, history, manifest['accounting-batch-chunk.json']);
  });

  // A chunk marks its record kinds exported at once, behind patched('kinds-exported-together'): a
  // chunk recorded marking them one after another replays so.
  it('accounting-batch-chunk-kinds.json, recorded marking kinds exported one after another, replays so', async () => {
    const history = JSON.parse(readFileSync(join(DIR, 'accounting-batch-chunk-kinds.json'), 'utf8'));
    const events = history.events as Array<{ eventType: string; activityTaskScheduledEventAttributes?: { activityType: { name: string } } }>;
    // Each markExported is scheduled by its own workflow task, after the previous one completed.
    const marks = events.flatMap((e, i) => (e.activityTaskScheduledEventAttributes?.activityType.name === 'markExported' ? [i] : []));
    expect(marks).toHaveLength(3);
    for (let k = 1; k < marks.length; k++) expect(events.slice(marks[k - 1], marks[k]).some((e) => e.eventType === 'EVENT_TYPE_ACTIVITY_TASK_COMPLETED')).toBe(true);
    await Worker.runReplayHistory({ workflowBundle: await workflowBundle(), dataConverter: stackDataConverter() }, history, manifest['accounting-batch-chunk-kinds.json']);
  });

  it('detects a workflow that no longer matches its history', async () => {
    const history = JSON.parse(readFileSync(join(DIR, 'accounting-batch-full.json'), 'utf8'));
    history.events[0].workflowExecutionStartedEventAttributes.workflowType.name = 'accountingBatchChunk';
    await expect(
      Worker.runReplayHistory({ workflowBundle: await workflowBundle(), dataConverter: stackDataConverter() }, history, manifest['accounting-batch-full.json']),
    ).rejects.toThrow();
  });
});
