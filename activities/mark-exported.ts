/**
 * Marks confirmed records exported in the PSA by creating a ConnectWise accounting batch of their
 * GL entry ids. The identifier is unique per chunk and kind, so a retry after a lost response finds
 * the batch instead of creating a second one.
 */
import { exportFlagsFor, type ConnectWiseClient } from '../integrations/connectwise';
import type { MarkExportedInput, MarkExportedResult } from '../domain/contract';

export function markExportedActivities(deps: { psa: ConnectWiseClient }) {
  return {
    async markExported(input: MarkExportedInput): Promise<MarkExportedResult> {
      const existing = await deps.psa.findBatch(input.batchIdentifier);
      if (existing) return { psaBatchId: existing.id, alreadyExisted: true };
      await deps.psa.createBatch({
        batchIdentifier: input.batchIdentifier,
        glInterfaceIdentifier: input.batchIdentifier,
        ...exportFlagsFor(input.kind),
        processedRecordIds: input.glEntryIds,
      });
      const created = await deps.psa.findBatch(input.batchIdentifier);
      if (!created) throw new Error(`ConnectWise did not list batch ${input.batchIdentifier} after creating it`);
      return { psaBatchId: created.id, alreadyExisted: false };
    },
  };
}
