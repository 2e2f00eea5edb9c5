/**
 * GLExport (the wire document of export and batch creation) -> PsaGlRecord[], the normalised records
 * the accounting batch posts. One record per PSA document, each checked on its own: a malformed
 * document becomes that record's failure (its number and the fix), the others convert.
 *
 * Identity, from documented fields only: every record carries the GL entry ids `processedRecordIds`
 * takes once it is in the ledger. An invoice: every id of `glEntryIds`; an expense: its `id` and
 * its offset's; an expense bill: its details' id lists; procurement: the unposted row's `id`
 * (ConnectWise's UnpostedProcurement.id, looked up by unpostedProductId) plus the purchase detail,
 * purchase tax and transfer offset ids. A line the export gives no id of its own (an adjustment's
 * lines, a bill's payable, a purchase's payable) is named by its document's GL entry.
 *
 * A record is known (recordId) by what stays when it is reopened and closed again in ConnectWise,
 * which gives it new GL entries: an invoice by its id, procurement by its unpostedProductId, an
 * expense by its own id (expenseDetailId, given in the options) rather than its GL entry.
 *
 * Sign convention (as the GL entries are stored): a header total is the debit (AR) or credit
 * (AP/inventory) side; detail totals are the other side, a negative total flipping it. Credit memos
 * therefore arrive with negative totals and come out with AR on the credit side.
 */
import type { z } from 'zod';
import type { LedgerError } from '../../domain/errors';
import type { RecordKind } from '../../domain/contract';
import { ACCOUNT_TYPE_CODES, type AccountType } from '../../domain/gl/types';
import type { LineSource, PsaGlLine, PsaGlRecord, PsaRecordType } from '../../domain/posting/types';
import { expenseNumber } from '../../domain/posting/possible-kinds';
import { formatMoney } from '../../domain/money';
import { ExactDecimal } from '../exact-json';
import { amountCents, money } from './amounts';
import type { Amount } from './schemas/common';
import { DocumentProblem, badShape, documentFailure, noAccount, oddAmount, schemaProblem, unknownGlType } from './gl-document-problems';
import {
  GlExportAdjustmentTransaction,
  GlExportExpense,
  GlExportExpenseBill,
  GlExportInventoryTransfer,
  GlExportPurchaseTransaction,
  GlExportTransaction,
  type GlExport,
  type GlExportEnvelope,
} from './schemas/accounting';

const ACCOUNT_TYPE_BY_CODE: Record<string, AccountType> = Object.fromEntries(
  Object.entries(ACCOUNT_TYPE_CODES).map(([name, code]) => [code, name as AccountType]),
);

export interface GlExportToRecordsOptions {
  /** accountingPackageSetup.transferExpensesAsBillFlag, recorded on expense records. */
  transferExpensesAsBill?: boolean;
  /** Procurement: unpostedProductId -> the unposted row's id (the GL entry of the document's header). */
  rowIds?: ReadonlyMap<string, number>;
  /**
   * Expenses: the unposted row's id (the expense's GL entry, the export's `id`) -> the expense's own
   * id (UnpostedExpense.expenseDetailId, or a batch entry's `expense.id`), which survives a re-close.
   */
  expenseIds?: ReadonlyMap<number, number>;
}

/**
 * An expense's identity: its own id when known (it stays when the expense is reopened and closed
 * again, so the new revision finds what the earlier one posted), with the row id it was exported
 * by; else the row id alone, as before that id was known.
 */
function expenseIdentity(rowId: number, options: GlExportToRecordsOptions): { recordId: string; rowId?: string } {
  const own = options.expenseIds?.get(rowId);
  return own === undefined ? { recordId: String(rowId) } : { recordId: String(own), rowId: String(rowId) };
}

/** One document of the export: its record, or the failure naming the document and the fix. */
export type GlExportDocument =
  | { ok: true; record: PsaGlRecord }
  | { ok: false; kind: RecordKind; recordId?: string; number: string; error: LedgerError };

