/** resolve GL: each record's planned transaction, or the business reason it cannot be posted. */
import { Context } from '@temporalio/activity';
import type { ResolveInput, ResolveOutcome } from '../domain/contract';
import type { LedgerContextCache } from '../integrations/ledger-context';
import { prepareRecords } from './prepare-records';
import type { ConnectWiseClient } from '../integrations/connectwise';

export function resolveActivities(deps: { psa: ConnectWiseClient; realmId: string; ledgerContext: LedgerContextCache }) {
  return {
    async resolveRecords(input: ResolveInput): Promise<ResolveOutcome[]> {
      const context = await deps.ledgerContext.get();
      Context.current().heartbeat('chart loaded');
      const prepared = await prepareRecords(input.refs, input.glSource, deps, context);
      return prepared.map((p) =>
        p.ok
          ? {
              ref: p.ref,
              status: 'ready',
              draftDigest: p.digest,
              entity: p.payload.entity,
              docNumber: typeof p.payload.body.DocNumber === 'string' ? p.payload.body.DocNumber : '(numbered by QuickBooks)',
              total: p.draft.total,
              lineCount: p.draft.lines.length,
              drift: p.drift,
            }
          : { ref: p.ref, status: 'failed', error: p.error, drift: p.drift },
      );
    },
  };
}
