/**
 * PSA record -> accounting transaction body, the shared first step of resolve, post and reconcile.
 * Reads the GL entries the PSA exported (one export call per record kind), optionally re-resolves
 * them with today's setup table (each line's GL context rebuilt from documented ConnectWise data,
 * integrations/line-origins), plans the posting and matches it onto the chart. Deterministic for
 * the same PSA and chart state: resolve reports a digest, and a step that reads a record again (on
 * a worker that does not hold resolve's preparation, activities/prepared-records) re-derives
 * exactly what resolve reported or sees by the digest that it changed. History carries only ids.
 */
import { createHash } from 'node:crypto';
import { LedgerError, recordErrorOrThrow, type RecordError } from '../domain/errors';
import { lineContext, type GlResolved, type GlResolver, type LineContextOutcome } from '../domain/gl';
import {
  checkCurrency,
  glEntryIdsOf,
  matchDraftRefs,
  matchTaxRefs,
  type DraftRefs,
  planPosting,
  toQuickBooksPayload,
  type PsaGlLine,
  type PsaGlRecord,
  type QuickBooksPayload,
  type TransactionDraft,
} from '../domain/posting';
import { expenseDetailIds, glExportDocuments, glExportRequest, procurementRowIds, type ConnectWiseClient, type GlExportDocument } from '../integrations/connectwise';
import { RECORD_KINDS, type GlDrift, type MissingParty, type RecordKind, type RecordRef } from '../domain/contract';
import { pendingPartyRef, type PartyNeed } from '../domain/parties';
import type { LedgerContext } from '../integrations/ledger-context';
import { lineOrigins, type LineOrigins } from '../integrations/line-origins';
import { idempotencyKeysOf, idempotencyMarker } from '../integrations/posted-transactions';