function accountTypeOf(code: string | null | undefined, where: string, field = 'glTypeId'): AccountType {
  const type = code ? ACCOUNT_TYPE_BY_CODE[code] : undefined;
  if (!type) throw unknownGlType(where, field, code);
  return type;
}

const str = (v: string | null | undefined): string | undefined => (v === null || v === undefined || v === '' ? undefined : v);
/** A record id as ConnectWise gives it (positive), else none. */
const recId = (v: number | null | undefined): number | undefined => (typeof v === 'number' && Number.isInteger(v) && v > 0 ? v : undefined);

/** A line's documented references to what it came from, the unset ones left out. */
function sourceOf(source: LineSource): LineSource | undefined {
  const out = Object.fromEntries(Object.entries(source).filter(([, v]) => v !== undefined)) as LineSource;
  return Object.keys(out).length ? out : undefined;
}
const itemSource = (item: { id?: number | null; identifier?: string | null } | null | undefined): LineSource => ({ itemId: recId(item?.id), item: str(item?.identifier) });
const unique = (ids: number[]): number[] => [...new Set(ids)];
/** The ConnectWise id a party is known by (kept on a QuickBooks party it creates), when exported. */
const identity = (source: 'company' | 'member', id: number | null | undefined) => (typeof id === 'number' ? { psaId: id, source } : {});

interface LineInput {
  id: number;
  accountType: AccountType;
  account: string | null | undefined;
  /** Signed amount: positive = the given natural side. */
  total: Amount;
  natural: 'debit' | 'credit';
  where: string;
  glClass?: string | null;
  description?: string | null;
  quantity?: number | null;
  unitPrice?: Amount | null;
  cost?: Amount | null;
  productId?: string | null;
  inventory?: string | null;
  cogs?: string | null;
  taxLevel?: number | null;
  taxCodeXref?: string | null;
  taxable?: boolean | null;
  source?: LineSource;
}

function line(input: LineInput): PsaGlLine {
  if (!Number.isInteger(input.id)) throw badShape(`${input.where}.id`, `GL entry id ${JSON.stringify(input.id)} on ${input.where} is not an integer`);
  if (!input.account) throw noAccount(input.where);
  const cents = amountCents(input.total);
  if (cents === undefined) throw oddAmount(input.where, 'total', input.total);
  const flip = cents < 0n;
  const side = flip ? (input.natural === 'debit' ? 'credit' : 'debit') : input.natural;
  const out: PsaGlLine = { glEntryId: input.id, accountType: input.accountType, account: input.account, side, amount: formatMoney(flip ? -cents : cents) };
  const optional: Partial<PsaGlLine> = {
    class: str(input.glClass),
    description: str(input.description),
    quantity: input.quantity === null || input.quantity === undefined ? undefined : String(input.quantity),
    unitPrice: input.unitPrice === null || input.unitPrice === undefined ? undefined : money(input.unitPrice),
    cost: input.cost === null || input.cost === undefined ? undefined : money(input.cost),
    productId: str(input.productId),
    inventory: str(input.inventory),
    cogs: str(input.cogs),
    taxLevel: input.taxLevel ?? undefined,
    taxCodeXref: str(input.taxCodeXref),
    taxable: input.taxable ?? undefined,
    source: input.source && sourceOf(input.source),
  };
  for (const [k, v] of Object.entries(optional)) if (v !== undefined) (out as unknown as Record<string, unknown>)[k] = v;
  return out;
}

/**
 * The one GL entry of a line whose documented id is a list. A list of several cannot be split into
 * per-entry amounts, so it is refused naming the line rather than posting a guess.
 */
function singleEntryId(ids: readonly number[], where: string): number {
  if (ids.length !== 1) {
    throw badShape(
      `${where}.id`,
      `${ids.length === 0 ? 'no GL entry id' : `${ids.length} GL entry ids (${ids.join(', ')}) on one line`} at ${where}; Ledgerline posts one GL entry per expense bill line, so export expenses unsummarised (summarizeExpenses off)`,
    );
  }
  return ids[0]!;
}

/** A record's revision: its GL entries get new ids each time it is reopened and closed. */
function revisionOf(lines: PsaGlLine[]): string {
  return String(Math.min(...lines.map((l) => l.glEntryId)));
}

