/**
 * post: one accounting transaction per record, exactly once. Before creating anything it looks for
 * transactions already carrying the record's idempotency key (a retry after a lost response finds
 * them); what is left goes out in one batch call with a requestid, so the client's own retries of
 * that call replay instead of posting twice.
 */
import { createHash } from 'node:crypto';
import { Context } from '@temporalio/activity';
import { LedgerError, recordErrorOrThrow, toRecordError } from '../domain/errors';
import type { ConnectWiseClient } from '../integrations/connectwise';
import type { QuickBooksClient, TransactionEntity } from '../integrations/quickbooks';
import type { PostInput, PostOutcome } from '../domain/contract';
import type { LedgerContextCache } from '../integrations/ledger-context';
import { idempotencyMarker, prepareRecords, type PreparedRecord } from './prepare-records';
import { postedSourceOf } from '../domain/posting';

interface Existing {
  Id: string;
  DocNumber?: string;
  PrivateNote?: string;
}

/** Transactions with the records' document numbers, per entity, in one query each. */
async function findExisting(ledger: QuickBooksClient, records: PreparedRecord[]): Promise<Map<string, Existing[]>> {
  const byDoc = new Map<string, Existing[]>();
  const entities = [...new Set(records.map((r) => r.payload.entity))];
  for (const entity of entities) {
    const docNumbers = [...new Set(records.filter((r) => r.payload.entity === entity).map((r) => r.draft.docNumber))];
    const rows = (await ledger.queryAll(entity as TransactionEntity, { where: [{ field: 'DocNumber', op: 'IN', value: docNumbers }] })) as unknown as Existing[];
    for (const row of rows) {
      const key = `${entity}:${row.DocNumber}`;
      byDoc.set(key, [...(byDoc.get(key) ?? []), row]);
    }
  }
  return byDoc;
}

function batchRequestId(records: PreparedRecord[], attempt: number): string {
  const keys = records.map((r) => r.idempotencyKey).join(',');
  return createHash('sha256').update(`${keys}#${attempt}`).digest('hex').slice(0, 32);
}

export function postActivities(deps: { psa: ConnectWiseClient; ledger: QuickBooksClient; realmId: string; ledgerContext: LedgerContextCache }) {
  return {
    async postRecords(input: PostInput): Promise<PostOutcome[]> {
      const activity = Context.current();
      const context = await deps.ledgerContext.get();
      const prepared = await prepareRecords(input.records.map((r) => r.ref), input.glSource, deps, context);
      const expectedDigest = new Map(input.records.map((r) => [`${r.ref.kind}:${r.ref.id}`, r.draftDigest]));
      activity.heartbeat('prepared');

      const outcomes: PostOutcome[] = [];
      const ready: PreparedRecord[] = [];
      for (const p of prepared) {
        if (!p.ok) outcomes.push({ ref: p.ref, status: 'failed', error: p.error });
        else if (p.digest !== expectedDigest.get(`${p.ref.kind}:${p.ref.id}`)) {
          outcomes.push({
            ref: p.ref,
            status: 'failed',
            error: {
              type: 'Conflict',
              message: `${p.draft.recordLabel} changed in ConnectWise or QuickBooks between resolving and posting`,
              fix: 'Nothing was posted for it; retryFailed (or the next batch) picks up the current version.',
            },
          });
        } else ready.push(p);
      }

      const existing = await findExisting(deps.ledger, ready);
      const toCreate: PreparedRecord[] = [];
      for (const p of ready) {
        const sameDoc = existing.get(`${p.payload.entity}:${p.draft.docNumber}`) ?? [];
        const ours = sameDoc.find((t) => (t.PrivateNote ?? '').includes(idempotencyMarker(p.idempotencyKey)));
        // Another PSA record may share the document number (two vendors' bill 1001, an expense
        // report and a transfer both numbered 12): that is not this record, so it does not block it.
        const blocking = sameDoc.find((t) => {
          const source = postedSourceOf(t.PrivateNote);
          return !source || (source.recordType === p.record.recordType && source.recordId === p.record.recordId);
        });
        if (ours) {
          outcomes.push({ ref: p.ref, status: 'alreadyPosted', entity: p.payload.entity, txnId: ours.Id, total: p.draft.total });
        } else if (blocking) {
          outcomes.push({
            ref: p.ref,
            status: 'failed',
            error: toRecordError(
              new LedgerError('Conflict', `QuickBooks already has ${p.payload.entity} ${p.draft.docNumber} (Id ${blocking.Id}), not posted from this revision of ${p.draft.recordLabel}`, {
                fix: 'If it is an earlier version of this record, void or delete it in QuickBooks and retry; if it is the same document, mark the record exported in ConnectWise instead.',
              }),
            ),
          });
        } else toCreate.push(p);
      }
      activity.heartbeat('looked up duplicates');

      if (toCreate.length > 0) {
        const results = await deps.ledger.batch(
          toCreate.map((p, i) => ({
            bId: `b${i}`,
            operation: 'create' as const,
            entity: p.payload.entity,
            body: p.payload.body,
            // A document number shared with another PSA record's transaction is expected (see above).
            ...(existing.has(`${p.payload.entity}:${p.draft.docNumber}`) ? { optionsData: 'allowduplicatedocnum' } : {}),
          })),
          { requestId: batchRequestId(toCreate, activity.info.attempt) },
        );
        results.forEach((result, i) => {
          const p = toCreate[i];
          if (result.ok && result.entity) {
            outcomes.push({ ref: p.ref, status: 'posted', entity: p.payload.entity, txnId: String(result.entity.value.Id), total: p.draft.total });
          } else if (!result.ok) {
            // Transient per-item faults fail the activity; its retry finds what did post.
            outcomes.push({ ref: p.ref, status: 'failed', error: recordErrorOrThrow(result.error) });
          }
        });
      }
      const order = new Map(input.records.map((r, i) => [`${r.ref.kind}:${r.ref.id}`, i]));
      return outcomes.sort((a, b) => order.get(`${a.ref.kind}:${a.ref.id}`)! - order.get(`${b.ref.kind}:${b.ref.id}`)!);
    },
  };
}
