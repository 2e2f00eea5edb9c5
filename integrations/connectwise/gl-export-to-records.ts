/**
 * GLExport (the wire document of export and batch creation) -> PsaGlRecord[], the normalised records
 * the accounting batch posts. One record per PSA document; every line keeps its GL entry id, which is
 * what `processedRecordIds` takes once the record is in the ledger.
 *
 * Sign convention (as the GL entries are stored): a header total is the debit (AR) or credit
 * (AP/inventory) side; detail totals are the other side, a negative total flipping it. Credit memos
 * therefore arrive with negative totals and come out with AR on the credit side.
 */
import { LedgerError } from '../../domain/errors';
import { ACCOUNT_TYPE_CODES, type AccountType, type GlLineContext } from '../../domain/gl/types';
import type { PsaGlLine, PsaGlRecord, PsaRecordType } from '../../domain/posting/types';
import type { GlExport } from './schemas/accounting';

const ACCOUNT_TYPE_BY_CODE: Record<string, AccountType> = Object.fromEntries(
  Object.entries(ACCOUNT_TYPE_CODES).map(([name, code]) => [code, name as AccountType]),
);

export interface GlExportToRecordsOptions {
  /** accountingPackageSetup.transferExpensesAsBillFlag, recorded on expense records. */
  transferExpensesAsBill?: boolean;
}

/** Cents-exact decimal string from a JSON number (ConnectWise sends money as numbers). */
export function money(n: number): string {
  const cents = Math.round(Math.abs(n) * 100);
  const s = `${Math.floor(cents / 100)}.${String(cents % 100).padStart(2, '0')}`;
  return n < 0 && cents !== 0 ? `-${s}` : s;
}

function accountTypeOf(code: string | null | undefined, where: string): AccountType {
  const type = code ? ACCOUNT_TYPE_BY_CODE[code] : undefined;
  if (!type) {
    throw new LedgerError('ResponseShapeMismatch', `GLExport ${where}: unknown glTypeId "${code ?? ''}"`, {
      details: { field: `${where}.glTypeId`, value: code },
    });
  }
  return type;
}

function contextOf(raw: unknown): GlLineContext | undefined {
  if (!raw || typeof raw !== 'object') return undefined;
  const c = raw as Partial<GlLineContext>;
  return typeof c.accountType === 'string' && typeof c.owner === 'string' ? (c as GlLineContext) : undefined;
}

const str = (v: string | null | undefined): string | undefined => (v === null || v === undefined || v === '' ? undefined : v);
/** The ConnectWise id a party is known by (kept on a QuickBooks party it creates), when exported. */
const identity = (source: 'company' | 'member', id: number | null | undefined) => (typeof id === 'number' ? { psaId: id, source } : {});

interface LineInput {
  id: number | string;
  accountType: AccountType;
  account: string | null | undefined;
  /** Signed amount: positive = the given natural side. */
  total: number;
  natural: 'debit' | 'credit';
  where: string;
  glClass?: string | null;
  description?: string | null;
  quantity?: number | null;
  unitPrice?: number | null;
  cost?: number | null;
  productId?: string | null;
  inventory?: string | null;
  cogs?: string | null;
  taxLevel?: number | null;
  taxCodeXref?: string | null;
  taxable?: boolean | null;
  context?: unknown;
}

function line(input: LineInput): PsaGlLine {
  const glEntryId = Number(input.id);
  if (!Number.isInteger(glEntryId)) {
    throw new LedgerError('ResponseShapeMismatch', `GLExport ${input.where}: GL entry id "${input.id}" is not an integer`, {
      details: { field: `${input.where}.id` },
    });
  }
  if (!input.account) {
    throw new LedgerError('ResponseShapeMismatch', `GLExport ${input.where}: no account number`, { details: { field: `${input.where}.accountNumber` } });
  }
  const flip = input.total < 0;
  const side = flip ? (input.natural === 'debit' ? 'credit' : 'debit') : input.natural;
  const out: PsaGlLine = { glEntryId, accountType: input.accountType, account: input.account, side, amount: money(Math.abs(input.total)) };
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
    context: contextOf(input.context),
  };
  for (const [k, v] of Object.entries(optional)) if (v !== undefined) (out as unknown as Record<string, unknown>)[k] = v;
  return out;
}

/** The first id of a header's glEntryIds (the header line's own GL entry). */
function headerEntryId(ids: ReadonlyArray<string | number> | null | undefined, fallback: string | number | undefined, where: string): number | string {
  const id = ids?.[0] ?? fallback;
  if (id === undefined) throw new LedgerError('ResponseShapeMismatch', `GLExport ${where}: no glEntryIds`, { details: { field: `${where}.glEntryIds` } });
  return id;
}

/**
 * The one GL entry of a line whose documented id is a list. A list of several cannot be split into
 * per-entry amounts, so it is refused naming the line rather than marking only some entries exported.
 */
