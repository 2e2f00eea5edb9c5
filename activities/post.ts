/**
 * post: one accounting transaction per record, exactly once, even when attempts overlap (a slow
 * attempt still running while its retry starts) or answers are lost:
 *   - each record is what resolve prepared on this worker under the digest it reported; a record
 *     this worker does not hold is read again, and one that no longer matches the digest is not sent;
 *   - before creating anything it looks for transactions already carrying the record's idempotency
 *     marker, in every kind the record can become (settings may have changed since the last run);
 *   - a record reopened and closed again in the PSA updates its earlier revision's transaction in
 *     place (the edit replay, below) instead of posting a second one;
 *   - what is left goes out in one `/batch` call whose requestid depends only on the records, so
 *     any attempt sending the same records gets QuickBooks' replay instead of a second copy (a replay
 *     naming a transaction since voided or deleted is sent again under a new requestid);
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
import { EDIT_CHANGES_CAP, type PostInput, type PostOutcome, type RecordEdit } from '../domain/contract';
import type { LedgerContext, LedgerContextCache } from '../integrations/ledger-context';
import type { LineOrigins } from '../integrations/line-origins';
import { payloadWith, prepareRecords, type Preparation, type PreparedRecord } from './prepare-records';
import { keptOrRead, type PreparedRecords } from './prepared-records';
import {
  fingerprintChanges,
  fingerprintInNote,
  fingerprintOf,
  isVoided,
  nameInactiveReference,
  possibleDocNumbers,
  possibleKinds,
  postedSourceOf,
  transactionChanges,
  withFingerprint,
  type QuickBooksBody,
} from '../domain/posting';
import {
  appliedTo,
  describeTransaction,
  findTransactions,
  isStale,
  ownTransaction,
  readTransaction,
  recordTransactions,
  writeRequestId,
  type LedgerTransaction,
  type PostedSearch,
} from '../integrations/posted-transactions';
import { describeFingerprintChanges } from '../domain/ledger-changes';
import { activityCallBudget } from './call-budget';
import { earlierHeartbeat, heartbeat } from './heartbeat';
import { automatedTaxOutcome } from './post-automated-tax';

/** Look-up-then-create rounds for items whose outcome stayed unknown or transiently failed. */
export const MAX_POST_ROUNDS = 3;

const refKey = (p: { ref: { kind: string; id: string } }) => `${p.ref.kind}:${p.ref.id}`;

/** Whether the record's transaction carries our DocNumber (false: QuickBooks assigns one). */
const numberedBySender = (p: PreparedRecord) => p.payload.body.DocNumber !== undefined;

/** Where the record's transaction can be: its possible numbers in every kind, and its date when QuickBooks numbers it. */
function searchFor(p: PreparedRecord): PostedSearch {
  return {
    kinds: possibleKinds(p.record.recordType) as readonly TransactionEntity[],
    numbers: possibleDocNumbers(p.record, p.draft.docNumber),
    ...(!numberedBySender(p) && { dated: { entity: p.payload.entity as TransactionEntity, date: p.draft.txnDate } }),
  };
}

type Verdict = { ours: LedgerTransaction } | { replace: LedgerTransaction } | { blocking: LedgerTransaction } | { create: { duplicateDocNumber: boolean } };

