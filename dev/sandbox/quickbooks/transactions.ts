/**
 * Invoice, CreditMemo, Bill, Purchase, JournalEntry and InventoryAdjustment: validation as
 * QuickBooks does it, derived totals, and side effects on stock (applied and reversed by sign so
 * updates, voids and deletes undo exactly what a create did).
 */
import { businessRule, requiredMissing, validation } from './faults';
import {
  amountOf,
  canonicalise,
  checkBillable,
  checkHeaderClass,
  checkLineClass,
  checkQtyPrice,
  checkTxnTaxDetail,
  detailOf,
  linesOf,
  postToItemIncomeAccount,
  type Line,
} from './lines';
import { cents, num, round2 } from './money';
import { applyAutomatedSalesTax, checkLineTaxCode, usesAutomatedSalesTax } from './sales-tax';
import { canonicalRef, firstAccountOfType, refId, resolveRef } from './refs';
import { checkCurrencyEnabled, currencyRef, homeCurrency } from './currencies';
import { today, type QboEntity, type RealmState } from './state';
import { firstInTableOrder, rowsMatchable } from './table-index';

type Body = Record<string, unknown>;

export interface WriteContext {
  allowDuplicateDocNum: boolean;
}

const MAX_DOC_NUMBER = 21;
const MAX_PRIVATE_NOTE = 4000;

/** Optional header fields a client may send as "" to mean unset; QuickBooks ignores them. */
const BLANK_MEANS_UNSET = ['TxnDate', 'DueDate', 'ShipDate', 'TotalAmt', 'DocNumber', 'PrivateNote', 'CustomerMemo'];

function dropBlanks(body: Body): void {
  for (const f of BLANK_MEANS_UNSET) if (body[f] === '') delete body[f];
  const memo = body.CustomerMemo as { value?: unknown } | undefined;
  if (memo && typeof memo === 'object' && memo.value === '') delete body.CustomerMemo;
}

/** Transactions dated on or before the company's book close date are refused. */
export function checkClosedPeriod(realm: RealmState, body: Body): void {
  const prefs = realm.preferences.AccountingInfoPrefs as { BookCloseDate?: unknown } | undefined;
  const close = prefs?.BookCloseDate;
  if (typeof close !== 'string' || !close) return;
  if ((body.TxnDate as string) <= close.slice(0, 10)) {
    throw validation(
      '6210',
      'Account Period Closed, Cannot Update Through Services API',
      'The account period has closed and the account books cannot be updated through the QBO Services API. Please use the QBO website to make these changes.',
      'TxnDate',
    );
  }
}

/** The transaction currency must be the home currency, or (multicurrency on) one the company has added. */
function checkCurrency(realm: RealmState, body: Body): void {
  checkCurrencyEnabled(realm, refId(body.CurrencyRef), 'CurrencyRef');
}

/**
 * With multicurrency on, a customer or vendor keeps one currency, and its transactions must be in
 * it; a transaction that names no currency takes its party's. [unverified] the refusal's code and
 * wording (6000, business validation), and the default.
 */
function checkPartyCurrency(realm: RealmState, body: Body, party: QboEntity, what: 'customer' | 'vendor', element: string): void {
  checkCurrency(realm, body);
  const partyCurrency = refId(party.CurrencyRef) ?? homeCurrency(realm);
  body.CurrencyRef ??= currencyRef(partyCurrency);
  const txnCurrency = refId(body.CurrencyRef);
  if (partyCurrency !== txnCurrency) {
    throw businessRule(`The currency of the transaction (${txnCurrency}) must match the currency of the ${what} ${String(party.DisplayName)} (${partyCurrency}).`, element);
  }
}

function checkHeader(realm: RealmState, body: Body): void {
  dropBlanks(body);
  const doc = body.DocNumber;
  if (doc !== undefined && (typeof doc !== 'string' || doc.length > MAX_DOC_NUMBER)) {
    throw validation(
      '2050',
      'String length specified does not match the supported length',
      `String length is either shorter or longer than supported by specification. Min:0 Max:${MAX_DOC_NUMBER} supported. Supplied length:${String(doc).length}`,
      'DocNumber',
    );
  }
  if (typeof body.PrivateNote === 'string' && body.PrivateNote.length > MAX_PRIVATE_NOTE) {
    throw validation('2050', 'String length specified does not match the supported length', `PrivateNote is longer than ${MAX_PRIVATE_NOTE} characters`, 'PrivateNote');
  }
  if (body.TxnDate !== undefined && (typeof body.TxnDate !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(body.TxnDate))) {
    throw validation('2010', 'Request has invalid or unsupported property', `Property Name:TxnDate must be a date (YYYY-MM-DD)`, 'TxnDate');
  }
  body.TxnDate ??= today();
  checkClosedPeriod(realm, body);
  checkCurrency(realm, body);
  body.CurrencyRef ??= currencyRef(homeCurrency(realm));
}