type TaxLevels = NonNullable<GlExport['transactions']>[number]['taxLevels'];

/**
 * The tax level of an invoice's tax line. ConnectWise documents the level on the invoice's
 * `taxLevels` (level, taxCodeXref, taxAmount), not on the detail line: the line's level is the one
 * with its taxCodeXref, or among several with it, the one with its amount. None when no level
 * fits unambiguously; the line then posts to its account without a level.
 */
function taxLevelOf(d: { taxCodeXref?: string | null; total: Amount }, levels: TaxLevels): number | undefined {
  const cents = (n: Amount) => amountCents(n);
  const byXref = (levels ?? []).filter((l) => str(d.taxCodeXref) === undefined || l.taxCodeXref === d.taxCodeXref);
  const candidates = byXref.length > 1 ? byXref.filter((l) => l.taxAmount !== undefined && l.taxAmount !== null && cents(l.taxAmount) === cents(d.total)) : byXref;
  return candidates.length === 1 ? candidates[0]!.taxLevel : undefined;
}

const INVOICE_TYPES = new Set(['Standard', 'Agreement', 'DownPayment', 'CreditMemo', 'Progress', 'Miscellaneous']);

function invoiceRecord(t: GlExportTransaction, where: string): PsaGlRecord {
  // glEntryIds names every GL entry of the invoice (all are marked exported); the receivable's own
  // is the first one no detail line has.
  const all = t.glEntryIds ?? [];
  const detailIds = new Set(t.detail.map((d) => d.id));
  const receivable = all.find((id) => !detailIds.has(id));
  if (receivable === undefined) throw badShape(`${where}.glEntryIds`, `no GL entry id of the receivable in glEntryIds "${all.join(',')}"`);
  const lines = [
    line({ id: receivable, accountType: 'Accounts Receivable', account: t.accountNumber, total: t.total, natural: 'debit', where, glClass: t.glClass }),
    ...t.detail.map((d, j) => {
      const at = `${where}.detail[${j}]`;
      const accountType = accountTypeOf(d.glTypeId, at);
      return line({
        id: d.id, accountType, account: d.accountNumber, total: d.total, natural: 'credit',
        where: at, glClass: d.glClass, description: d.description ?? d.memo, quantity: d.quantity, unitPrice: d.itemPrice,
        cost: d.cost, productId: d.glItemId, inventory: d.inventoryAccountNumber, cogs: d.costAccountNumber,
        taxLevel: accountType === 'Sales Tax Payable' ? taxLevelOf(d, t.taxLevels) : undefined,
        taxCodeXref: d.taxCodeXref, taxable: d.taxableFlag, source: { timeEntryId: recId(d.timeEntry?.id), ...itemSource(d.item) },
      });
    }),
  ];
  const billingType = t.billingType ?? (/credit/i.test(t.documentType) ? 'CreditMemo' : 'Standard');
  return {
    kind: 'invoice',
    recordType: (INVOICE_TYPES.has(billingType) ? billingType : 'Standard') as PsaRecordType,
    recordId: String(t.id),
    number: t.documentNumber,
    revision: revisionOf(lines),
    date: t.documentDate,
    dueDate: str(t.dueDate),
    party: { name: t.company?.name ?? t.company?.identifier ?? '', accountNumber: str(t.companyAccountNumber), ...identity('company', t.company?.id) },
    terms: str(t.billingTermsXref) ?? str(t.billingTerms?.name),
    currency: str(t.currency?.currencyCode),
    taxCode: str(t.taxCode?.name) ?? str(t.taxCode?.identifier),
    memo: str(t.memo) ?? str(t.description),
    lines,
    glEntryIds: unique([...all, ...detailIds]),
    total: money(t.total),
  };
}

