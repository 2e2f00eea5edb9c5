/** resolve GL: each record's planned transaction, or the business reason it cannot be posted. */
import { Context } from '@temporalio/activity';
import { RECORD_DRIFT_CAP, RECORD_WARNINGS_CAP, type GlDrift, type RecordRef, type ResolveInput, type ResolveOutcome } from '../domain/contract';
import type { LedgerContextCache } from '../integrations/ledger-context';
import { missingPartyOf, prepareRecords } from './prepare-records';
import { firstRecordsLines } from '../domain/posting';
import type { ConnectWiseClient } from '../integrations/connectwise';
import { agreementChanges, type AgreementChanges } from '../integrations/agreement-changes';
import type { RecordRouter } from '../integrations/record-routing';
import { refKey } from '../domain/batch-chunk';
import { isLedgerError } from '../domain/errors';
import type { StaleRecord } from '../domain/stale-agreements';
import type { LineOrigins } from '../integrations/line-origins';
import type { PreparedRecords } from './prepared-records';

/** A record's drifting lines, the first RECORD_DRIFT_CAP listed and the rest counted, so history stays small. */
export function cappedDrift(drift: readonly GlDrift[]): { drift: GlDrift[]; driftOmitted?: number } {
  return drift.length > RECORD_DRIFT_CAP ? { drift: drift.slice(0, RECORD_DRIFT_CAP), driftOmitted: drift.length - RECORD_DRIFT_CAP } : { drift: [...drift] };
}

/**
 * The stale-agreement flags never hold a batch back: when ConnectWise refuses the agreement reads
 * (say the API member may not view agreements), the records resolve without them and the worker
 * log says why; transient failures are retried with the activity.
 */
export async function staleOrNone(agreements: Pick<AgreementChanges, 'staleRecords'>, input: ResolveInput): Promise<StaleRecord[]> {
  try {
    return await agreements.staleRecords(input.refs, input.batchId);
  } catch (err) {
    if (isLedgerError(err) && err.retryable) throw err;
    Context.current().log.warn('agreement changes not checked', { error: isLedgerError(err) ? err.type : 'Unexpected', message: err instanceof Error ? err.message : String(err) });
    return [];
  }
}

/** Records that route to another accounting company, or to none, fail here: nothing posts by guesswork. */
async function routedHere(refs: RecordRef[], company: ResolveDeps['company']): Promise<{ here: RecordRef[]; unrouted: ResolveOutcome[] }> {
  if (!company) return { here: refs, unrouted: [] };
  const failures = await company.router.failures(refs, company.name);
  return {
    here: refs.filter((_, i) => !failures.has(i)),
    unrouted: [...failures].map(([i, error]) => ({ ref: refs[i]!, status: 'failed', error, drift: [] })),
  };
}

interface ResolveDeps {
  psa: ConnectWiseClient;
  realmId: string;
  ledgerContext: LedgerContextCache;
  agreements?: AgreementChanges;
  origins?: LineOrigins;
  company?: { name: string; router: RecordRouter };
  /** Where post finds what resolve prepared, so it does not read the records again. */
  prepared?: PreparedRecords;
}

export function resolveActivities(deps: ResolveDeps) {
  const agreements = deps.agreements ?? agreementChanges(deps.psa);
  return {
    async resolveRecords(input: ResolveInput): Promise<ResolveOutcome[]> {
      const { here, unrouted } = await routedHere(input.refs, deps.company);
      if (here.length === 0) return unrouted;
      const context = await deps.ledgerContext.get();
      Context.current().heartbeat('chart loaded');
      const prepared = await prepareRecords(here, input.glSource, deps, context, { batchId: input.batchId, drift: true });
      if (input.batchId !== undefined) for (const p of prepared) if (p.ok) deps.prepared?.resolved(input.batchId, input.glSource, p);
      const staleByRef = new Map<string, ResolveOutcome['stale']>();
      for (const s of await staleOrNone(agreements, { ...input, refs: here })) {
        const key = refKey(s);
        staleByRef.set(key, [...(staleByRef.get(key) ?? []), { agreement: s.agreement, change: s.change, fix: s.fix }]);
      }
      // A dry run lists where the lines of its first records post.
      const linesOf = firstRecordsLines(input.lineAccounts ?? 0, (id) => context.matcher.itemById(id));
      const withStale = <T extends ResolveOutcome>(o: T): T => (staleByRef.has(refKey(o.ref)) ? { ...o, stale: staleByRef.get(refKey(o.ref)) } : o);
      const outcomes = prepared.map((p) =>
        withStale<ResolveOutcome>(p.ok
          ? {
              ref: p.ref,
              status: 'ready',
              draftDigest: p.digest,
              entity: p.payload.entity,
              docNumber: typeof p.payload.body.DocNumber === 'string' ? p.payload.body.DocNumber : '(numbered by QuickBooks)',
              total: p.draft.total,
              lineCount: p.draft.lines.length,
              ...linesOf(p.draft, p.refs),
              ...cappedDrift(p.drift),
              ...(p.warnings.length > 0 && { warnings: p.warnings.slice(0, RECORD_WARNINGS_CAP) }),
              ...(p.refs.newParty && { missingParty: missingPartyOf(p.refs.newParty, true) }),
            }
          : { ref: p.ref, status: 'failed', error: p.error, ...cappedDrift(p.drift), ...(p.missingParty && { missingParty: p.missingParty }) }),
      );
      return [...outcomes, ...unrouted];
    },
  };
}