/** Sales forms refuse a DocNumber already used by the same kind (unless allowduplicatedocnum). */
function checkDuplicateDocNumber(realm: RealmState, entity: string, body: Body, selfId: string | undefined, ctx: WriteContext): void {
  const doc = body.DocNumber;
  if (typeof doc !== 'string' || !doc || ctx.allowDuplicateDocNum) return;
  const rows = realm.entities[entity] ?? {};
  const isClash = (t: QboEntity) => t.Id !== selfId && t.DocNumber === doc;
  const first = firstInTableOrder(rowsMatchable(rows, 'DocNumber', [doc])?.filter(isClash));
  const clash = first === undefined ? Object.values(rows).find(isClash) : first;
  if (clash) {
    throw validation(
      '6140',
      'Duplicate Document Number Error',
      `Duplicate Document Number Error : You must specify a different number. This number has already been used. DocNumber=${doc} is assigned to TxnType=${entity} with TxnId=${clash.Id}`,
      'DocNumber',
    );
  }
}

/**
 * Sales forms without a DocNumber: numbered by QuickBooks when custom transaction numbers are off
 * (SalesFormsPrefs.CustomTxnNumbers false), left without one when they are on. A DocNumber sent
 * while they are off is kept, as QuickBooks does (its documentation only advises against it).
 */
function customTxnNumbers(realm: RealmState): boolean {
  const prefs = realm.preferences.SalesFormsPrefs as { CustomTxnNumbers?: unknown } | undefined;
  return prefs?.CustomTxnNumbers !== false;
}

/** AutoDocNumber: one more than the highest numeric DocNumber of that kind (QuickBooks starts at 1001). */
function nextDocNumber(realm: RealmState, entity: string): string {
  const numbers = Object.values(realm.entities[entity] ?? {})
    .map((t) => (typeof t.DocNumber === 'string' && /^\d+$/.test(t.DocNumber) ? Number(t.DocNumber) : 0));
  return String(Math.max(1000, ...numbers) + 1);
}

function numberLines(lines: Line[]): Line[] {
  return lines.map((l, i) => ({ ...l, Id: String(i + 1), LineNum: i + 1 }));
}

function taxTotal(body: Body): number {
  const detail = body.TxnTaxDetail as Record<string, unknown> | undefined;
  return num(detail?.TotalTax) ?? 0;
}

