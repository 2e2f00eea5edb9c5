/**
 * Marks confirmed records exported in the PSA by creating a ConnectWise accounting batch of their
 * GL entry ids. The identifier is unique per batch run, chunk and kind: a batch already carrying it
 * is this step's earlier attempt (its response lost) only if it holds exactly these GL entries;
 * holding anything else it is someone else's batch, and the step fails naming it, because skipping
 * would leave the posted records unmarked without a word.
 */
import { LedgerError } from '../domain/errors';
import { exportFlagsFor, type AccountingBatch, type ConnectWiseClient } from '../integrations/connectwise';
import type { MarkExportedInput, MarkExportedResult } from '../domain/contract';

/** How the GL entries a PSA batch holds differ from the wanted ones: counts of missing and other entries. */
export async function heldEntriesDiff(psa: ConnectWiseClient, batchId: number, glEntryIds: readonly number[]): Promise<{ missing: number; others: number }> {
  const held = new Set((await psa.batchEntries(batchId).all()).map((e) => e.id));
  const wanted = new Set(glEntryIds);
  return { missing: [...wanted].filter((id) => !held.has(id)).length, others: [...held].filter((id) => !wanted.has(id)).length };
}

async function checkHoldsExactly(psa: ConnectWiseClient, batch: AccountingBatch, input: MarkExportedInput): Promise<void> {
  const wanted = new Set(input.glEntryIds);
  const { missing, others } = await heldEntriesDiff(psa, batch.id, input.glEntryIds);
  if (missing === 0 && others === 0) return;
  throw new LedgerError(
    'Conflict',
    `ConnectWise accounting batch "${input.batchIdentifier}" (PSA batch ${batch.id}) already exists and holds other GL entries than the ${wanted.size} this step marks exported ` +
      `(${missing} of them missing, ${others} other entries): it is not this run's batch, so these ${input.kind} records were posted to the accounting package but are not marked exported.`,
    {
      fix:
        `Check what created PSA batch "${input.batchIdentifier}" in ConnectWise, then start a new batch run (each run names its PSA batches after itself): ` +
        'it finds the transactions already posted by their idempotency key and marks those records exported.',
      details: { batchIdentifier: input.batchIdentifier, psaBatchId: batch.id, missing, others },
    },
  );
}

/** Creates the PSA batch, or finds this step's earlier attempt (a batch already holding exactly these entries). */
export async function markRecordsExported(psa: ConnectWiseClient, input: MarkExportedInput): Promise<MarkExportedResult> {
  const existing = await psa.findBatch(input.batchIdentifier);
  if (existing) {
    await checkHoldsExactly(psa, existing, input);
    return { psaBatchId: existing.id, alreadyExisted: true };
  }
  await psa.createBatch({
    batchIdentifier: input.batchIdentifier,
    glInterfaceIdentifier: input.batchIdentifier,
    ...exportFlagsFor(input.kind),
    processedRecordIds: input.glEntryIds,
  });
  const created = await psa.findBatch(input.batchIdentifier);
  if (!created) throw new Error(`ConnectWise did not list batch ${input.batchIdentifier} after creating it`);
  return { psaBatchId: created.id, alreadyExisted: false };
}

export function markExportedActivities(deps: { psa: ConnectWiseClient }) {
  return {
    markExported: (input: MarkExportedInput) => markRecordsExported(deps.psa, input),
  };
}
