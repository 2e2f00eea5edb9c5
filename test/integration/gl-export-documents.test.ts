/**
 * GL export documents against the real sandboxes, through the activities:
 *   - one bad record fails alone: an export with a malformed document of each kind among good ones
 *     (a line without its GL account, an unknown GL type, an amount of the wrong type, an amount in
 *     fractions of a cent) fails exactly those records in resolve, each naming its document number,
 *     the field and the fix; every other record resolves and posts;
 *   - procurement records are marked exported by their unposted row's id (the header's GL entry):
 *     references collected before they carried `rowId` (a batch an earlier worker started) still
 *     resolve, post, reconcile and are marked exported, the row ids looked up by unpostedProductId.
 */
import { MockActivityEnvironment } from '@temporalio/testing';
import { collectActivities } from '../../activities/collect';
import { markExportedActivities } from '../../activities/mark-exported';
import { postActivities } from '../../activities/post';
import { reconcileActivities } from '../../activities/reconcile';
import { resolveActivities } from '../../activities/resolve';
import { RECORD_KINDS, type PostOutcome, type ReconcileOutcome, type RecordRef, type ResolveOutcome } from '../../domain/contract';
import type { ConnectWiseClient, GlExportEnvelope } from '../../integrations/connectwise';
import { ledgerContextCache } from '../../integrations/ledger-context';
import { stackLedgerClient, startLedgerStack, type LedgerStack } from '../../dev/stack/ledger-stack';

let stack: LedgerStack;
beforeAll(async () => {
  stack = await startLedgerStack({ checklistPassed: false });
}, 60_000);
afterAll(async () => {
  await stack?.close();
});

/** The activities' dependencies over this PSA client, and a mock activity context to run them in. */
function activityContext(psa: ConnectWiseClient) {
  const ledger = stackLedgerClient(stack);
  const shared = { psa, ledger, realmId: ledger.realmId, ledgerContext: ledgerContextCache({ psa, ledger }) };
  return { shared, env: new MockActivityEnvironment({ attempt: 1, startToCloseTimeoutMs: 300_000 }) };
}

type Doc = Record<string, unknown>;
type Expectation = { number: string; message: RegExp; fix: RegExp };

/** The first document of a section the first time it is exported, the same document ever after. */
function target(glExport: GlExportEnvelope, section: keyof GlExportEnvelope, chosen: Map<string, unknown>): Doc | undefined {
  const docs = (glExport[section] ?? []) as Doc[];
  if (!chosen.has(section) && docs.length > 0) chosen.set(section, docs[0]!.id);
  return docs.find((d) => d.id === chosen.get(section));
}
const firstOf = (doc: Doc, key: string): Doc => (doc[key] as Doc[])[0]!;

/** The sandbox's export with one document of four kinds broken; `broken` says what each failure must say. */
function corrupt(glExport: GlExportEnvelope, chosen: Map<string, unknown>, broken: Map<string, Expectation>): GlExportEnvelope {
  const invoice = target(glExport, 'transactions', chosen);
  if (invoice) {
    delete firstOf(invoice, 'detail').accountNumber;
    broken.set(`invoice:${String(invoice.id)}`, { number: String(invoice.documentNumber), message: /no GL account on transactions\[\d+\]\.detail\[0\]/, fix: /Map a GL account/ });
  }
  const purchase = target(glExport, 'purchaseTransactions', chosen);
  if (purchase) {
    firstOf(purchase, 'purchaseDetail').glTypeId = 'ZZ';
    broken.set(`procurement:${String(purchase.id)}`, { number: String(purchase.vendorInvoiceNumber), message: /unknown GL type "ZZ"/, fix: /GL Accounts setup table/ });
  }
  const bill = target(glExport, 'expenseBills', chosen);
  if (bill) {
    firstOf(bill, 'detail').total = 'twenty';
    broken.set(`expense:${String(bill.id)}`, { number: String(bill.documentNumber), message: /expenseBills\[\d+\]\.detail\[0\]\.total: .*expected number/, fix: /whole cents/ });
  }
  const adjustment = target(glExport, 'adjustmentTransactions', chosen);
  if (adjustment) {
    firstOf(adjustment, 'adjustmentDetail').total = 12.345;
    broken.set(`procurement:${String(adjustment.id)}`, { number: String(adjustment.id), message: /amount 12\.345 .* not a number of whole cents/, fix: /whole cents/ });
  }
  return glExport;
}