function judge(p: PreparedRecord, existing: LedgerTransaction[]): Verdict {
  const numbers = possibleDocNumbers(p.record, p.draft.docNumber);
  const numbered = numberedBySender(p);
  const kinds = possibleKinds(p.record.recordType) as readonly string[];
  // Without our DocNumber, a transaction of the record's kind on its date is a candidate too.
  const candidates = existing.filter(
    (t) => kinds.includes(t.entity) && (numbers.includes(t.DocNumber ?? '') || (!numbered && t.entity === p.payload.entity && t.TxnDate === p.draft.txnDate)),
  );
  const ours = ownTransaction(candidates, [p.idempotencyKey, ...(p.formerKeys ?? [])], kinds);
  if (ours) return { ours };
  // A voided transaction books nothing: it neither is this record's posting nor blocks it, but
  // QuickBooks still counts its number.
  const sameDoc = numbered ? existing.filter((t) => t.entity === p.payload.entity && t.DocNumber === p.draft.docNumber) : [];
  // The same record posted from another revision (reopened and closed again in the PSA): updated in
  // place when it is the kind this revision posts as.
  const earlier = recordTransactions(candidates, p.record);
  const replace = earlier.find((t) => t.entity === p.payload.entity);
  if (replace) return { replace };
  // Another PSA record may share the document number (two vendors' bill 1001, an expense report
  // and a transfer both numbered 12): that is not this record, so it does not block it.
  const blocking = sameDoc.find((t) => !isVoided(t) && !postedSourceOf(t.PrivateNote)) ?? earlier[0];
  if (blocking) return { blocking };
  return { create: { duplicateDocNumber: sameDoc.length > 0 } };
}

const failedWith = (p: PreparedRecord, error: LedgerError): PostOutcome => ({ ref: p.ref, status: 'failed', error: toRecordError(error) });

/** What was reopened and posted before, as the start of a message. */
function reclosed(p: PreparedRecord, txn: LedgerTransaction): string {
  const from = postedSourceOf(txn.PrivateNote)?.revision;
  return `${p.draft.recordLabel} was reopened and closed again in ConnectWise (revision ${p.record.revision})${from ? ` after revision ${from}` : ''} posted as ${describeTransaction(txn)}`;
}

const KEEP_QUICKBOOKS = 'To keep what is in QuickBooks, mark this revision exported in ConnectWise instead.';

function conflictOutcome(p: PreparedRecord, blocking: LedgerTransaction): PostOutcome {
  const found = describeTransaction(blocking);
  const source = postedSourceOf(blocking.PrivateNote);
  const sameRecord = source && source.recordType === p.record.recordType && source.recordId === p.record.recordId;
  // The same record, posted from an earlier revision as another kind of transaction (settings changed): QuickBooks cannot turn one kind into another.
  const error = sameRecord
    ? new LedgerError('Conflict', `${reclosed(p, blocking)}; this revision posts as a ${p.payload.entity}, so it cannot update that ${blocking.entity} in place`, {
        fix: `To post the new revision, void or delete ${found} and retry this record. ${KEEP_QUICKBOOKS}`,
      })
    : new LedgerError('Conflict', `QuickBooks already has ${found}, not posted from this revision of ${p.draft.recordLabel}`, {
        fix: 'If it is an earlier version of this record, void or delete it in QuickBooks and retry; if it is the same document, mark the record exported in ConnectWise instead.',
      });
  return failedWith(p, error);
}

/** A record not settled after the last round: retryable, and looked up first next time. */
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
 * The body as it is sent: the payload with the fingerprint of what it posts (and the batch) in
 * PrivateNote, so later readers tell changes made in QuickBooks from Ledgerline's.
 */
function sendable(p: PreparedRecord, batchId: string): QuickBooksBody {
  const fp = fingerprintOf(p.payload.entity, p.payload.body, batchId, p.draft.total);
  return { ...p.payload.body, PrivateNote: withFingerprint(String(p.payload.body.PrivateNote ?? ''), fp) };
}

type Replaced = { outcome: PostOutcome } | { again: LedgerError };

/**
 * The edit replay: the record's earlier revision is in QuickBooks as the same kind. It is updated in
 * place (a sparse update with its current SyncToken: the lines and fields Ledgerline sends are
 * replaced, anything else a person added stays) unless a payment or credit is applied to it, or it
 * was changed in QuickBooks since Ledgerline wrote it; when nothing QuickBooks holds would change,
 * nothing is written. A stale SyncToken (someone saved it meanwhile) or a lost answer sends the
 * record to the next round, which looks it up again.
 */
