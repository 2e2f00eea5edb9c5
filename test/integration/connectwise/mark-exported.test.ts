/** markExported against the ConnectWise sandbox: an existing PSA batch of the same identifier. */
import { markExportedActivities } from '../../../activities/mark-exported';
import type { ConnectWiseClient } from '../../../integrations/connectwise';
import { startFixture, type Fixture } from './sandbox-fixture';

let fx: Fixture;
let psa: ConnectWiseClient;

beforeAll(async () => {
  fx = await startFixture({ seed: 'demo', fresh: true });
  psa = fx.client();
});
afterAll(async () => {
  await fx?.dispose();
});

/** GL entry ids of a newly generated and closed invoice. */
function closedInvoiceEntries(seed: number): number[] {
  fx.sandbox.admin.generate({ invoices: 1, close: false, seed });
  const id = Math.max(...fx.sandbox.admin.snapshot().invoices.map((i) => i.id));
  return fx.sandbox.admin.close('invoice', id).entryIds;
}

describe('markExported with an identifier already in use', () => {
  it('takes a batch holding exactly its GL entries as its own earlier attempt', async () => {
    const { markExported } = markExportedActivities({ psa });
    const glEntryIds = closedInvoiceEntries(21);
    const first = await markExported({ batchIdentifier: 'T-own.abc1234-0-I', kind: 'invoice', glEntryIds });
    expect(first.alreadyExisted).toBe(false);
    const again = await markExported({ batchIdentifier: 'T-own.abc1234-0-I', kind: 'invoice', glEntryIds });
    expect(again).toEqual({ psaBatchId: first.psaBatchId, alreadyExisted: true });
  });

  it('fails naming the batch and the fix when the batch holds other GL entries, marking nothing', async () => {
    const others = closedInvoiceEntries(22);
    await psa.createBatch({ batchIdentifier: 'T-taken-0-I', glInterfaceIdentifier: 'T-taken-0-I', exportInvoicesFlag: true, processedRecordIds: others });
    const ours = closedInvoiceEntries(23);
    const { markExported } = markExportedActivities({ psa });

    const failure = markExported({ batchIdentifier: 'T-taken-0-I', kind: 'invoice', glEntryIds: ours });
    await expect(failure).rejects.toMatchObject({
      type: 'Conflict',
      message: expect.stringContaining('"T-taken-0-I"'),
      fix: expect.stringContaining('start a new batch run'),
    });
    // Our records are still unposted in the PSA: nothing was silently skipped as done.
    const unposted = await psa.unpostedInvoices.all();
    const entryIdsOfUnposted = fx.sandbox.admin
      .snapshot()
      .invoices.filter((i) => unposted.some((u) => u.id === i.id))
      .flatMap((i) => i.entryIds);
    expect(entryIdsOfUnposted).toEqual(expect.arrayContaining(ours));
  });
});