function prepareSales(realm: RealmState, entity: 'Invoice' | 'CreditMemo', body: Body, existing: QboEntity | undefined, ctx: WriteContext): Body {
  const customer = resolveRef(realm, 'Customer', body.CustomerRef, 'CustomerRef');
  body.CustomerRef = canonicalRef(customer);
  checkPartyCurrency(realm, body, customer, 'customer', 'CustomerRef');
  checkHeader(realm, body);
  checkHeaderClass(realm, body);
  if (body.AutoDocNumber === true || (body.DocNumber === undefined && !customTxnNumbers(realm))) body.DocNumber = nextDocNumber(realm, entity);
  delete body.AutoDocNumber;
  checkDuplicateDocNumber(realm, entity, body, existing?.Id, ctx);
  if (body.SalesTermRef !== undefined) canonicalise(realm, body, 'SalesTermRef', 'Term', 'SalesTermRef');
  if (body.ARAccountRef !== undefined) canonicalise(realm, body, 'ARAccountRef', 'Account', 'ARAccountRef');
  const automatedTax = usesAutomatedSalesTax(realm);
  if (!automatedTax) checkTxnTaxDetail(realm, body);
  // QuickBooks adds the subtotal line itself; drop any sent back from an earlier read.
  const lines = linesOf(body).filter((l) => l.DetailType !== 'SubTotalLineDetail');
  if (lines.length === 0) throw requiredMissing('Line');
  let subtotal = 0;
  let discount = 0;
  let taxable = 0;
  lines.forEach((line, i) => {
    const { type, detail } = detailOf(line, i, ['SalesItemLineDetail', 'DiscountLineDetail', 'DescriptionOnly']);
    if (type === 'DescriptionOnly') return;
    const amount = amountOf(line, i);
    if (type === 'SalesItemLineDetail') {
      postToItemIncomeAccount(realm, detail, i);
      checkLineClass(realm, detail, i, 'sales');
      checkLineTaxCode(realm, detail, `Line[${i}].SalesItemLineDetail.TaxCodeRef`);
      checkQtyPrice(detail, amount, i);
      subtotal += cents(amount);
      if (refId(detail.TaxCodeRef) === 'TAX') taxable += cents(amount);
    } else {
      canonicalise(realm, detail, 'DiscountAccountRef', 'Account', `Line[${i}].DiscountLineDetail.DiscountAccountRef`);
      checkLineClass(realm, detail, i, 'sales');
      discount += cents(amount);
    }
  });
  if (automatedTax) applyAutomatedSalesTax(realm, body, customer, taxable);
  const total = subtotal - discount + cents(taxTotal(body));
  if (total < 0) throw businessRule('Transaction total cannot be negative.', 'TotalAmt');
  body.Line = [...numberLines(lines), { Amount: subtotal / 100, DetailType: 'SubTotalLineDetail', SubTotalLineDetail: {} }];
  body.TotalAmt = total / 100;
  if (entity === 'Invoice') {
    const paid = existing ? cents(num(existing.TotalAmt) ?? 0) - cents(num(existing.Balance) ?? 0) : 0;
    if (paid > total) throw businessRule('The invoice total cannot be less than the payments applied to it.', 'TotalAmt');
    body.Balance = (total - paid) / 100;
    body.LinkedTxn = existing?.LinkedTxn ?? [];
    if (!body.DueDate) body.DueDate = dueDate(realm, body, customer);
  } else {
    const used = existing ? cents(num(existing.TotalAmt) ?? 0) - cents(num(existing.RemainingCredit) ?? 0) : 0;
    if (used > total) throw businessRule('The credit memo total cannot be less than the credit already applied.', 'TotalAmt');
    body.RemainingCredit = (total - used) / 100;
    body.Balance = body.RemainingCredit;
  }
  if (!body.ARAccountRef) {
    const ar = firstAccountOfType(realm, 'Accounts Receivable');
    if (ar) body.ARAccountRef = canonicalRef(ar);
  }
  return body;
}