async function replaceInPlace(ledger: QuickBooksClient, p: PreparedRecord, found: LedgerTransaction, batchId: string): Promise<Replaced> {
  const txn = await readTransaction(ledger, found.entity, found.Id);
  if (!txn || isVoided(txn)) return { again: new LedgerError('Unavailable', `${describeTransaction(found)} was voided or deleted while it was being updated`) };
  const changes = transactionChanges(txn, p.payload.body, p.draft.total);
  const edit: Omit<RecordEdit, 'outcome'> = {
    entity: txn.entity,
    txnId: txn.Id,
    ...(txn.DocNumber !== undefined && { docNumber: txn.DocNumber }),
    fromRevision: postedSourceOf(txn.PrivateNote)?.revision ?? 'unknown',
    toRevision: p.record.revision,
    changes: changes.slice(0, EDIT_CHANGES_CAP),
    ...(changes.length > EDIT_CHANGES_CAP && { changesOmitted: changes.length - EDIT_CHANGES_CAP }),
  };
  const posted = { ref: p.ref, entity: txn.entity, txnId: txn.Id, total: p.draft.total };
  if (changes.length === 0) return { outcome: { ...posted, status: 'alreadyPosted', edit: { ...edit, outcome: 'unchanged' } } };
  const applied = await appliedTo(ledger, txn);
  if (applied.length > 0) {
    const items = applied.map((a) => a.description).join('; ');
    return {
      outcome: failedWith(
        p,
        new LedgerError('Conflict', `${reclosed(p, txn)}, which has ${items} applied; QuickBooks cannot update a transaction with payments or credits applied`, {
          fix: `To post the new revision, remove ${items} from ${describeTransaction(txn)} in QuickBooks, then retry this record (retryFailed or the next batch): it is then updated in place. ${KEEP_QUICKBOOKS}`,
        }),
      ),
    };
  }
  const recorded = fingerprintInNote(txn.PrivateNote);
  const drifted = recorded ? fingerprintChanges(recorded, txn.entity, txn) : [];
  if (drifted.length > 0) {
    return {
      outcome: failedWith(
        p,
        new LedgerError('Conflict', `${reclosed(p, txn)}, which was changed in QuickBooks after Ledgerline posted it (${describeFingerprintChanges(drifted)})`, {
          fix: `Ledgerline does not overwrite changes made in QuickBooks. To post the new revision, undo the change in QuickBooks (or void or delete ${describeTransaction(txn)}) and retry this record. ${KEEP_QUICKBOOKS}`,
        }),
      ),
    };
  }
  try {
    await ledger.update(txn.entity as Exclude<TransactionEntity, 'Payment'>, { ...sendable(p, batchId), Id: txn.Id, SyncToken: txn.SyncToken ?? '0' }, { requestId: writeRequestId('update', txn, p.idempotencyKey) });
  } catch (err) {
    if (isStale(err) || (isLedgerError(err) && err.retryable)) return { again: err as LedgerError };
    if (!isLedgerError(err)) throw err;
    return { outcome: { ref: p.ref, status: 'failed', error: recordErrorOrThrow(nameInactiveReference(err, p.payload.body, p.draft.recordLabel)) } };
  }
  return { outcome: { ...posted, status: 'posted', edit: { ...edit, outcome: 'updated' } } };
}

/**
 * Transactions QuickBooks answered as created that no longer exist or are voided: a requestid
 * already used before (the record was posted, then voided or deleted, e.g. by a batch reversal)
 * makes QuickBooks replay its first answer. Those are sent again under a new requestid.
 */
