/**
 * Line validation shared by the transaction kinds: each line's detail object is checked against
 * the realm (references, Qty x UnitPrice, class-tracking preferences, enumerations).
 */
import { businessRule, requiredMissing, validation } from './faults';
import { cents, num } from './money';
import { canonicalRef, optionalRef, resolveRef } from './refs';
import type { RealmState } from './state';

export type Line = Record<string, unknown>;

export function linesOf(body: Record<string, unknown>): Line[] {
  const lines = body.Line;
  if (!Array.isArray(lines) || lines.length === 0) throw requiredMissing('Line');
  return lines.map((l, i) => {
    if (!l || typeof l !== 'object') throw requiredMissing(`Line[${i}]`);
    return { ...(l as Line) };
  });
}

export function detailOf(line: Line, i: number, allowed: readonly string[]): { type: string; detail: Record<string, unknown> } {
  const type = line.DetailType;
  if (typeof type !== 'string') throw requiredMissing(`Line[${i}].DetailType`);
  if (!allowed.includes(type)) throw validation('2170', 'Invalid Enumeration', `Invalid Enumeration : ${type}`, `Line[${i}].DetailType`);
  const key = type === 'DescriptionOnly' ? 'DescriptionLineDetail' : type;
  const detail = line[key];
  if (type !== 'DescriptionOnly' && type !== 'SubTotalLineDetail' && (!detail || typeof detail !== 'object')) {
    throw requiredMissing(`Line[${i}].${type}`);
  }
  return { type, detail: (detail ?? {}) as Record<string, unknown> };
}

export function amountOf(line: Line, i: number): number {
  const amount = num(line.Amount);
  if (amount === undefined) throw requiredMissing(`Line[${i}].Amount`);
  return amount;
}

/** QuickBooks refuses a line whose Amount is not Qty x UnitPrice (to the cent). */
export function checkQtyPrice(detail: Record<string, unknown>, amount: number, i: number): void {
  const qty = num(detail.Qty);
  const price = num(detail.UnitPrice);
  if (qty === undefined || price === undefined) return;
  if (Math.abs(cents(qty * price) - cents(amount)) > 0) {
    throw validation('6070', 'Amount is not equal to UnitPrice * Qty', `Amount is not equal to UnitPrice * Qty. Supplied value:${amount}`, `Line[${i}].Amount`);
  }
}

/**
 * A sales line posts to its item's income account, as QuickBooks does: whatever ItemAccountRef the
 * request sends is replaced by the item's IncomeAccountRef (what a read returns).
 */
export function postToItemIncomeAccount(realm: RealmState, detail: Record<string, unknown>, i: number): void {
  const item = optionalRef(realm, 'Item', detail.ItemRef, `Line[${i}].SalesItemLineDetail.ItemRef`);
  if (!item) {
    delete detail.ItemAccountRef;
    return;
  }
  detail.ItemRef = canonicalRef(item);
  const income = optionalRef(realm, 'Account', item.IncomeAccountRef, `Line[${i}].SalesItemLineDetail.ItemAccountRef`);
  if (income) detail.ItemAccountRef = canonicalRef(income);
  else delete detail.ItemAccountRef;
}

/**
 * A line's ClassRef. Sales lines need per-line class tracking (ClassTrackingPerTxnLine); expense,
 * journal and adjustment lines take one whenever class tracking is on, since their entities have no
 * header ClassRef in QuickBooks' schema. An unknown class is 2500, an inactive one 610.
 * [unverified] the code of the refusal while tracking is off (6000, business validation).
 */
export function checkLineClass(realm: RealmState, detail: Record<string, unknown>, i: number, form: 'sales' | 'other' = 'other'): void {
  if (detail.ClassRef === undefined) return;
  const prefs = realm.preferences.AccountingInfoPrefs as Record<string, unknown>;
  const perLine = prefs.ClassTrackingPerTxnLine === true;
  if (form === 'sales' ? !perLine : !perLine && prefs.ClassTrackingPerTxn !== true) {
    throw businessRule(
      form === 'sales' ? 'Class tracking on transaction lines is turned off in this company (ClassTrackingPerTxnLine).' : 'Class tracking is turned off in this company.',
      `Line[${i}].ClassRef`,
    );
  }
  detail.ClassRef = canonicalRef(resolveRef(realm, 'Class', detail.ClassRef, `Line[${i}].ClassRef`));
}

/** A sales form's header ClassRef needs ClassTrackingPerTxn. [unverified] the refusal's code (6000). */
export function checkHeaderClass(realm: RealmState, body: Record<string, unknown>): void {
  if (body.ClassRef === undefined) return;
  const prefs = realm.preferences.AccountingInfoPrefs as Record<string, unknown>;
  if (prefs.ClassTrackingPerTxn !== true) {
    throw businessRule('Class tracking per transaction is turned off in this company (ClassTrackingPerTxn).', 'ClassRef');
  }
  body.ClassRef = canonicalRef(resolveRef(realm, 'Class', body.ClassRef, 'ClassRef'));
}

/** TxnTaxDetail: the transaction's tax code and its rate lines must exist; TotalTax defaults to their sum. */
export function checkTxnTaxDetail(realm: RealmState, body: Record<string, unknown>): void {
  const d = body.TxnTaxDetail as Record<string, unknown> | undefined;
  if (!d || typeof d !== 'object') return;
  canonicalise(realm, d, 'TxnTaxCodeRef', 'TaxCode', 'TxnTaxDetail.TxnTaxCodeRef');
  const taxLines = Array.isArray(d.TaxLine) ? (d.TaxLine as Array<Record<string, unknown>>) : [];
  let sum = 0;
  taxLines.forEach((tl, i) => {
    const detail = tl.TaxLineDetail as Record<string, unknown> | undefined;
    if (detail) canonicalise(realm, detail, 'TaxRateRef', 'TaxRate', `TxnTaxDetail.TaxLine[${i}].TaxLineDetail.TaxRateRef`);
    sum += cents(num(tl.Amount) ?? 0);
  });
  if (num(d.TotalTax) === undefined && taxLines.length) d.TotalTax = sum / 100;
}

export function canonicalise(realm: RealmState, detail: Record<string, unknown>, key: string, entity: string, element: string, required = false): void {
  const row = required ? resolveRef(realm, entity, detail[key], element) : optionalRef(realm, entity, detail[key], element);
  if (row) detail[key] = canonicalRef(row);
}

export function checkBillable(detail: Record<string, unknown>, i: number): void {
  const status = detail.BillableStatus;
  if (status === undefined) return;
  if (status === 'HasBeenBilled' || !['Billable', 'NotBillable'].includes(String(status))) {
    throw validation('2170', 'Invalid Enumeration', `Invalid Enumeration : ${String(status)}`, `Line[${i}].BillableStatus`);
  }
}