it('a malformed document fails only its record, naming its number and the fix; the others post', async () => {
  const refs: RecordRef[] = [];
  const collect = collectActivities({ psa: stack.deps.psa });
  for (const kind of RECORD_KINDS) refs.push(...(await collect.collectUnposted({ kind, pageSize: 100 })).refs);

  const broken = new Map<string, Expectation>();
  const chosen = new Map<string, unknown>();
  const psa = Object.create(stack.deps.psa) as ConnectWiseClient;
  psa.exportGl = async (request) => corrupt(await stack.deps.psa.exportGl(request), chosen, broken);
  const { shared, env } = activityContext(psa);

  const outcomes: ResolveOutcome[] = await env.run(resolveActivities(shared).resolveRecords, { refs, glSource: 'psa' as const });
  expect(broken.size).toBe(4);
  const failed = outcomes.filter((o) => o.status === 'failed');
  expect(failed.map((o) => `${o.ref.kind}:${o.ref.id}`).sort()).toEqual([...broken.keys()].sort());
  for (const o of failed) {
    const want = broken.get(`${o.ref.kind}:${o.ref.id}`)!;
    expect(o.error.message).toContain(want.number);
    expect(o.error.message).toMatch(want.message);
    expect(o.error.fix).toMatch(want.fix);
    expect(o.error.type).not.toBe('ResponseShapeMismatch');
  }

  const ready = outcomes.filter((o): o is Extract<ResolveOutcome, { status: 'ready' }> => o.status === 'ready');
  expect(ready.length).toBe(refs.length - 4);
  const posted: PostOutcome[] = await env.run(postActivities(shared).postRecords, { batchId: 'malformed', glSource: 'psa' as const, records: ready.map((o) => ({ ref: o.ref, draftDigest: o.draftDigest })) });
  expect(posted.filter((p) => p.status !== 'posted')).toEqual([]);
  expect(new Set(posted.map((p) => p.ref.kind))).toEqual(new Set(RECORD_KINDS));
}, 120_000);

it('procurement references without rowId (collected by an earlier worker) post and are marked exported', async () => {
  const collected = (await collectActivities({ psa: stack.deps.psa }).collectUnposted({ kind: 'procurement', pageSize: 100 })).refs;
  expect(collected.every((r) => typeof r.rowId === 'number')).toBe(true);
  const refs: RecordRef[] = collected.map(({ rowId: _rowId, ...old }) => old);

  const { shared, env } = activityContext(stack.deps.psa);
  const resolved: ResolveOutcome[] = await env.run(resolveActivities(shared).resolveRecords, { refs, glSource: 'psa' as const });
  const ready = resolved.filter((o): o is Extract<ResolveOutcome, { status: 'ready' }> => o.status === 'ready');
  expect(ready.length).toBe(refs.length);
  const posted: PostOutcome[] = await env.run(postActivities(shared).postRecords, { batchId: 'old-refs', glSource: 'psa' as const, records: ready.map((o) => ({ ref: o.ref, draftDigest: o.draftDigest })) });
  const ok = posted.filter((p): p is Extract<PostOutcome, { status: 'posted' | 'alreadyPosted' }> => p.status !== 'failed');
  expect(ok.length).toBe(refs.length);
  const reconciled: ReconcileOutcome[] = await env.run(reconcileActivities(shared).reconcileRecords, {
    glSource: 'psa' as const,
    posted: ok.map((p) => ({ ref: p.ref, entity: p.entity, txnId: p.txnId })),
  });
  expect(reconciled.every((r) => r.confirmed)).toBe(true);
  // Each record's processedRecordIds include its unposted row's id.
  const rowIds = new Set(collected.map((r) => r.rowId));
  expect(reconciled.every((r) => r.glEntryIds.some((id) => rowIds.has(id)))).toBe(true);

  await env.run(markExportedActivities(shared).markExported, { batchIdentifier: 'old-refs-0-P', kind: 'procurement' as const, glEntryIds: reconciled.flatMap((r) => r.glEntryIds) });
  expect(await stack.deps.psa.unpostedProcurement.count()).toBe(0);
}, 120_000);