async function deadReplays(ledger: QuickBooksClient, created: ReadonlyArray<{ entity: TransactionEntity; id: string }>): Promise<Set<string>> {
  const dead = new Set<string>();
  for (const entity of [...new Set(created.map((c) => c.entity))]) {
    const ids = created.filter((c) => c.entity === entity).map((c) => c.id);
    let rows: Array<Record<string, unknown>>;
    try {
      rows = (await ledger.queryAll(entity, { where: [{ field: 'Id', op: 'IN', value: ids }] })) as unknown as Array<Record<string, unknown>>;
    } catch (err) {
      // Unconfirmed is not dead: reconcile reads every posted transaction back anyway.
      if (isLedgerError(err) && err.retryable) continue;
      throw err;
    }
    const live = new Set(rows.filter((r) => !isVoided(r)).map((r) => String(r.Id)));
    for (const id of ids) if (!live.has(id)) dead.add(`${entity}:${id}`);
  }
  return dead;
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
    heartbeat();
  }
  return pending.flatMap((p) => (replaced.has(p) ? (replaced.get(p) ? [replaced.get(p)!] : []) : [p]));
}

type PostDeps = { psa: ConnectWiseClient; ledger: QuickBooksClient; realmId: string; ledgerContext: LedgerContextCache; origins?: LineOrigins; prepared?: PreparedRecords };

/**
 * Each record as resolve prepared it under the digest the workflow passed on, when this worker still
 * has it; the others read from the PSA again (and compared with that digest below), in input order.
 */
function preparedForPosting(input: PostInput, deps: PostDeps, context: LedgerContext): Promise<Preparation[]> {
  return keptOrRead(
    input.records,
    (r) => deps.prepared?.takeResolved(input.batchId, input.glSource, r.ref, r.draftDigest),
    (missing) => prepareRecords(missing.map((r) => r.ref), input.glSource, deps, context, { batchId: input.batchId }),
  );
}

