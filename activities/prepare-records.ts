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
  matchTaxRefs,
  type DraftRefs,
  planPosting,
  toQuickBooksPayload,
  type PsaGlRecord,
  type QuickBooksPayload,
  type TransactionDraft,
} from '../domain/posting';
import { glExportDocuments, glExportRequest, procurementRowIds, type ConnectWiseClient, type GlExportDocument } from '../integrations/connectwise';
import { RECORD_KINDS, type GlDrift, type MissingParty, type RecordKind, type RecordRef } from '../domain/contract';
import { pendingPartyRef, type PartyNeed } from '../domain/parties';
import type { LedgerContext } from '../integrations/ledger-context';
import { idempotencyKeyOf, idempotencyMarker } from '../integrations/posted-transactions';

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
  /**
   * With party creation on and the party found: the digest resolve reported while the party was
   * still to be created (a concurrent chunk or an earlier attempt has created it since).
   */
  pendingPartyDigest?: string;
  drift: GlDrift[];
  /** What matching noticed but let pass (an account of an unexpected type, classes not sent). */
  warnings: string[];
}

export type Preparation =
  | ({ ok: true } & PreparedRecord)
  | { ok: false; ref: RecordRef; error: RecordError; drift: GlDrift[]; missingParty?: MissingParty };

/** The party a dry run, report or checklist lists: missing, and whether Ledgerline creates it. */
export function missingPartyOf(need: PartyNeed, willCreate: boolean): MissingParty {
  return { role: need.role, name: need.name, ...(need.psaId !== undefined && { psaId: need.psaId }), willCreate };
}

const refKey = (kind: RecordKind, id: string) => `${kind}:${id}`;
const numberKey = (kind: RecordKind, number: string) => `${kind}#${number}`;

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

/** Procurement rows' ids by unpostedProductId: from the references, else (references collected before they kept it) looked up. */
async function rowIdsOf(psa: ConnectWiseClient, refs: RecordRef[]): Promise<Map<string, number>> {
  const procurement = refs.filter((r) => r.kind === 'procurement');
  const missing = procurement.filter((r) => r.rowId === undefined).map((r) => r.id);
  const rowIds = await procurementRowIds(psa, missing);
  for (const r of procurement) if (r.rowId !== undefined) rowIds.set(r.id, r.rowId);
  return rowIds;
}

/** Each record's export document, converted or failed on its own, by kind and PSA id (failures without a readable id by number). */
async function exportRecords(psa: ConnectWiseClient, refs: RecordRef[], transferExpensesAsBill: boolean): Promise<Map<string, GlExportDocument>> {
  const rowIds = await rowIdsOf(psa, refs);
  const exports = await Promise.all(
    RECORD_KINDS.map((kind) => {
      const mine = refs.filter((r) => r.kind === kind);
      return mine.length ? psa.exportGl(glExportRequest(kind, mine, 'ledgerline-preview')) : undefined;
    }),
  );
  const documents = new Map<string, GlExportDocument>();
  for (const glExport of exports) {
    if (!glExport) continue;
    for (const doc of glExportDocuments(glExport, { transferExpensesAsBill, rowIds })) {
      if (doc.ok) documents.set(refKey(doc.record.kind, doc.record.recordId), doc);
      else documents.set(doc.recordId !== undefined ? refKey(doc.kind, doc.recordId) : numberKey(doc.kind, doc.number), doc);
    }
  }
  return documents;
}

function prepareOne(ref: RecordRef, document: GlExportDocument | undefined, glSource: 'psa' | 'current', realmId: string, context: LedgerContext): Preparation {
  let drift: GlDrift[] = [];
  try {
    if (document && !document.ok) throw document.error;
    const exported = document?.record;
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
    const createMissingParties = context.settings.createMissingParties === true;
    const matched = matchDraftRefs(draft, context.matcher, { createMissingParties, classTracking: context.payloadOptions.classTracking });
    const taxRegime = context.payloadOptions.taxRegime ?? { kind: 'usManual' as const };
    Object.assign(matched.refs, matchTaxRefs(draft, taxRegime, context.taxChart ?? { taxCodes: [], taxRates: [] }));
    const idempotencyKey = idempotencyKeyOf(realmId, current.record);
    const payload = payloadWith(draft, matched.refs, context, idempotencyKey);
    const party = draft.party;
    const pendingPartyDigest =
      createMissingParties && party && !matched.refs.newParty
        ? digestOf(payloadWith(draft, { ...matched.refs, party: pendingPartyRef({ role: party.role, name: party.name, source: party.source, psaId: party.psaId }) }, context, idempotencyKey))
        : undefined;
    return { ok: true, ref, record: current.record, draft, refs: matched.refs, payload, idempotencyKey, digest: digestOf(payload), ...(pendingPartyDigest && { pendingPartyDigest }), drift, warnings: matched.warnings };
  } catch (err) {
    const need = err instanceof LedgerError ? (err.details?.missingParty as PartyNeed | undefined) : undefined;
    return { ok: false, ref, error: recordErrorOrThrow(err), drift, ...(need && typeof need === 'object' && { missingParty: missingPartyOf(need, false) }) };
  }
}

/** The request body for a draft and its references, with the idempotency marker in PrivateNote. */
export function payloadWith(draft: TransactionDraft, refs: DraftRefs, context: Pick<LedgerContext, 'payloadOptions'>, idempotencyKey: string): QuickBooksPayload {
  const payload = toQuickBooksPayload(draft, refs, context.payloadOptions);
  const note = String(payload.body.PrivateNote ?? '');
  payload.body.PrivateNote = `${note} ${idempotencyMarker(idempotencyKey)}`.trim();
  return payload;
}

export async function prepareRecords(
  refs: RecordRef[],
  glSource: 'psa' | 'current',
  deps: { psa: ConnectWiseClient; realmId: string },
  context: LedgerContext,
): Promise<Preparation[]> {
  const exported = await exportRecords(deps.psa, refs, context.settings.transferExpensesAsBill === true);
  return refs.map((ref) => prepareOne(ref, exported.get(refKey(ref.kind, ref.id)) ?? exported.get(numberKey(ref.kind, ref.number)), glSource, deps.realmId, context));
}