function expenseRecord(e: GlExportExpense, where: string, options: GlExportToRecordsOptions): PsaGlRecord {
  // The expense's documented id is its GL entry (what includedExpenseIds and processedRecordIds take), the offset's its own.
  const lines = [
    line({ id: e.id, accountType: accountTypeOf(e.glTypeId, where), account: e.accountNumber, total: e.total, natural: 'debit', where, glClass: e.glClass, description: e.description ?? e.memo, source: { expenseRowId: e.id } }),
    line({ id: e.offset.id, accountType: accountTypeOf(e.offset.glTypeId, `${where}.offset`), account: e.offset.accountNumber, total: e.offset.total, natural: 'credit', where: `${where}.offset`, glClass: e.offset.glClass, description: e.offset.description ?? e.offset.memo, source: { expenseRowId: e.id } }),
  ];
  // Known by its own id, it is numbered by it too (as people know it, EXP-<id>): the number stays when it is closed again.
  const known = expenseIdentity(e.id, options);
  return {
    kind: 'expense', recordType: 'Expense', ...known, number: known.rowId === undefined ? String(e.id) : expenseNumber(known.recordId), revision: revisionOf(lines), date: e.documentDate,
    party: { name: e.member?.name ?? e.member?.identifier ?? '', accountNumber: str(e.vendorNumber), ...identity('member', e.member?.id) },
    currency: str(e.currency?.currencyCode), memo: str(e.memo) ?? str(e.description), transferAsBill: options.transferExpensesAsBill ?? false,
    lines, glEntryIds: unique(lines.map((l) => l.glEntryId)), total: money(e.total),
  };
}

function expenseBillRecord(b: GlExportExpenseBill, where: string, options: GlExportToRecordsOptions): PsaGlRecord {
  // A detail line's documented id lists its GL entries; it has no class of its own (the bill's applies).
  const details = b.detail.map((d, j) => {
    const at = `${where}.detail[${j}]`;
    const id = singleEntryId(d.id, at);
    return line({ id, accountType: accountTypeOf(d.glTypeId, at), account: d.accountNumber, total: d.total, natural: 'debit', where: at, glClass: b.glClass, description: d.memo, source: { expenseRowId: id } });
  });
  const entryIds = unique(b.detail.flatMap((d) => d.id));
  // The payable has no id of its own in the export: it is named by the bill's.
  const payableId = b.id ?? entryIds[0];
  if (payableId === undefined) throw badShape(`${where}.id`, `no id on ${where} or its detail lines`);
  const lines = [line({ id: payableId, accountType: 'Accounts Payable', account: b.apAccountNumber, total: b.total, natural: 'credit', where, glClass: b.glClass, source: { expenseRowId: payableId } }), ...details];
  return {
    kind: 'expense', recordType: 'Expense', ...expenseIdentity(b.id ?? payableId, options), number: b.documentNumber, revision: revisionOf(lines), date: b.documentDate,
    party: { name: b.member?.name ?? b.member?.identifier ?? '', accountNumber: str(b.vendorNumber), ...identity('member', b.member?.id) },
    currency: str(b.currency?.currencyCode), memo: str(b.memo), transferAsBill: true, lines, glEntryIds: entryIds, total: money(b.total),
  };
}

/** The unposted row's id of a procurement document: its header's GL entry. */
function rowIdOf(id: string, where: string, options: GlExportToRecordsOptions): number {
  const rowId = options.rowIds?.get(id);
  if (rowId === undefined) throw badShape(`${where}.id`, `no unposted procurement row with unpostedProductId "${id}" (its GL entry id names the record when it is marked exported)`);
  return rowId;
}

