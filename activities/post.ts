/**
 * post: one accounting transaction per record, exactly once, even when attempts overlap (a slow
 * attempt still running while its retry starts) or answers are lost:
 *   - before creating anything it looks for transactions already carrying the record's idempotency
 *     marker, in every kind the record can become (settings may have changed since the last run);
 *   - what is left goes out in one `/batch` call whose requestid depends only on the records, so
 *     any attempt sending the same records gets QuickBooks' replay instead of a second copy;
 *   - the answer is read per item: what QuickBooks created is posted whatever happened to its
 *     neighbours; an item whose fate is unknown is looked up again (bounded rounds) before it is
 *     sent again; a business fault is that record's outcome;
 *   - every QuickBooks call, retries included, stays inside this attempt's start-to-close timeout
 *     and stops when the attempt is cancelled.
 */
import { LedgerError, isLedgerError, recordErrorOrThrow, toRecordError } from '../domain/errors';
import type { ConnectWiseClient } from '../integrations/connectwise';
import { batchRequestIdOf, ensureParty, type BatchItemResult, type QuickBooksClient, type TransactionEntity } from '../integrations/quickbooks';
import { partyKey } from '../domain/parties';
import type { PostInput, PostOutcome } from '../domain/contract';
import type { LedgerContext, LedgerContextCache } from '../integrations/ledger-context';
import type { LineOrigins } from '../integrations/line-origins';
import { idempotencyMarker, payloadWith, prepareRecords, type PreparedRecord } from './prepare-records';
import { nameInactiveReference, possibleDocNumbers, possibleKinds, postedSourceOf } from '../domain/posting';
import { activityCallBudget } from './call-budget';
import { heartbeat } from './heartbeat';
import { automatedTaxOutcome } from './post-automated-tax';

/** Look-up-then-create rounds for items whose outcome stayed unknown or transiently failed. */
export const MAX_POST_ROUNDS = 3;

interface Existing {
  entity: TransactionEntity;
  Id: string;
  DocNumber?: string;
  TxnDate?: string;
  PrivateNote?: string;
}

const refKey = (p: { ref: { kind: string; id: string } }) => `${p.ref.kind}:${p.ref.id}`;

/**
 * Transactions with any of the records' possible document numbers, in every kind they can be; and,
 * for records sent without a DocNumber (QuickBooks numbers them), the transactions of their kind
 * dated on their dates, which judge() narrows to the one carrying the record's marker.
 */
async function findExisting(ledger: QuickBooksClient, records: PreparedRecord[]): Promise<Existing[]> {
  const numbersByKind = new Map<TransactionEntity, Set<string>>();
  const datesByKind = new Map<TransactionEntity, Set<string>>();
  for (const r of records) {
    for (const kind of possibleKinds(r.record.recordType)) {
      const numbers = numbersByKind.get(kind) ?? new Set<string>();
      for (const n of possibleDocNumbers(r.record, r.draft.docNumber)) numbers.add(n);
      numbersByKind.set(kind, numbers);
    }
    if (!numberedBySender(r)) datesByKind.set(r.payload.entity, (datesByKind.get(r.payload.entity) ?? new Set<string>()).add(r.draft.txnDate));
  }
  const found = new Map<string, Existing>();
  const search = async (entity: TransactionEntity, field: 'DocNumber' | 'TxnDate', values: Set<string>) => {
    const rows = (await ledger.queryAll(entity, { where: [{ field, op: 'IN', value: [...values] }] })) as unknown as Omit<Existing, 'entity'>[];
    for (const row of rows) found.set(`${entity}:${row.Id}`, { ...row, entity });
  };
  for (const [entity, numbers] of numbersByKind) await search(entity, 'DocNumber', numbers);
  for (const [entity, dates] of datesByKind) await search(entity, 'TxnDate', dates);
  return [...found.values()];
}

/** Whether the record's transaction carries our DocNumber (false: QuickBooks assigns one). */
const numberedBySender = (p: PreparedRecord) => p.payload.body.DocNumber !== undefined;

type Verdict = { ours: Existing } | { blocking: Existing } | { create: { duplicateDocNumber: boolean } };

function judge(p: PreparedRecord, existing: Existing[]): Verdict {
  const numbers = possibleDocNumbers(p.record, p.draft.docNumber);
  const numbered = numberedBySender(p);
  // Without our DocNumber, a transaction of the record's kind on its date is a candidate too.
  const candidates = existing.filter(
    (t) =>
      (possibleKinds(p.record.recordType) as readonly string[]).includes(t.entity) &&
      (numbers.includes(t.DocNumber ?? '') || (!numbered && t.entity === p.payload.entity && t.TxnDate === p.draft.txnDate)),
  );
  const ours = candidates.find((t) => (t.PrivateNote ?? '').includes(idempotencyMarker(p.idempotencyKey)));
  if (ours) return { ours };
  const sameDoc = numbered ? existing.filter((t) => t.entity === p.payload.entity && t.DocNumber === p.draft.docNumber) : [];
  // Another PSA record may share the document number (two vendors' bill 1001, an expense report
  // and a transfer both numbered 12): that is not this record, so it does not block it. The same
  // record posted from another revision, in whichever kind, does.
  const blocking =
    sameDoc.find((t) => !postedSourceOf(t.PrivateNote)) ??
    candidates.find((t) => {
      const source = postedSourceOf(t.PrivateNote);
      return source !== undefined && source.recordType === p.record.recordType && source.recordId === p.record.recordId;
    });
  if (blocking) return { blocking };
  return { create: { duplicateDocNumber: sameDoc.length > 0 } };
}

