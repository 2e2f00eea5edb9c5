/**
 * glSource "current" and drift against the real sandboxes, through the resolve activity: each
 * exported line's GL context is rebuilt from documented ConnectWise data (the invoice, its time
 * entries, catalog items, locations, departments, projects, tickets, agreements, charge codes).
 *   - With today's setup unchanged, "current" resolves every record to what ConnectWise exported
 *     and no line drifts: the rebuilt contexts are the ones ConnectWise resolved with.
 *   - A record whose lookup fails (its time entry deleted) gets no drift; with "psa" it resolves and
 *     says which line was not checked and why; with "current" it fails alone, naming the record, the
 *     time entry and the fix, while the other records resolve.
 */
import { MockActivityEnvironment } from '@temporalio/testing';
import { collectActivities } from '../../activities/collect';
import { resolveActivities } from '../../activities/resolve';
import type { RecordRef, ResolveOutcome } from '../../domain/contract';
import { ledgerContextCache } from '../../integrations/ledger-context';
import { stackLedgerClient, startLedgerStack, type LedgerStack } from '../../dev/stack/ledger-stack';

let stack: LedgerStack;
let refs: RecordRef[];
beforeAll(async () => {
  stack = await startLedgerStack({ checklistPassed: false });
  const collect = collectActivities({ psa: stack.deps.psa });
  refs = [];
  for (const kind of ['invoice', 'expense', 'procurement'] as const) refs.push(...(await collect.collectUnposted({ kind, pageSize: 100 })).refs);
}, 60_000);
afterAll(async () => {
  await stack?.close();
});

function resolve(glSource: 'psa' | 'current', records: RecordRef[]): Promise<ResolveOutcome[]> {
  const ledger = stackLedgerClient(stack);
  const acts = resolveActivities({ psa: stack.deps.psa, realmId: ledger.realmId, ledgerContext: ledgerContextCache({ psa: stack.deps.psa, ledger }, { ttlMs: 0 }) });
  return new MockActivityEnvironment({ attempt: 1, startToCloseTimeoutMs: 300_000 }).run(acts.resolveRecords, { refs: records, glSource, batchId: `current-${glSource}` });
}

it('with the setup unchanged, "current" resolves every record of every kind as ConnectWise did, and nothing drifts', async () => {
  expect(new Set(refs.map((r) => r.kind))).toEqual(new Set(['invoice', 'expense', 'procurement']));
  const [psa, current] = [await resolve('psa', refs), await resolve('current', refs)];
  expect(current.filter((o) => o.status === 'failed')).toEqual([]);
  expect(psa.flatMap((o) => o.drift)).toEqual([]);
  expect(psa.flatMap((o) => (o.status === 'ready' ? (o.warnings ?? []) : []))).toEqual([]);
  // The same transactions: today's accounts are ConnectWise's.
  expect(current.map((o) => (o.status === 'ready' ? o.draftDigest : o.status))).toEqual(psa.map((o) => (o.status === 'ready' ? o.draftDigest : o.status)));
}, 120_000);

it('a record whose time entry was deleted: no drift and a warning with "psa"; with "current" it fails alone, naming it and the fix', async () => {
  const snap = stack.psa.admin.snapshot();
  // The Work Type row (After Hours) now maps elsewhere: every After Hours line drifts, so only a failed lookup can hide one.
  const row = snap.glAccounts.find((g) => g.glType === 'R' && (g.mappedType as { name: string }).name === 'Work Type')!;
  const afterHours = snap.workTypes.find((w) => w.name === (row.mappedRecord as { name: string }).name)!.id;
  const entryOf = (id: number | undefined) => snap.timeEntries.find((t) => t.id === id);
  const invoice = snap.invoices.find((i) => refs.some((r) => r.kind === 'invoice' && r.id === String(i.id)) && i.lines.some((l) => entryOf(l.timeEntryId)?.workTypeId === afterHours))!;
  const entryId = invoice.lines.find((l) => entryOf(l.timeEntryId)?.workTypeId === afterHours)!.timeEntryId!;
  stack.psa.admin.changeMapping(row.id, { account: 'Managed Services Revenue' });
  stack.psa.admin.deleteTimeEntry(entryId);
  const mine = refs.find((r) => r.kind === 'invoice' && r.id === String(invoice.id))!;

  const psa = await resolve('psa', refs);
  const own = psa.find((o) => o.ref.kind === 'invoice' && o.ref.id === mine.id)!;
  expect(own.status).toBe('ready');
  expect(own.drift).toEqual([]);
  expect(psa.filter((o) => o.drift.length > 0).length).toBeGreaterThan(0);
  expect(own.status === 'ready' && own.warnings).toEqual([expect.stringMatching(new RegExp(`GL drift not checked on 1 line .*time entry ${entryId} was not found in ConnectWise`))]);

  const current = await resolve('current', refs);
  const failed = current.filter((o) => o.status === 'failed');
  expect(failed.map((o) => o.ref.id)).toEqual([mine.id]);
  const error = failed[0]!.status === 'failed' ? failed[0]!.error : undefined;
  expect(error?.type).toBe('MappingMissing');
  expect(error?.message).toContain(`invoice ${mine.number}`);
  expect(error?.message).toContain(`time entry ${entryId} was not found in ConnectWise`);
  expect(error?.fix).toMatch(/glSource "psa"/);
  expect(error?.fix).toMatch(/reopen and close invoice/);
}, 120_000);
