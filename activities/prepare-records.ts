/**
 * PSA record -> accounting transaction body, the shared first step of resolve, post and reconcile.
 * Reads the GL entries the PSA exported (one export call per record kind), optionally re-resolves
 * them with today's setup table, plans the posting and matches it onto the chart. Deterministic for
 * the same PSA and chart state, so `post` re-derives exactly what `resolve` reported (the digest
 * proves it) and workflow history carries only ids.
 */
import { createHash } from 'node:crypto';
import { LedgerError, recordErrorOrThrow, type RecordError } from '../domain/errors';
import type { GlResolver } from '../domain/gl';
import {
  checkCurrency,
  matchDraftRefs,
  type DraftRefs,
  planPosting,
  toQuickBooksPayload,
  type PsaGlRecord,
  type QuickBooksPayload,
  type TransactionDraft,
} from '../domain/posting';
import { glExportRequest, glExportToRecords, type ConnectWiseClient } from '../integrations/connectwise';
import { RECORD_KINDS, type GlDrift, type RecordKind, type RecordRef } from '../domain/contract';
import type { LedgerContext } from '../integrations/ledger-context';

export interface PreparedRecord {
  ref: RecordRef;
  record: PsaGlRecord;
  draft: TransactionDraft;
  /** The chart references the draft was matched onto (reconcile reads each line's GL account here). */
  refs: DraftRefs;
  payload: QuickBooksPayload;
  /** Identifies (accounting company, PSA record, revision): the exactly-once key. */
  idempotencyKey: string;
  digest: string;
  drift: GlDrift[];
}

export type Preparation =
  | ({ ok: true } & PreparedRecord)
  | { ok: false; ref: RecordRef; error: RecordError; drift: GlDrift[] };

const refKey = (kind: RecordKind, id: string) => `${kind}:${id}`;

export function idempotencyKeyOf(realmId: string, record: PsaGlRecord): string {
  const hash = createHash('sha256').update(`${realmId}|${record.kind}|${record.recordId}|${record.revision}`).digest('hex');
  return `LL${hash.slice(0, 16)}`;
}

/** The marker the key leaves in PrivateNote, found again by the duplicate lookup. */
export function idempotencyMarker(key: string): string {
  return `[ledgerline:${key}]`;
}

function digestOf(payload: QuickBooksPayload): string {
  return createHash('sha256').update(JSON.stringify(payload)).digest('hex').slice(0, 24);
}

/** GL lines today's setup table would resolve differently; with glSource "current" they are rewritten. */
function applyCurrentSetup(record: PsaGlRecord, resolver: GlResolver | undefined, rewrite: boolean): { record: PsaGlRecord; drift: GlDrift[] } {
  if (!resolver) return { record, drift: [] };
  const drift: GlDrift[] = [];
  // ConnectWise's documented GL export carries no line context (work type, product category, ...),
  // so today's setup cannot re-resolve a line without one: drift is not checked on it, and a
  // "current" rewrite refuses the record rather than guess its accounts.
  const blind = record.lines.filter((line) => !line.context);
  if (rewrite && blind.length > 0) {
    const what = `${record.kind} ${record.number}`;
    throw new LedgerError('MappingMissing', `glSource "current" cannot re-resolve ${what}: ConnectWise's GL export gives no line context for GL entries ${blind.map((l) => l.glEntryId).join(', ')}`, {
      record: what,
      fix: 'Run the batch with glSource "psa" to post the accounts ConnectWise exported; to post today\'s mapping, correct it in the GL Accounts setup table, then reopen and close the record in ConnectWise so its GL entries are recomputed.',
    });
  }
  const lines = record.lines.map((line) => {
    if (!line.context) return line;
    const outcome = resolver.tryResolve(line.context);
    if (!outcome.ok) {
      if (rewrite) throw outcome.error;
      return line;
    }
    const current = outcome.account ?? line.account;
    const currentClass = outcome.class ?? undefined;
    if (current === line.account && (currentClass ?? '') === (line.class ?? '')) return line;
    drift.push({
      glEntryId: line.glEntryId,
      accountType: line.accountType,
      exported: [line.account, line.class].filter(Boolean).join(' / '),
      current: [current, currentClass].filter(Boolean).join(' / '),
    });
    return rewrite ? { ...line, account: current, class: currentClass } : line;
  });
  return { record: rewrite ? { ...record, lines } : record, drift };
}

async function exportRecords(psa: ConnectWiseClient, refs: RecordRef[], transferExpensesAsBill: boolean): Promise<Map<string, PsaGlRecord>> {
  const exports = await Promise.all(
    RECORD_KINDS.map((kind) => {
      const mine = refs.filter((r) => r.kind === kind);
      return mine.length ? psa.exportGl(glExportRequest(kind, mine, 'ledgerline-preview')) : undefined;
    }),
  );
  const records = new Map<string, PsaGlRecord>();
  for (const glExport of exports) {
    if (!glExport) continue;
    for (const record of glExportToRecords(glExport, { transferExpensesAsBill })) records.set(refKey(record.kind, record.recordId), record);
  }
  return records;
}

function prepareOne(ref: RecordRef, exported: PsaGlRecord | undefined, glSource: 'psa' | 'current', realmId: string, context: LedgerContext): Preparation {
  let drift: GlDrift[] = [];
  try {
    if (!exported) {
      throw new LedgerError('NotFound', `ConnectWise exported no GL entries for ${ref.kind} ${ref.number}`, {
        record: `${ref.kind} ${ref.number}`,
        fix: 'Check that the record is still closed and unposted in Finance > Accounting Interface, then run the batch again.',
      });
    }
    if (glSource === 'current' && !context.resolver) throw context.resolverProblem!;
    const current = applyCurrentSetup(exported, context.resolver, glSource === 'current');
    drift = current.drift;
    const draft = planPosting(current.record, context.settings);
    checkCurrency(draft, context.currencies);
    const matched = matchDraftRefs(draft, context.matcher);
    const payload = toQuickBooksPayload(draft, matched.refs, context.payloadOptions);
    const idempotencyKey = idempotencyKeyOf(realmId, current.record);
    const note = String(payload.body.PrivateNote ?? '');
    payload.body.PrivateNote = `${note} ${idempotencyMarker(idempotencyKey)}`.trim();
    return { ok: true, ref, record: current.record, draft, refs: matched.refs, payload, idempotencyKey, digest: digestOf(payload), drift };
  } catch (err) {
    return { ok: false, ref, error: recordErrorOrThrow(err), drift };
  }
}

export async function prepareRecords(
  refs: RecordRef[],
  glSource: 'psa' | 'current',
  deps: { psa: ConnectWiseClient; realmId: string },
  context: LedgerContext,
): Promise<Preparation[]> {
  const exported = await exportRecords(deps.psa, refs, context.settings.transferExpensesAsBill === true);
  return refs.map((ref) => prepareOne(ref, exported.get(refKey(ref.kind, ref.id)), glSource, deps.realmId, context));
}