function conflictOutcome(p: PreparedRecord, blocking: Existing): PostOutcome {
  const found = `${blocking.entity} ${blocking.DocNumber ?? ''} (Id ${blocking.Id})`;
  const source = postedSourceOf(blocking.PrivateNote);
  // The same record posted from an earlier revision: it was reopened (GL Reload) and closed again
  // in ConnectWise after it posted. Posting again would book it twice, so this record waits.
  const reloaded = source && source.recordType === p.record.recordType && source.recordId === p.record.recordId && source.revision !== p.record.revision;
  const error = reloaded
    ? new LedgerError('Conflict', `${p.draft.recordLabel} was reopened and closed again in ConnectWise (revision ${p.record.revision}) after revision ${source.revision} posted as QuickBooks ${found}`, {
        fix: `Compare the two: to post the new revision, void or delete QuickBooks ${found} and retry this record; to keep what is in QuickBooks, mark this revision exported in ConnectWise instead.`,
      })
    : new LedgerError('Conflict', `QuickBooks already has ${found}, not posted from this revision of ${p.draft.recordLabel}`, {
        fix: 'If it is an earlier version of this record, void or delete it in QuickBooks and retry; if it is the same document, mark the record exported in ConnectWise instead.',
      });
  return { ref: p.ref, status: 'failed', error: toRecordError(error) };
}

/** A record still unposted after the last round: retryable, and looked up first next time. */
function unsettledOutcome(p: PreparedRecord, error: LedgerError): PostOutcome {
  return {
    ref: p.ref,
    status: 'failed',
    error: {
      type: error.type,
      message: `${p.draft.recordLabel}: ${error.message}`,
      fix: 'retryFailed (or the next batch) posts it; it first looks the record up by its idempotency key, so it is never created twice.',
    },
  };
}

/**
 * Creates the missing parties the records need (each once, whatever runs alongside: see
 * ensureParty) and puts each created party's Id into its records' bodies. A clash fails the records
 * that need the party, naming it and the fix; the others go on.
 */
async function createParties(
  ledger: QuickBooksClient,
  context: LedgerContext,
  pending: PreparedRecord[],
  outcomes: PostOutcome[],
  onCreated: () => void,
): Promise<PreparedRecord[]> {
  const needing = new Map<string, PreparedRecord[]>();
  for (const p of pending) {
    if (!p.refs.newParty) continue;
    const key = partyKey(p.refs.newParty);
    needing.set(key, [...(needing.get(key) ?? []), p]);
  }
  if (needing.size === 0) return pending;
  const replaced = new Map<PreparedRecord, PreparedRecord | undefined>();
  for (const records of needing.values()) {
    const need = records[0].refs.newParty!;
    try {
      const party = await ensureParty(ledger, need, records[0].draft.recordLabel);
      if (party.created) onCreated();
      for (const p of records) {
        const refs = { ...p.refs, party: party.ref, newParty: undefined };
        replaced.set(p, { ...p, refs, payload: payloadWith(p.draft, refs, context, p.idempotencyKey) });
      }
    } catch (err) {
      const error = recordErrorOrThrow(err);
      const first = `${records[0].draft.recordLabel}: `;
      const about = error.message.startsWith(first) ? error.message.slice(first.length) : error.message;
      for (const p of records) {
        outcomes.push({ ref: p.ref, status: 'failed', error: { ...error, message: `${p.draft.recordLabel}: ${about}` } });
        replaced.set(p, undefined);
      }
    }
    heartbeat(`party ${need.role} ready`);
  }
  return pending.flatMap((p) => (replaced.has(p) ? (replaced.get(p) ? [replaced.get(p)!] : []) : [p]));
}