function purchaseRecord(p: GlExportPurchaseTransaction, where: string, options: GlExportToRecordsOptions): PsaGlRecord {
  // Purchase rows as documented: a tax line has no description or taxCodeXref, only memo and the
  // sales/item descriptions; no purchase row has a tax level.
  // A tax row names no level; the purchase's taxLevels do, unambiguously when there is one.
  const levels = (p.taxLevels ?? []).flatMap((l) => (typeof l.taxLevel === 'number' ? [l.taxLevel] : []));
  const taxLevel = new Set(levels).size === 1 ? levels[0] : undefined;
  const detail = (rows: typeof p.purchaseDetail, name: string) =>
    rows.map((d, j) =>
      line({
        id: d.id, accountType: accountTypeOf(d.glTypeId, `${where}.${name}[${j}]`), account: d.accountNumber, total: d.total, natural: 'debit',
        where: `${where}.${name}[${j}]`, glClass: d.glClass, description: d.description ?? d.salesDescription ?? d.itemDescription ?? d.memo,
        quantity: d.quantity, cost: d.itemCost, productId: d.glItemId ?? d.item?.identifier, inventory: d.inventoryAccountNumber,
        cogs: d.costAccountNumber, taxCodeXref: d.taxCodeXref, source: name === 'purchaseDetailTax' ? { taxLevel } : itemSource(d.item),
      }),
    );
  const rows = [...detail(p.purchaseDetail, 'purchaseDetail'), ...detail(p.purchaseDetailTax ?? [], 'purchaseDetailTax')];
  // The payable is the unposted row's GL entry; without the row, the detail and tax ids alone name the purchase.
  const rowId = options.rowIds?.get(p.id) ?? rows[0]?.glEntryId;
  if (rowId === undefined) throw badShape(`${where}.purchaseDetail`, `no purchase detail line and no unposted procurement row for "${p.id}"`);
  const lines = [line({ id: rowId, accountType: 'Accounts Payable', account: p.apAccountNumber, total: p.total, natural: 'credit', where, glClass: p.purchaseClass }), ...rows];
  return {
    kind: 'procurement', recordType: 'Purchase', recordId: p.id, number: p.vendorInvoiceNumber ?? p.documentNumber, revision: revisionOf(lines),
    date: p.documentDate, party: { name: p.company?.name ?? p.company?.identifier ?? '', accountNumber: str(p.vendorAccountNumber) ?? str(p.vendorNumber), ...identity('company', p.company?.id) },
    terms: str(p.billingTermsXref) ?? str(p.billingTerms?.name), currency: str(p.currency?.currencyCode), taxCode: str(p.taxCode?.name),
    memo: str(p.memo) ?? str(p.description), lines, glEntryIds: unique(lines.map((l) => l.glEntryId)), total: money(p.total),
  };
}

function adjustmentRecord(a: GlExportAdjustmentTransaction, where: string, options: GlExportToRecordsOptions): PsaGlRecord {
  // Adjustment details carry no id: the whole adjustment is its unposted row's GL entry.
  const rowId = rowIdOf(a.id, where, options);
  const details = a.adjustmentDetail.map((d, j) =>
    line({ id: rowId, accountType: 'Inventory Adjustments', account: d.accountNumber, total: d.total, natural: 'debit', where: `${where}.adjustmentDetail[${j}]`, glClass: d.glClass, description: d.description ?? d.memo, quantity: d.quantity, cost: d.cost, inventory: d.inventoryAccountNumber, cogs: d.costAccountNumber, productId: d.item?.identifier, source: itemSource(d.item) }),
  );
  const net = a.adjustmentDetail.reduce((sum, d) => sum + (amountCents(d.total) ?? 0n), 0n);
  // The header line is the inventory-asset side of the whole adjustment.
  const lines = [line({ id: rowId, accountType: 'Inventory Transfer', account: a.accountNumber, total: new ExactDecimal(formatMoney(net)), natural: 'credit', where, glClass: a.glClass }), ...details];
  return {
    kind: 'procurement', recordType: 'Adjustment', recordId: a.id, number: a.id, revision: revisionOf(lines), date: a.documentDate,
    party: { name: 'Inventory' }, memo: str(a.adjustmentDescription) ?? str(a.memo), lines, glEntryIds: [rowId], total: formatMoney(net < 0n ? -net : net),
  };
}

