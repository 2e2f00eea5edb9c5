/**
 * Marks confirmed records exported in the PSA by creating a ConnectWise accounting batch of their
 * GL entry ids. The identifier is unique per batch run, chunk and kind: a batch already carrying it
 * is this step's earlier attempt (its response lost) only if it holds exactly these GL entries;
 * holding anything else it is someone else's batch, and the step fails naming it, because skipping
 * would leave the posted records unmarked without a word.
 *
 * A record reopened in the PSA after it was read has left the unposted lists, and ConnectWise
 * refuses a batch naming its entries. Given the records, the step then reads which of them
 * ConnectWise no longer exports with the entries posted, marks the others, and names those.
 */
import { LedgerError, isLedgerError } from '../domain/errors';
import { exportFlagsFor, type AccountingBatch, type ConnectWiseClient } from '../integrations/connectwise';
import type { MarkExportedInput, MarkExportedResult } from '../domain/contract';
import { refKey } from '../domain/batch-chunk';
import { exportedGlEntryIds } from './prepare-records';

type Marked = NonNullable<MarkExportedInput['records']>[number];

/** How the GL entries a PSA batch holds differ from the wanted ones: counts of missing and other entries. */
export async function heldEntriesDiff(psa: ConnectWiseClient, batchId: number, glEntryIds: readonly number[]): Promise<{ missing: number; others: number }> {
  return diffOf(await heldEntries(psa, batchId), glEntryIds);
}

const heldEntries = async (psa: ConnectWiseClient, batchId: number) => new Set((await psa.batchEntries(batchId).all()).map((e) => e.id));

function diffOf(held: ReadonlySet<number>, glEntryIds: readonly number[]): { missing: number; others: number } {
  const wanted = new Set(glEntryIds);
  return { missing: [...wanted].filter((id) => !held.has(id)).length, others: [...held].filter((id) => !wanted.has(id)).length };
}

/** The records ConnectWise no longer exports with the GL entries they were posted with. */
async function changedSincePosting(psa: ConnectWiseClient, records: readonly Marked[]): Promise<Marked[]> {
  if (records.length === 0) return [];
  const now = await exportedGlEntryIds(psa, records.map((r) => r.ref));
  return records.filter((r) => {
    const current = new Set(now.get(refKey(r.ref)) ?? []);
    return r.glEntryIds.some((id) => !current.has(id));
  });
}

function notThisRunsBatch(batch: AccountingBatch, input: MarkExportedInput, diff: { missing: number; others: number }): LedgerError {
  return new LedgerError(
    'Conflict',
    `ConnectWise accounting batch "${input.batchIdentifier}" (PSA batch ${batch.id}) already exists and holds other GL entries than the ${new Set(input.glEntryIds).size} this step marks exported ` +
      `(${diff.missing} of them missing, ${diff.others} other entries): it is not this run's batch, so these ${input.kind} records were posted to the accounting package but are not marked exported.`,
    {
      fix:
        `Check what created PSA batch "${input.batchIdentifier}" in ConnectWise, then start a new batch run (each run names its PSA batches after itself): ` +
        'it finds the transactions already posted by their idempotency key and marks those records exported.',
      details: { batchIdentifier: input.batchIdentifier, psaBatchId: batch.id, ...diff },
    },
  );
}

/**
 * The batch found under the identifier is this step's earlier attempt when it holds exactly the
 * entries, or (given the records) exactly the whole records that had not changed since posting.
 */
async function earlierAttempt(psa: ConnectWiseClient, batch: AccountingBatch, input: MarkExportedInput): Promise<MarkExportedResult> {
  const held = await heldEntries(psa, batch.id);
  const diff = diffOf(held, input.glEntryIds);
  if (diff.missing === 0 && diff.others === 0) return { psaBatchId: batch.id, alreadyExisted: true };
  const left = (input.records ?? []).filter((r) => !r.glEntryIds.some((id) => held.has(id)));
  const heldWhole = (input.records ?? []).filter((r) => r.glEntryIds.every((id) => held.has(id)));
  const wholeRecordsOnly = input.records !== undefined && diff.others === 0 && left.length + heldWhole.length === input.records.length;
  if (wholeRecordsOnly && (await changedSincePosting(psa, left)).length === left.length) {
    return { psaBatchId: batch.id, alreadyExisted: true, changed: left.map((r) => r.ref) };
  }
  throw notThisRunsBatch(batch, input, diff);
}

async function createBatch(psa: ConnectWiseClient, input: MarkExportedInput, glEntryIds: number[]): Promise<number> {
  await psa.createBatch({
    batchIdentifier: input.batchIdentifier,
    glInterfaceIdentifier: input.batchIdentifier,
    ...exportFlagsFor(input.kind),
    processedRecordIds: glEntryIds,
  });
  const created = await psa.findBatch(input.batchIdentifier);
  if (!created) throw new Error(`ConnectWise did not list batch ${input.batchIdentifier} after creating it`);
  return created.id;
}

/** Times the records are checked again when ConnectWise refuses the batch (each check names more). */
const CHANGE_CHECKS = 3;

/** Creates the PSA batch, or finds this step's earlier attempt (a batch already holding exactly these entries). */
export async function markRecordsExported(psa: ConnectWiseClient, input: MarkExportedInput): Promise<MarkExportedResult> {
  const existing = await psa.findBatch(input.batchIdentifier);
  if (existing) return earlierAttempt(psa, existing, input);
  const changed = new Set<Marked>();
  for (let check = 0; ; check++) {
    const marking = input.records?.filter((r) => !changed.has(r));
    const named = changed.size > 0 ? { changed: [...changed].map((r) => r.ref) } : {};
    const glEntryIds = marking ? marking.flatMap((r) => r.glEntryIds) : input.glEntryIds;
    if (glEntryIds.length === 0) return { alreadyExisted: false, ...named };
    try {
      return { psaBatchId: await createBatch(psa, input, glEntryIds), alreadyExisted: false, ...named };
    } catch (err) {
      // ConnectWise refuses the whole batch when one entry is no longer unposted: which record moved?
      if (!marking || check === CHANGE_CHECKS || !(isLedgerError(err) && err.type === 'ValidationRejected')) throw err;
      const moved = await changedSincePosting(psa, marking);
      if (moved.length === 0) throw err;
      for (const r of moved) changed.add(r);
    }
  }
}

export function markExportedActivities(deps: { psa: ConnectWiseClient }) {
  return {
    markExported: (input: MarkExportedInput) => markRecordsExported(deps.psa, input),
  };
}