export function postActivities(deps: { psa: ConnectWiseClient; ledger: QuickBooksClient; realmId: string; ledgerContext: LedgerContextCache; origins?: LineOrigins }) {
  return {
    async postRecords(input: PostInput): Promise<PostOutcome[]> {
      const ledger = deps.ledger.withBudget(activityCallBudget());
      const context = await deps.ledgerContext.get();
      const prepared = await prepareRecords(input.records.map((r) => r.ref), input.glSource, deps, context, { batchId: input.batchId });
      const expectedDigest = new Map(input.records.map((r) => [refKey(r), r.draftDigest]));
      // A bId per record, from its place in the input: the same records get the same bIds in every attempt.
      const bIdOf = new Map(input.records.map((r, i) => [refKey(r), `b${i}`]));
      heartbeat('prepared');

      const outcomes: PostOutcome[] = [];
      let pending: PreparedRecord[] = [];
      for (const p of prepared) {
        if (!p.ok) outcomes.push({ ref: p.ref, status: 'failed', error: p.error });
        else if (p.digest !== expectedDigest.get(refKey(p)) && p.pendingPartyDigest !== expectedDigest.get(refKey(p))) {
          outcomes.push({
            ref: p.ref,
            status: 'failed',
            error: {
              type: 'Conflict',
              message: `${p.draft.recordLabel} changed in ConnectWise or QuickBooks between resolving and posting`,
              fix: 'Nothing was posted for it; retryFailed (or the next batch) picks up the current version.',
            },
          });
        } else pending.push(p);
      }

      pending = await createParties(ledger, context, pending, outcomes, () => deps.ledgerContext.invalidate());

      const sentHere = new Set<string>();
      let createdHere = 0;
      let lastError = new Map<string, LedgerError>();
      for (let round = 1; pending.length > 0 && round <= MAX_POST_ROUNDS; round++) {
        let existing: Existing[];
        try {
          existing = await findExisting(ledger, pending);
        } catch (err) {
          // Out of time or QuickBooks unreachable after something was created: keep what was.
          if (round === 1 || !isLedgerError(err) || !err.retryable) throw err;
          for (const p of pending) lastError.set(refKey(p), err);
          break;
        }
        const toCreate: Array<{ p: PreparedRecord; duplicateDocNumber: boolean }> = [];
        for (const p of pending) {
          const verdict = judge(p, existing);
          if ('ours' in verdict) {
            const status = sentHere.has(refKey(p)) ? 'posted' : 'alreadyPosted';
            const posted = { ref: p.ref, status, entity: verdict.ours.entity, txnId: verdict.ours.Id, total: p.draft.total } as const;
            const outcome = await automatedTaxOutcome(ledger, context.payloadOptions.taxRegime, p, verdict.ours as unknown as Record<string, unknown>, posted);
            if (outcome.status === 'posted') createdHere++;
            outcomes.push(outcome);
          } else if ('blocking' in verdict) outcomes.push(conflictOutcome(p, verdict.blocking));
          else toCreate.push({ p, duplicateDocNumber: verdict.create.duplicateDocNumber });
        }
        heartbeat(`looked up duplicates (round ${round})`);
        if (toCreate.length === 0) {
          pending = [];
          break;
        }

        const items = toCreate.map(({ p, duplicateDocNumber }) => ({
          bId: bIdOf.get(refKey(p))!,
          operation: 'create' as const,
          entity: p.payload.entity,
          body: p.payload.body,
          // A document number shared with another PSA record's transaction is expected (see judge).
          ...(duplicateDocNumber ? { optionsData: 'allowduplicatedocnum' } : {}),
        }));
        const requestId = batchRequestIdOf(toCreate.map(({ p }) => ({ bId: bIdOf.get(refKey(p))!, idempotencyKey: p.idempotencyKey })));
        for (const { p } of toCreate) sentHere.add(refKey(p));
        const results: BatchItemResult[] = await ledger.batchSettled(items, { requestId });

        const next: PreparedRecord[] = [];
        lastError = new Map();
        for (const [i, result] of results.entries()) {
          const { p } = toCreate[i];
          if (result.ok && result.entity) {
            const posted = { ref: p.ref, status: 'posted', entity: p.payload.entity, txnId: String(result.entity.value.Id), total: p.draft.total } as const;
            const outcome = await automatedTaxOutcome(ledger, context.payloadOptions.taxRegime, p, result.entity.value as Record<string, unknown>, posted);
            if (outcome.status === 'posted') createdHere++;
            outcomes.push(outcome);
          } else if (!result.ok && (result.outcomeUnknown || result.error.retryable)) {
            // Lost, odd or transiently refused: look it up again before sending it again.
            lastError.set(refKey(p), result.error);
            next.push(p);
          } else if (!result.ok) {
            outcomes.push({ ref: p.ref, status: 'failed', error: recordErrorOrThrow(nameInactiveReference(result.error, p.payload.body, p.draft.recordLabel)) });
          } else {
            lastError.set(refKey(p), new LedgerError('Unavailable', `QuickBooks POST /batch item ${result.bId} answered without the created ${p.payload.entity}`));
            next.push(p);
          }
        }
        pending = next;
        heartbeat(`created ${createdHere} (round ${round})`);
        // No time left for another look-up: what stays pending is settled below.
        if (pending.some((p) => lastError.get(refKey(p))?.details?.budgetExhausted === true)) break;
      }

      if (pending.length > 0) {
        // Nothing created in this attempt: let Temporal retry the whole call with its backoff.
        const first = lastError.get(refKey(pending[0]));
        if (createdHere === 0 && first) throw first;
        for (const p of pending) {
          outcomes.push(unsettledOutcome(p, lastError.get(refKey(p)) ?? new LedgerError('Unavailable', 'QuickBooks did not confirm the transaction')));
        }
      }
      const order = new Map(input.records.map((r, i) => [refKey(r), i]));
      return outcomes.sort((a, b) => order.get(refKey(a))! - order.get(refKey(b))!);
    },
  };
}