function singleEntryId(ids: readonly number[], where: string): number {
  if (ids.length !== 1) {
    throw new LedgerError('ResponseShapeMismatch', `GLExport ${where}: ${ids.length === 0 ? 'no GL entry id' : `${ids.length} GL entry ids (${ids.join(', ')}) on one line`}; Ledgerline posts one GL entry per expense bill line, so export expenses unsummarised (summarizeExpenses off)`, {
      details: { field: `${where}.id` },
    });
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
function taxLevelOf(d: { taxCodeXref?: string | null; total: number }, levels: TaxLevels): number | undefined {
  const cents = (n: number) => Math.round(n * 100);
  const byXref = (levels ?? []).filter((l) => str(d.taxCodeXref) === undefined || l.taxCodeXref === d.taxCodeXref);
  const candidates = byXref.length > 1 ? byXref.filter((l) => l.taxAmount !== undefined && l.taxAmount !== null && cents(l.taxAmount) === cents(d.total)) : byXref;
  return candidates.length === 1 ? candidates[0]!.taxLevel : undefined;
}

const INVOICE_TYPES = new Set(['Standard', 'Agreement', 'DownPayment', 'CreditMemo', 'Progress', 'Miscellaneous']);

export function glExportToRecords(glExport: GlExport, options: GlExportToRecordsOptions = {}): PsaGlRecord[] {
  const records: PsaGlRecord[] = [];

  for (const [i, t] of (glExport.transactions ?? []).entries()) {
    const where = `transactions[${i}]`;
    // glEntryIds names every GL entry of the invoice; the receivable's own is the one no detail line has.
    const detailIds = new Set(t.detail.map((d) => Number(d.id)));
    const receivable = t.glEntryIds?.filter((id) => !detailIds.has(id));
    const lines = [
      line({ id: headerEntryId(receivable, undefined, where), accountType: 'Accounts Receivable', account: t.accountNumber, total: t.total, natural: 'debit', where, glClass: t.glClass, context: t.glLineContext }),
      ...t.detail.map((d, j) => {
        const accountType = accountTypeOf(d.glTypeId, `${where}.detail[${j}]`);
        return line({
          id: d.id, accountType, account: d.accountNumber, total: d.total, natural: 'credit',
          where: `${where}.detail[${j}]`, glClass: d.glClass, description: d.description ?? d.memo, quantity: d.quantity, unitPrice: d.itemPrice,
          cost: d.cost, productId: d.glItemId, inventory: d.inventoryAccountNumber, cogs: d.costAccountNumber,
          taxLevel: accountType === 'Sales Tax Payable' ? taxLevelOf(d, t.taxLevels) : undefined,
          taxCodeXref: d.taxCodeXref, taxable: d.taxableFlag, context: d.glLineContext,
        });
      }),
    ];
    const billingType = t.billingType ?? (/credit/i.test(t.documentType) ? 'CreditMemo' : 'Standard');
    records.push({
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
      total: money(t.total),
    });
  }

  for (const [i, e] of (glExport.expenses ?? []).entries()) {
    const where = `expenses[${i}]`;
    const lines = [
      line({ id: headerEntryId(e.glEntryIds, e.id, where), accountType: accountTypeOf(e.glTypeId, where), account: e.accountNumber, total: e.total, natural: 'debit', where, glClass: e.glClass, description: e.description ?? e.memo, context: e.glLineContext }),
      line({ id: e.offset.id, accountType: accountTypeOf(e.offset.glTypeId, `${where}.offset`), account: e.offset.accountNumber, total: e.offset.total, natural: 'credit', where: `${where}.offset`, glClass: e.offset.glClass, description: e.offset.description ?? e.offset.memo, context: e.offset.glLineContext }),
    ];
    records.push({
      kind: 'expense', recordType: 'Expense', recordId: String(e.id), number: String(e.id), revision: revisionOf(lines), date: e.documentDate,
      party: { name: e.member?.name ?? e.member?.identifier ?? '', accountNumber: str(e.vendorNumber), ...identity('member', e.member?.id) },
      currency: str(e.currency?.currencyCode), memo: str(e.memo) ?? str(e.description), transferAsBill: options.transferExpensesAsBill ?? false,
      lines, total: money(e.total),
    });
  }

  for (const [i, b] of (glExport.expenseBills ?? []).entries()) {
    const where = `expenseBills[${i}]`;
    const lines = [
      line({ id: headerEntryId(b.glEntryIds, undefined, where), accountType: 'Accounts Payable', account: b.apAccountNumber, total: b.total, natural: 'credit', where, glClass: b.glClass, context: b.glLineContext }),
      // A detail line's documented id lists its GL entries; it has no class of its own (the bill's applies).
      ...b.detail.map((d, j) =>
        line({ id: singleEntryId(d.id, `${where}.detail[${j}]`), accountType: accountTypeOf(d.glTypeId, `${where}.detail[${j}]`), account: d.accountNumber, total: d.total, natural: 'debit', where: `${where}.detail[${j}]`, glClass: b.glClass, description: d.memo, context: d.glLineContext }),
      ),
    ];
    records.push({
      kind: 'expense', recordType: 'Expense', recordId: String(b.id), number: b.documentNumber, revision: revisionOf(lines), date: b.documentDate,
      party: { name: b.member?.name ?? b.member?.identifier ?? '', accountNumber: str(b.vendorNumber), ...identity('member', b.member?.id) },
      currency: str(b.currency?.currencyCode), memo: str(b.memo), transferAsBill: true, lines, total: money(b.total),
    });
  }

  for (const [i, p] of (glExport.purchaseTransactions ?? []).entries()) {
    const where = `purchaseTransactions[${i}]`;
    // Purchase rows as documented: a tax line has no description or taxCodeXref, only memo and the
    // sales/item descriptions; no purchase row has a tax level.
    const detail = (rows: typeof p.purchaseDetail, name: string) =>
      rows.map((d, j) =>
        line({
          id: d.id, accountType: accountTypeOf(d.glTypeId, `${where}.${name}[${j}]`), account: d.accountNumber, total: d.total, natural: 'debit',
          where: `${where}.${name}[${j}]`, glClass: d.glClass, description: d.description ?? d.salesDescription ?? d.itemDescription ?? d.memo,
          quantity: d.quantity, cost: d.itemCost, productId: d.glItemId ?? d.item?.identifier, inventory: d.inventoryAccountNumber,
          cogs: d.costAccountNumber, taxCodeXref: d.taxCodeXref, context: d.glLineContext,
        }),
      );
    const lines = [
      line({ id: headerEntryId(p.glEntryIds, undefined, where), accountType: 'Accounts Payable', account: p.apAccountNumber, total: p.total, natural: 'credit', where, glClass: p.purchaseClass, context: p.glLineContext }),
      ...detail(p.purchaseDetail, 'purchaseDetail'),
      ...detail(p.purchaseDetailTax ?? [], 'purchaseDetailTax'),
    ];
    records.push({
      kind: 'procurement', recordType: 'Purchase', recordId: p.id, number: p.vendorInvoiceNumber ?? p.documentNumber, revision: revisionOf(lines),
      date: p.documentDate, party: { name: p.company?.name ?? p.company?.identifier ?? '', accountNumber: str(p.vendorAccountNumber) ?? str(p.vendorNumber), ...identity('company', p.company?.id) },
      terms: str(p.billingTermsXref) ?? str(p.billingTerms?.name), currency: str(p.currency?.currencyCode), taxCode: str(p.taxCode?.name),
      memo: str(p.memo) ?? str(p.description), lines, total: money(p.total),
    });
  }

  for (const [i, a] of (glExport.adjustmentTransactions ?? []).entries()) {
    const where = `adjustmentTransactions[${i}]`;
    const details = a.adjustmentDetail.map((d, j) =>
      line({ id: d.id, accountType: 'Inventory Adjustments', account: d.accountNumber, total: d.total, natural: 'debit', where: `${where}.adjustmentDetail[${j}]`, glClass: d.glClass, description: d.description ?? d.memo, quantity: d.quantity, cost: d.cost, inventory: d.inventoryAccountNumber, cogs: d.costAccountNumber, productId: d.item?.identifier, context: d.glLineContext }),
    );
    const net = a.adjustmentDetail.reduce((sum, d) => sum + Math.round(d.total * 100), 0) / 100;
    // The header line is the inventory-asset side of the whole adjustment.
    const lines = [line({ id: headerEntryId(a.glEntryIds, undefined, where), accountType: 'Inventory Transfer', account: a.accountNumber, total: net, natural: 'credit', where, glClass: a.glClass, context: a.glLineContext }), ...details];
    records.push({
      kind: 'procurement', recordType: 'Adjustment', recordId: a.id, number: a.id, revision: revisionOf(lines), date: a.documentDate,
      party: { name: 'Inventory' }, memo: str(a.adjustmentDescription) ?? str(a.memo), lines, total: money(Math.abs(net)),
    });
  }

  for (const [i, t] of (glExport.inventoryTransfers ?? []).entries()) {
    const where = `inventoryTransfers[${i}]`;
    const lines = [
      line({ id: headerEntryId(t.glEntryIds, undefined, where), accountType: accountTypeOf(t.glTypeId ?? 'IT', where), account: t.accountNumber, total: t.total, natural: 'debit', where, glClass: t.glClass, description: t.description ?? t.memo, quantity: t.quantity, cost: t.cost, productId: t.item?.identifier, context: t.glLineContext }),
      line({ id: t.offset.id, accountType: accountTypeOf(t.offset.glTypeId ?? 'IT', `${where}.offset`), account: t.offset.accountNumber, total: t.offset.total, natural: 'credit', where: `${where}.offset`, glClass: t.offset.glClass, description: t.offset.description ?? t.offset.memo, context: t.offset.glLineContext }),
    ];
    records.push({
      kind: 'procurement', recordType: 'Transfer', recordId: String(t.id), number: String(t.transferId ?? t.id), revision: revisionOf(lines), date: t.documentDate,
      party: { name: 'Inventory' }, memo: str(t.memo) ?? str(t.description), lines, total: money(t.total),
    });
  }

  return records;
}