export function postActivities(deps: PostDeps) {
  return {
    async postRecords(input: PostInput): Promise<PostOutcome[]> {
      const ledger = deps.ledger.withBudget(activityCallBudget());
      const context = await deps.ledgerContext.get();
      const prepared = await preparedForPosting(input, deps, context);
      const expectedDigest = new Map(input.records.map((r) => [refKey(r), r.draftDigest]));
      // A bId per record, from its place in the input: the same records get the same bIds in every attempt.
      const bIdOf = new Map(input.records.map((r, i) => [refKey(r), `b${i}`]));
      // Edits an earlier attempt of this call made (its last heartbeat): found as ours now, still updates.
      const edits = new Map(Object.entries(earlierHeartbeat<{ edits?: Record<string, RecordEdit> }>()?.edits ?? {}));
      const beat = (stage: string) => heartbeat({ stage, edits: Object.fromEntries(edits) });
      beat('prepared');

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
      // What each record is sent (or found) as: reconcile compares QuickBooks' transaction with it.
      const sending = new Map(pending.map((p) => [refKey(p), p]));

      const sentHere = new Set<string>();
      /** Ids QuickBooks replayed for a record although they are gone: its next requestid moves past them. */
      const retired = new Map<string, string[]>();
      let createdHere = 0;
      let lastError = new Map<string, LedgerError>();
      for (let round = 1; pending.length > 0 && round <= MAX_POST_ROUNDS; round++) {
        let existing: LedgerTransaction[];
        try {
          existing = await findTransactions(ledger, pending.map(searchFor));
        } catch (err) {
          // Out of time or QuickBooks unreachable after something was created: keep what was.
          if (round === 1 || !isLedgerError(err) || !err.retryable) throw err;
          for (const p of pending) lastError.set(refKey(p), err);
          break;
        }
        const next: PreparedRecord[] = [];
        lastError = new Map();
        const toCreate: Array<{ p: PreparedRecord; duplicateDocNumber: boolean }> = [];
        for (const p of pending) {
          const verdict = judge(p, existing);
          if ('ours' in verdict) {
            const edit = edits.get(refKey(p));
            const status = sentHere.has(refKey(p)) || edit ? 'posted' : 'alreadyPosted';
            const posted = { ref: p.ref, status, entity: verdict.ours.entity, txnId: verdict.ours.Id, total: p.draft.total, ...(edit && { edit }) } as const;
            const outcome = edit ? posted : await automatedTaxOutcome(ledger, context.payloadOptions.taxRegime, p, verdict.ours, posted);
            if (outcome.status === 'posted') createdHere++;
            outcomes.push(outcome);
          } else if ('replace' in verdict) {
            const replaced = await replaceInPlace(ledger, p, verdict.replace, input.batchId);
            if ('again' in replaced) {
              lastError.set(refKey(p), replaced.again);
              next.push(p);
            } else {
              const { outcome } = replaced;
              if (outcome.status === 'posted' && outcome.edit) {
                edits.set(refKey(p), outcome.edit);
                beat('updated');
                createdHere++;
              }
              outcomes.push(outcome);
            }
          } else if ('blocking' in verdict) outcomes.push(conflictOutcome(p, verdict.blocking));
          else toCreate.push({ p, duplicateDocNumber: verdict.create.duplicateDocNumber });
        }
        beat(`looked up duplicates (round ${round})`);
        if (toCreate.length > 0) {
          const items = toCreate.map(({ p, duplicateDocNumber }) => ({
            bId: bIdOf.get(refKey(p))!,
            operation: 'create' as const,
            entity: p.payload.entity,
            body: sendable(p, input.batchId),
            // A document number shared with another PSA record's transaction is expected (see judge).
            ...(duplicateDocNumber ? { optionsData: 'allowduplicatedocnum' } : {}),
          }));
          const keyOf = (p: PreparedRecord) => [p.idempotencyKey, ...(retired.get(refKey(p)) ?? [])].join('~');
          const requestId = batchRequestIdOf(toCreate.map(({ p }) => ({ bId: bIdOf.get(refKey(p))!, idempotencyKey: keyOf(p) })));
          for (const { p } of toCreate) sentHere.add(refKey(p));
          const results: BatchItemResult[] = await ledger.batchSettled(items, { requestId });
          const created = results.flatMap((r, i) => (r.ok && r.entity ? [{ entity: toCreate[i].p.payload.entity as TransactionEntity, id: String(r.entity.value.Id) }] : []));
          const dead = await deadReplays(ledger, created);

          for (const [i, result] of results.entries()) {
            const { p } = toCreate[i];
            if (result.ok && result.entity) {
              const id = String(result.entity.value.Id);
              if (dead.has(`${p.payload.entity}:${id}`)) {
                retired.set(refKey(p), [...(retired.get(refKey(p)) ?? []), id]);
                lastError.set(refKey(p), new LedgerError('Unavailable', `QuickBooks replayed the creation of ${p.payload.entity} Id ${id}, which has since been voided or deleted`));
                next.push(p);
                continue;
              }
              const posted = { ref: p.ref, status: 'posted', entity: p.payload.entity, txnId: id, total: p.draft.total } as const;
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
        }
        pending = next;
        beat(`created or updated ${createdHere} (round ${round})`);
        // No time left for another look-up: what stays pending is settled below.
        if (pending.some((p) => lastError.get(refKey(p))?.details?.budgetExhausted === true)) break;
      }

      if (pending.length > 0) {
        // Nothing created in this attempt: let Temporal retry the whole call with its backoff.
        const first = lastError.get(refKey(pending[0]));
        if (createdHere === 0 && first?.retryable) throw first;
        for (const p of pending) {
          outcomes.push(unsettledOutcome(p, lastError.get(refKey(p)) ?? new LedgerError('Unavailable', 'QuickBooks did not confirm the transaction')));
        }
      }
      for (const o of outcomes) {
        const sent = sending.get(refKey(o));
        if (o.status !== 'failed' && sent) deps.prepared?.posted(input.glSource, sent, o.entity, o.txnId);
      }
      const order = new Map(input.records.map((r, i) => [refKey(r), i]));
      return outcomes.sort((a, b) => order.get(refKey(a))! - order.get(refKey(b))!);
    },
  };
}