export interface PreparedRecord {
  ref: RecordRef;
  record: PsaGlRecord;
  draft: TransactionDraft;
  /** The chart references the draft was matched onto (reconcile reads each line's GL account here). */
  refs: DraftRefs;
  payload: QuickBooksPayload;
  /** Identifies (accounting company, PSA record, revision): the exactly-once key. */
  idempotencyKey: string;
  /** Keys the same revision was posted under before (an expense keyed by its GL entry): found as its own too. */
  formerKeys?: string[];
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

/** `text` cut to `max` characters (history stays small; the rest is in ConnectWise). */
const clip = (text: string, max: number) => (text.length > max ? `${text.slice(0, max - 3)}...` : text);

/** How a line is named in drift and failures: its GL entry and its description. */
function lineLabel(line: PsaGlLine): string {
  return `GL entry ${line.glEntryId}${line.description ? ` "${clip(line.description, 60)}"` : ''}`;
}

/** Which of today's rows moved the line: where the new account, or the new class, comes from. */
function driftWhy(source: GlResolved['source'], accountMoved: boolean, classMoved: boolean): string {
  const parts = [
    accountMoved && (source.account ? `account from ${source.account}` : undefined),
    classMoved && (source.class ? `class from ${source.class}` : 'no class mapped today'),
  ];
  return parts.filter(Boolean).join('; ');
}

/**
 * GL lines today's setup table would resolve differently; with glSource "current" they are rewritten.
 * A line is re-resolved only with a context rebuilt from documented data (`contexts`, in line order):
 * a line whose facts could not all be read is not checked for drift, and a "current" rewrite refuses
 * the record rather than guess its accounts.
 */
function applyCurrentSetup(
  record: PsaGlRecord,
  resolver: GlResolver | undefined,
  rewrite: boolean,
  contexts: readonly LineContextOutcome[] | undefined,
): { record: PsaGlRecord; drift: GlDrift[]; unchecked: string[] } {
  if (!resolver || !contexts) return { record, drift: [], unchecked: [] };
  const what = `${record.kind} ${record.number}`;
  const blind = record.lines.flatMap((line, i) => {
    const c = contexts[i];
    return c && !c.ok ? [clip(`${lineLabel(line)} (${line.accountType}): ${c.unread.join('; ')}`, 300)] : [];
  });
  if (rewrite && blind.length > 0) {
    throw new LedgerError('MappingMissing', `glSource "current" cannot re-resolve ${what}: the GL context of ${blind.length === 1 ? 'a line' : `${blind.length} lines`} could not be read from ConnectWise: ${blind.slice(0, 3).join(' | ')}${blind.length > 3 ? ` | and ${blind.length - 3} more` : ''}`, {
      record: what,
      fix: `Run the batch with glSource "psa" to post the accounts ConnectWise exported; to post today's mapping, make what is named readable again in ConnectWise (restore it, or give the API member Inquire rights on it), or reopen and close ${what} in ConnectWise so it recomputes its GL entries.`,
    });
  }
  const drift: GlDrift[] = [];
  const lines = record.lines.map((line, i) => {
    const c = contexts[i];
    if (!c?.ok) return line;
    const outcome = resolver.tryResolve(c.context);
    if (!outcome.ok) {
      if (rewrite) throw new LedgerError(outcome.error.type, `${what}, ${lineLabel(line)}: ${outcome.error.message}`, { record: what, fix: outcome.error.fix, details: outcome.error.details });
      return line;
    }
    const current = outcome.account ?? line.account;
    const currentClass = outcome.class ?? undefined;
    const accountMoved = current !== line.account;
    const classMoved = (currentClass ?? '') !== (line.class ?? '');
    if (!accountMoved && !classMoved) return line;
    drift.push({
      glEntryId: line.glEntryId,
      accountType: line.accountType,
      exported: [line.account, line.class].filter(Boolean).join(' / '),
      current: [current, currentClass].filter(Boolean).join(' / '),
      line: lineLabel(line),
      why: driftWhy(outcome.source, accountMoved, classMoved),
    });
    return rewrite ? { ...line, account: current, class: currentClass } : line;
  });
  return { record: rewrite ? { ...record, lines } : record, drift, unchecked: blind };
}

/** The warning a record gets when some of its lines could not be checked for drift. */
function uncheckedWarning(unchecked: readonly string[]): string {
  return `GL drift not checked on ${unchecked.length === 1 ? '1 line' : `${unchecked.length} lines`} (their GL context could not be read from ConnectWise): ${unchecked[0]}${unchecked.length > 1 ? ` (and ${unchecked.length - 1} more)` : ''}`;
}

/** Procurement rows' ids by unpostedProductId: from the references, else (references collected before they kept it) looked up. */
async function rowIdsOf(psa: ConnectWiseClient, refs: RecordRef[]): Promise<Map<string, number>> {
  const procurement = refs.filter((r) => r.kind === 'procurement');
  const missing = procurement.filter((r) => r.rowId === undefined).map((r) => r.id);
  const rowIds = await procurementRowIds(psa, missing);
  for (const r of procurement) if (r.rowId !== undefined) rowIds.set(r.id, r.rowId);
  return rowIds;
}

/** Expenses' own ids by their rows' ids: from the references, else (references collected before they kept it) looked up. */
async function expenseIdsOf(psa: ConnectWiseClient, refs: RecordRef[]): Promise<Map<number, number>> {
  const expenses = refs.filter((r) => r.kind === 'expense');
  const ids = await expenseDetailIds(psa, expenses.filter((r) => r.detailId === undefined).map((r) => Number(r.id)));
  for (const r of expenses) if (r.detailId !== undefined) ids.set(Number(r.id), r.detailId);
  return ids;
}

/**
 * Each record's export document, converted or failed on its own, by kind and the id its reference
 * carries (the row's id for an expense known by its own id; failures without a readable id by number).
 */
async function exportRecords(psa: ConnectWiseClient, refs: RecordRef[], transferExpensesAsBill: boolean): Promise<{ documents: Map<string, GlExportDocument>; rowIds: Map<string, number> }> {
  const rowIds = await rowIdsOf(psa, refs);
  const expenseIds = await expenseIdsOf(psa, refs);
  const exports = await Promise.all(
    RECORD_KINDS.map((kind) => {
      const mine = refs.filter((r) => r.kind === kind);
      return mine.length ? psa.exportGl(glExportRequest(kind, mine, 'ledgerline-preview')) : undefined;
    }),
  );
  const documents = new Map<string, GlExportDocument>();
  for (const glExport of exports) {
    if (!glExport) continue;
    for (const doc of glExportDocuments(glExport, { transferExpensesAsBill, rowIds, expenseIds })) {
      if (doc.ok) documents.set(refKey(doc.record.kind, doc.record.rowId ?? doc.record.recordId), doc);
      else documents.set(doc.recordId !== undefined ? refKey(doc.kind, doc.recordId) : numberKey(doc.kind, doc.number), doc);
    }
  }
  return { documents, rowIds };
}

/** Each exported record's lines' GL contexts, rebuilt from documented data for today's setup. */
async function lineContexts(
  origins: LineOrigins,
  documents: ReadonlyMap<string, GlExportDocument>,
  rowIds: ReadonlyMap<string, number>,
  resolver: GlResolver,
  batchId: string | undefined,
): Promise<Map<PsaGlRecord, LineContextOutcome[]>> {
  const records = [...documents.values()].flatMap((d) => (d.ok ? [{ record: d.record, rowId: d.record.kind === 'procurement' ? rowIds.get(d.record.recordId) : undefined }] : []));
  const read = await origins.read(records, resolver, batchId);
  return new Map(records.map(({ record }) => [record, record.lines.map((l, i) => lineContext(l.accountType, read.get(record)![i]!, resolver.consults(l.accountType)))]));
}

/** The export document of a record reference, by the id it carries, else (failed unreadably) by its number. */
const documentOf = (documents: ReadonlyMap<string, GlExportDocument>, ref: RecordRef) => documents.get(refKey(ref.kind, ref.id)) ?? documents.get(numberKey(ref.kind, ref.number));

/**
 * The GL entries ConnectWise exports for each record now, by `kind:id` (domain/batch-chunk's
 * refKey): a record it exports none for (reopened, already exported) or cannot read is absent.
 * Reopening and closing a record again gives it new entries.
 */
export async function exportedGlEntryIds(psa: ConnectWiseClient, refs: RecordRef[]): Promise<Map<string, number[]>> {
  // The flag names the transaction an expense becomes, not its entries.
  const { documents } = await exportRecords(psa, refs, false);
  const ids = new Map<string, number[]>();
  for (const ref of refs) {
    const doc = documentOf(documents, ref);
    if (doc?.ok) ids.set(refKey(ref.kind, ref.id), glEntryIdsOf(doc.record));
  }
  return ids;
}

function prepareOne(
  ref: RecordRef,
  document: GlExportDocument | undefined,
  glSource: 'psa' | 'current',
  realmId: string,
  context: LedgerContext,
  contexts: Map<PsaGlRecord, LineContextOutcome[]> | undefined,
): Preparation {
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
    const current = applyCurrentSetup(exported, context.resolver, glSource === 'current', contexts?.get(exported));
    drift = current.drift;
    const draft = planPosting(current.record, context.settings);
    checkCurrency(draft, context.currencies);
    const createMissingParties = context.settings.createMissingParties === true;
    const matched = matchDraftRefs(draft, context.matcher, { createMissingParties, classTracking: context.payloadOptions.classTracking, currencies: context.currencies });
    const taxRegime = context.payloadOptions.taxRegime ?? { kind: 'usManual' as const };
    Object.assign(matched.refs, matchTaxRefs(draft, taxRegime, context.taxChart ?? { taxCodes: [], taxRates: [] }));
    const [idempotencyKey, ...formerKeys] = idempotencyKeysOf(realmId, current.record) as [string, ...string[]];
    const payload = payloadWith(draft, matched.refs, context, idempotencyKey);
    const party = draft.party;
    const pendingPartyDigest =
      createMissingParties && party && !matched.refs.newParty
        ? digestOf(payloadWith(draft, { ...matched.refs, party: pendingPartyRef({ role: party.role, name: party.name, source: party.source, psaId: party.psaId }) }, context, idempotencyKey))
        : undefined;
    return { ok: true, ref, record: current.record, draft, refs: matched.refs, payload, idempotencyKey, ...(formerKeys.length > 0 && { formerKeys }), digest: digestOf(payload), ...(pendingPartyDigest && { pendingPartyDigest }), drift, warnings: current.unchecked.length ? [...matched.warnings, uncheckedWarning(current.unchecked)] : matched.warnings };
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

export interface PrepareOptions {
  /** The batch run the records belong to: lookups its chunks share are cached under it. */
  batchId?: string;
  /** Check every line against today's GL setup (resolve reports drift); post and reconcile only re-derive. */
  drift?: boolean;
}

export async function prepareRecords(
  refs: RecordRef[],
  glSource: 'psa' | 'current',
  deps: { psa: ConnectWiseClient; realmId: string; origins?: LineOrigins },
  context: LedgerContext,
  options: PrepareOptions = {},
): Promise<Preparation[]> {
  const { documents, rowIds } = await exportRecords(deps.psa, refs, context.settings.transferExpensesAsBill === true);
  // Today's setup re-resolves only lines whose context documented data rebuilds: read where needed.
  const rebuild = context.resolver && (glSource === 'current' || options.drift === true);
  const contexts = rebuild ? await lineContexts(deps.origins ?? lineOrigins(deps.psa), documents, rowIds, context.resolver!, options.batchId) : undefined;
  return refs.map((ref) => prepareOne(ref, documentOf(documents, ref), glSource, deps.realmId, context, contexts));
}