function dueDate(realm: RealmState, body: Body, customer: QboEntity): string {
  const termId = refId(body.SalesTermRef) ?? refId(customer.SalesTermRef);
  const term = termId ? realm.entities.Term?.[termId] : undefined;
  const days = num(term?.DueDays) ?? 0;
  const d = new Date(`${body.TxnDate as string}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

function expenseLines(realm: RealmState, body: Body): number {
  checkTxnTaxDetail(realm, body);
  const lines = linesOf(body);
  let total = 0;
  lines.forEach((line, i) => {
    const { type, detail } = detailOf(line, i, ['AccountBasedExpenseLineDetail', 'ItemBasedExpenseLineDetail']);
    const amount = amountOf(line, i);
    const at = `Line[${i}].${type}`;
    if (type === 'AccountBasedExpenseLineDetail') {
      canonicalise(realm, detail, 'AccountRef', 'Account', `${at}.AccountRef`, true);
    } else {
      canonicalise(realm, detail, 'ItemRef', 'Item', `${at}.ItemRef`, true);
      checkQtyPrice(detail, amount, i);
    }
    canonicalise(realm, detail, 'CustomerRef', 'Customer', `${at}.CustomerRef`);
    checkLineClass(realm, detail, i);
    checkBillable(detail, i);
    checkLineTaxCode(realm, detail, `${at}.TaxCodeRef`);
    total += cents(amount);
  });
  body.Line = numberLines(lines);
  return total + cents(taxTotal(body));
}

function prepareBill(realm: RealmState, body: Body, existing: QboEntity | undefined): Body {
  const vendor = resolveRef(realm, 'Vendor', body.VendorRef, 'VendorRef');
  body.VendorRef = canonicalRef(vendor);
  checkPartyCurrency(realm, body, vendor, 'vendor', 'VendorRef');
  checkHeader(realm, body);
  const ap = body.APAccountRef !== undefined ? resolveRef(realm, 'Account', body.APAccountRef, 'APAccountRef') : firstAccountOfType(realm, 'Accounts Payable');
  if (ap && ap.AccountType !== 'Accounts Payable') throw businessRule('APAccountRef must be an Accounts Payable account.', 'APAccountRef');
  if (ap) body.APAccountRef = canonicalRef(ap);
  if (body.SalesTermRef !== undefined) canonicalise(realm, body, 'SalesTermRef', 'Term', 'SalesTermRef');
  const total = expenseLines(realm, body);
  const paid = existing ? cents(num(existing.TotalAmt) ?? 0) - cents(num(existing.Balance) ?? 0) : 0;
  body.TotalAmt = total / 100;
  body.Balance = (total - paid) / 100;
  return body;
}

const PAYMENT_TYPES: Record<string, string> = { Cash: 'Bank', Check: 'Bank', CreditCard: 'Credit Card' };

function preparePurchase(realm: RealmState, body: Body): Body {
  const paymentType = body.PaymentType;
  if (paymentType === undefined) throw requiredMissing('PaymentType');
  if (typeof paymentType !== 'string' || !(paymentType in PAYMENT_TYPES)) {
    throw validation('2170', 'Invalid Enumeration', `Invalid Enumeration : ${String(paymentType)}`, 'PaymentType');
  }
  const account = resolveRef(realm, 'Account', body.AccountRef, 'AccountRef');
  if (account.AccountType !== PAYMENT_TYPES[paymentType]) {
    throw businessRule(`A ${paymentType} purchase must be paid from a ${PAYMENT_TYPES[paymentType]} account.`, 'AccountRef');
  }
  body.AccountRef = canonicalRef(account);
  if (body.Credit === true && paymentType !== 'CreditCard') throw businessRule('Only credit card purchases can be credits.', 'Credit');
  const type = (body.EntityRef as { type?: string } | undefined)?.type ?? 'Vendor';
  const entity = body.EntityRef !== undefined ? resolveRef(realm, type === 'Customer' ? 'Customer' : 'Vendor', body.EntityRef, 'EntityRef') : undefined;
  if (entity) {
    body.EntityRef = { ...canonicalRef(entity), type };
    checkPartyCurrency(realm, body, entity, type === 'Customer' ? 'customer' : 'vendor', 'EntityRef');
  }
  checkHeader(realm, body);
  body.TotalAmt = expenseLines(realm, body) / 100;
  return body;
}

const POSTING_TYPES = ['Debit', 'Credit'];

function prepareJournal(realm: RealmState, body: Body): Body {
  checkHeader(realm, body);
  const lines = linesOf(body);
  let debits = 0;
  let credits = 0;
  lines.forEach((line, i) => {
    const { detail } = detailOf(line, i, ['JournalEntryLineDetail']);
    const amount = amountOf(line, i);
    if (amount < 0) throw businessRule('Journal entry line amounts cannot be negative; use the other posting type.', `Line[${i}].Amount`);
    const at = `Line[${i}].JournalEntryLineDetail`;
    if (detail.PostingType === undefined) throw requiredMissing(`${at}.PostingType`);
    if (!POSTING_TYPES.includes(String(detail.PostingType))) throw validation('2170', 'Invalid Enumeration', `Invalid Enumeration : ${String(detail.PostingType)}`, `${at}.PostingType`);
    const account = resolveRef(realm, 'Account', detail.AccountRef, `${at}.AccountRef`);
    detail.AccountRef = canonicalRef(account);
    checkLineClass(realm, detail, i);
    const entity = detail.Entity as { Type?: string; EntityRef?: unknown } | undefined;
    if (entity?.EntityRef !== undefined) {
      const kind = entity.Type === 'Customer' ? 'Customer' : entity.Type === 'Vendor' ? 'Vendor' : undefined;
      if (!kind) throw validation('2170', 'Invalid Enumeration', `Invalid Enumeration : ${String(entity.Type)}`, `${at}.Entity.Type`);
      detail.Entity = { Type: kind, EntityRef: canonicalRef(resolveRef(realm, kind, entity.EntityRef, `${at}.Entity.EntityRef`)) };
    }
    const entityType = (detail.Entity as { Type?: string } | undefined)?.Type;
    if (account.AccountType === 'Accounts Receivable' && entityType !== 'Customer') {
      throw businessRule('When you use Accounts Receivable, you must choose a customer in the Name field.', `${at}.Entity`);
    }
    if (account.AccountType === 'Accounts Payable' && entityType !== 'Vendor') {
      throw businessRule('When you use Accounts Payable, you must choose a vendor in the Name field.', `${at}.Entity`);
    }
    if (detail.PostingType === 'Debit') debits += cents(amount);
    else credits += cents(amount);
  });
  if (debits !== credits) throw businessRule('Transaction must be balanced.', 'Line');
  body.Line = numberLines(lines);
  body.TotalAmt = debits / 100;
  body.Adjustment = body.Adjustment === true;
  return body;
}

function prepareInventoryAdjustment(realm: RealmState, body: Body, existing: QboEntity | undefined): Body {
  if (existing && existing.TxnDate !== body.TxnDate) throw businessRule('The date of an inventory adjustment cannot be changed.', 'TxnDate');
  body.AdjustAccountRef = canonicalRef(resolveRef(realm, 'Account', body.AdjustAccountRef, 'AdjustAccountRef'));
  checkHeader(realm, body);
  const lines = linesOf(body);
  lines.forEach((line, i) => {
    const { detail } = detailOf(line, i, ['ItemAdjustmentLineDetail']);
    const at = `Line[${i}].ItemAdjustmentLineDetail`;
    const item = resolveRef(realm, 'Item', detail.ItemRef, `${at}.ItemRef`);
    if (item.Type !== 'Inventory') throw businessRule(`Item ${item.Name as string} does not track quantity on hand.`, `${at}.ItemRef`);
    detail.ItemRef = canonicalRef(item);
    const hasDiff = num(detail.QtyDiff) !== undefined;
    const hasNew = num(detail.NewQty) !== undefined;
    if (hasDiff === hasNew) throw businessRule('Each adjustment line needs exactly one of QtyDiff or NewQty.', at);
    checkLineClass(realm, detail, i);
  });
  body.Line = numberLines(lines);
  return body;
}

/** Validates and completes a transaction body; `existing` is the stored version on update. */
export function prepareTransaction(realm: RealmState, entity: string, body: Body, existing: QboEntity | undefined, ctx: WriteContext): Body {
  switch (entity) {
    case 'Invoice':
    case 'CreditMemo':
      return prepareSales(realm, entity, body, existing, ctx);
    case 'Bill':
      return prepareBill(realm, body, existing);
    case 'Purchase':
      return preparePurchase(realm, body);
    case 'JournalEntry':
      return prepareJournal(realm, body);
    case 'InventoryAdjustment':
      return prepareInventoryAdjustment(realm, body, existing);
    default:
      throw new Error(`${entity} is not handled here`);
  }
}

function adjustStock(realm: RealmState, itemRef: unknown, qty: number): void {
  const item = realm.entities.Item?.[refId(itemRef) ?? ''];
  if (item && item.Type === 'Inventory') item.QtyOnHand = round2((num(item.QtyOnHand) ?? 0) + qty);
}

/** Stock movements of a stored transaction; sign -1 reverses them. */
export function applyStockEffects(realm: RealmState, entity: string, txn: QboEntity, sign: 1 | -1): void {
  const lines = (txn.Line ?? []) as Line[];
  for (const line of lines) {
    if (entity === 'Invoice' || entity === 'CreditMemo') {
      const d = line.SalesItemLineDetail as Record<string, unknown> | undefined;
      if (d) adjustStock(realm, d.ItemRef, (entity === 'Invoice' ? -1 : 1) * sign * (num(d.Qty) ?? 0));
    } else if (entity === 'Bill' || entity === 'Purchase') {
      const d = line.ItemBasedExpenseLineDetail as Record<string, unknown> | undefined;
      const direction = txn.Credit === true ? -1 : 1;
      if (d) adjustStock(realm, d.ItemRef, direction * sign * (num(d.Qty) ?? 0));
    } else if (entity === 'InventoryAdjustment') {
      const d = line.ItemAdjustmentLineDetail as Record<string, unknown>;
      if (sign === 1 && num(d.NewQty) !== undefined) {
        // Record the difference actually made, so a reversal can undo it exactly.
        const item = realm.entities.Item?.[refId(d.ItemRef) ?? ''];
        d.AppliedQtyDiff = round2((num(d.NewQty) ?? 0) - (num(item?.QtyOnHand) ?? 0));
      }
      const diff = num(d.QtyDiff) ?? num(d.AppliedQtyDiff) ?? 0;
      adjustStock(realm, d.ItemRef, sign * diff);
    }
  }
}
