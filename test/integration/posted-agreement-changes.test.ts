/**
 * An agreement cancelled after an earlier batch posted its invoice: the next batch's report (its
 * summary and mail) names the invoice, the agreement, what changed and the fix; the batch after
 * that does not flag it again. Real Temporal dev server, both sandboxes, one company and queue.
 */
import { accountingBatch } from '../../workflows';
import { withStackWorkers } from '../../dev/stack/ledger-stack';
import { stackDataConverter, workflowBundle } from '../../dev/stack/temporal';
import { CompanyStateStore } from '../../integrations/state';
import { stackPerFile } from '../helpers/stack-per-file';

const world = stackPerFile();
/** One deployment: the company state (when agreements were last checked) belongs to its main task queue. */
const taskQueue = 'it-posted-agreements';

const batch = (batchId: string, dryRun = false) =>
  world.env.client.workflow.execute(accountingBatch, { taskQueue, workflowId: `it-posted-${batchId}`, args: [{ batchId, dryRun, notify: { email: 'finance@msp.test' }, retryWindow: '1s' }] });

// The workers run throughout: they also answer the company state's queries.
it('flags an invoice posted by an earlier batch whose agreement was cancelled since, in the next report only', async () => {
  await withStackWorkers(world.stack, world.env.nativeConnection, taskQueue, stackDataConverter(), await workflowBundle(), threeBatches);
});

async function threeBatches() {
  const { env, stack } = world;
  const first = await batch('PA1');
  expect(first.stale).toEqual([]);
  const snap = stack.psa.admin.snapshot();
  const invoice = snap.invoices.find((i) => i.applyToType === 'Agreement' && i.applyToId === 1 && i.closed)!;
  expect(await stack.deps.psa.unpostedInvoices.count({ conditions: `id=${invoice.id}` })).toBe(0);

  // Cancel in a later second than the first batch's check (ConnectWise's datetimes are whole seconds).
  const store = new CompanyStateStore(env.client, taskQueue, stack.deps.ledger.realmId);
  const checked = (await store.read()).agreementsCheckedUntil!;
  expect(checked).toBeDefined();
  while (Math.floor(Date.now() / 1000) * 1000 <= Date.parse(checked)) await new Promise((r) => setTimeout(r, 100));
  const agreement = stack.psa.admin.changeAgreement(1, { cancel: { reason: 'Customer left' } });

  // A dry run sees the change but moves nothing: the next real batch still reports it.
  const dry = await batch('PA2-dry', true);
  expect(dry.stale.map((r) => r.number)).toEqual([invoice.invoiceNumber]);
  expect((await store.read()).agreementsCheckedUntil).toBe(checked);

  const second = await batch('PA2');
  expect(second.agreementCheckError).toBeUndefined();
  expect(second.stale).toEqual([
    {
      kind: 'invoice',
      id: String(invoice.id),
      number: invoice.invoiceNumber,
      agreement: `"${agreement.name as string}" (id 1)`,
      change: `cancelled on ${(agreement.dateCancelled as string).slice(0, 10)} (reason: Customer left) after an earlier batch posted the invoice (before ${checked})`,
      fix: expect.stringMatching(new RegExp(`^Check invoice ${invoice.invoiceNumber} against the cancellation of agreement .*issue a credit memo in ConnectWise, which the next batch posts\\.$`)),
    },
  ]);
  const entry = (await stack.mail.list()).find((m) => /PA2:/.test(m.subject))!;
  const mail = (await stack.mail.read(entry.id))!;
  const text = mail.text!.replace(/\s+/g, ' ');
  expect(text).toContain(`Invoice ${invoice.invoiceNumber} Agreement: "${agreement.name as string}" (id 1) Changed: cancelled on`);
  expect(text).toContain(`(reason: Customer left) after an earlier batch posted the invoice (before ${checked})`);

  const third = await batch('PA3');
  expect(third.stale).toEqual([]);
  expect(third.agreementCheckError).toBeUndefined();
}