function transferRecord(t: GlExportInventoryTransfer, where: string, options: GlExportToRecordsOptions): PsaGlRecord {
  const rowId = rowIdOf(String(t.id), where, options);
  const lines = [
    line({ id: rowId, accountType: accountTypeOf(t.glTypeId ?? 'IT', where), account: t.accountNumber, total: t.total, natural: 'debit', where, glClass: t.glClass, description: t.description ?? t.memo, quantity: t.quantity, cost: t.cost, productId: t.item?.identifier, source: itemSource(t.item) }),
    line({ id: t.offset.id, accountType: accountTypeOf(t.offset.glTypeId ?? 'IT', `${where}.offset`), account: t.offset.accountNumber, total: t.offset.total, natural: 'credit', where: `${where}.offset`, glClass: t.offset.glClass, description: t.offset.description ?? t.offset.memo, source: itemSource(t.item) }),
  ];
  return {
    kind: 'procurement', recordType: 'Transfer', recordId: String(t.id), number: String(t.transferId ?? t.id), revision: revisionOf(lines), date: t.documentDate,
    party: { name: 'Inventory' }, memo: str(t.memo) ?? str(t.description), lines, glEntryIds: unique(lines.map((l) => l.glEntryId)), total: money(t.total),
  };
}

interface Section {
  key: 'transactions' | 'expenses' | 'expenseBills' | 'purchaseTransactions' | 'adjustmentTransactions' | 'inventoryTransfers';
  kind: RecordKind;
  /** What people call the document, in failures. */
  what: string;
  schema: z.ZodType;
  convert(doc: never, where: string, options: GlExportToRecordsOptions): PsaGlRecord;
  /** The number people know it by, read from the raw document. */
  numberFields: readonly string[];
}

const SECTIONS: readonly Section[] = [
  { key: 'transactions', kind: 'invoice', what: 'invoice', schema: GlExportTransaction, convert: invoiceRecord, numberFields: ['documentNumber'] },
  { key: 'expenses', kind: 'expense', what: 'expense', schema: GlExportExpense, convert: expenseRecord, numberFields: [] },
  { key: 'expenseBills', kind: 'expense', what: 'expense bill', schema: GlExportExpenseBill, convert: expenseBillRecord, numberFields: ['documentNumber'] },
  { key: 'purchaseTransactions', kind: 'procurement', what: 'purchase', schema: GlExportPurchaseTransaction, convert: purchaseRecord, numberFields: ['vendorInvoiceNumber', 'documentNumber'] },
  { key: 'adjustmentTransactions', kind: 'procurement', what: 'adjustment', schema: GlExportAdjustmentTransaction, convert: adjustmentRecord, numberFields: [] },
  { key: 'inventoryTransfers', kind: 'procurement', what: 'transfer', schema: GlExportInventoryTransfer, convert: transferRecord, numberFields: ['transferId'] },
];

const readable = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : typeof v === 'number' && Number.isFinite(v) ? String(v) : undefined);

/** Every document of the export, each converted or failed on its own. */
export function glExportDocuments(glExport: GlExportEnvelope | GlExport, options: GlExportToRecordsOptions = {}): GlExportDocument[] {
  const out: GlExportDocument[] = [];
  for (const section of SECTIONS) {
    const docs = (glExport[section.key] ?? []) as ReadonlyArray<Record<string, unknown>>;
    for (const [i, raw] of docs.entries()) {
      const where = `${section.key}[${i}]`;
      const recordId = readable(raw.id);
      const number = section.numberFields.map((f) => readable(raw[f])).find((n) => n !== undefined) ?? recordId ?? where;
      try {
        const parsed = section.schema.safeParse(raw);
        if (!parsed.success) throw schemaProblem(where, parsed.error.issues);
        out.push({ ok: true, record: section.convert(parsed.data as never, where, options) });
      } catch (err) {
        if (!(err instanceof DocumentProblem)) throw err;
        out.push({ ok: false, kind: section.kind, ...(recordId !== undefined && { recordId }), number, error: documentFailure(section.what, number, err) });
      }
    }
  }
  return out;
}

/** The export's records; the first malformed document's failure is thrown (tools and tests). */
export function glExportToRecords(glExport: GlExportEnvelope | GlExport, options: GlExportToRecordsOptions = {}): PsaGlRecord[] {
  return glExportDocuments(glExport, options).map((d) => {
    if (!d.ok) throw d.error;
    return d.record;
  });
}
