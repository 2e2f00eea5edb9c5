/**
 * Customer payments: applied to invoices (and credit memos) through Line[].LinkedTxn. Applying
 * lowers the invoice's Balance, links the payment on the invoice and bumps its SyncToken; what is
 * not applied is reported as UnappliedAmt. Reversal (void, delete, update) undoes exactly that.
 */
import { businessRule, objectNotFound, requiredMissing, validation } from './faults';
import { cents, num } from './money';
import { canonicalRef, firstAccountOfType, refId, resolveRef } from './refs';
import { bumpSyncToken, today, type QboEntity, type RealmState } from './state';
import { noteRowWritten } from './table-index';
import { checkClosedPeriod } from './transactions';

type Body = Record<string, unknown>;
type Link = { TxnId: string; TxnType: string };

function linksOf(line: Record<string, unknown>, i: number): Link[] {
  const linked = line.LinkedTxn;
  if (!Array.isArray(linked) || linked.length === 0) throw requiredMissing(`Line[${i}].LinkedTxn`);
  return linked.map((l, j) => {
    const link = l as Partial<Link>;
    if (!link.TxnId) throw requiredMissing(`Line[${i}].LinkedTxn[${j}].TxnId`);
    if (link.TxnType !== 'Invoice' && link.TxnType !== 'CreditMemo') {
      throw validation('2170', 'Invalid Enumeration', `Invalid Enumeration : ${String(link.TxnType)}`, `Line[${i}].LinkedTxn[${j}].TxnType`);
    }
    return { TxnId: String(link.TxnId), TxnType: link.TxnType };
  });
}

/** Validates a payment against open balances (after any earlier version was reversed). */
export function preparePayment(realm: RealmState, body: Body): Body {
  const customer = resolveRef(realm, 'Customer', body.CustomerRef, 'CustomerRef');
  body.CustomerRef = canonicalRef(customer);
  const total = num(body.TotalAmt);
  if (total === undefined) throw requiredMissing('TotalAmt');
  if (total < 0) throw businessRule('The payment amount cannot be negative.', 'TotalAmt');
  if (body.TxnDate === '') delete body.TxnDate;
  body.TxnDate ??= today();
  checkClosedPeriod(realm, body);
  if (body.DepositToAccountRef !== undefined) {
    body.DepositToAccountRef = canonicalRef(resolveRef(realm, 'Account', body.DepositToAccountRef, 'DepositToAccountRef'));
  } else {
    const undeposited = Object.values(realm.entities.Account ?? {}).find((a) => a.AccountSubType === 'UndepositedFunds');
    if (undeposited) body.DepositToAccountRef = canonicalRef(undeposited);
  }
  const ar = firstAccountOfType(realm, 'Accounts Receivable');
  if (ar && body.ARAccountRef === undefined) body.ARAccountRef = canonicalRef(ar);
  const lines = Array.isArray(body.Line) ? (body.Line as Array<Record<string, unknown>>) : [];
  let applied = 0;
  const pending = new Map<string, number>();
  body.Line = lines.map((line, i) => {
    const amount = num(line.Amount);
    if (amount === undefined) throw requiredMissing(`Line[${i}].Amount`);
    if (amount < 0) throw businessRule('Payment line amounts cannot be negative.', `Line[${i}].Amount`);
    for (const link of linksOf(line, i)) {
      const txn = realm.entities[link.TxnType]?.[link.TxnId];
      if (!txn) throw objectNotFound();
      if (refId(txn.CustomerRef) !== customer.Id) {
        throw businessRule(`${link.TxnType} ${link.TxnId} belongs to another customer.`, `Line[${i}].LinkedTxn`);
      }
      const key = `${link.TxnType}:${link.TxnId}`;
      const open = cents(num(link.TxnType === 'Invoice' ? txn.Balance : txn.RemainingCredit) ?? 0) - (pending.get(key) ?? 0);
      if (cents(amount) > open) {
        throw businessRule(`The amount applied to ${link.TxnType} ${link.TxnId} (${amount}) is more than its open balance.`, `Line[${i}].Amount`);
      }
      pending.set(key, (pending.get(key) ?? 0) + cents(amount));
      applied += link.TxnType === 'Invoice' ? cents(amount) : -cents(amount);
    }
    return { ...line, LinkedTxn: linksOf(line, i) };
  });
  if (applied > cents(total)) throw businessRule('The amounts applied are more than the payment amount.', 'TotalAmt');
  if (applied < 0) throw businessRule('Credits applied are more than the invoices they pay.', 'Line');
  body.UnappliedAmt = (cents(total) - applied) / 100;
  body.ProcessPayment = false;
  return body;
}

/** Applies (sign 1) or reverses (sign -1) a stored payment on the invoices and credit memos it links. */
export function applyPaymentEffects(realm: RealmState, payment: QboEntity, sign: 1 | -1): void {
  for (const line of (payment.Line ?? []) as Array<{ Amount: number; LinkedTxn: Link[] }>) {
    for (const link of line.LinkedTxn ?? []) {
      const txn = realm.entities[link.TxnType]?.[link.TxnId];
      if (!txn) continue;
      const field = link.TxnType === 'Invoice' ? 'Balance' : 'RemainingCredit';
      txn[field] = (cents(num(txn[field]) ?? 0) - sign * cents(line.Amount)) / 100;
      if (link.TxnType === 'CreditMemo') txn.Balance = txn.RemainingCredit;
      const links = ((txn.LinkedTxn ??= []) as Link[]).filter((l) => !(l.TxnType === 'Payment' && l.TxnId === payment.Id));
      if (sign === 1) links.push({ TxnId: payment.Id, TxnType: 'Payment' });
      txn.LinkedTxn = links;
      bumpSyncToken(txn);
      noteRowWritten(realm.entities[link.TxnType], link.TxnId);
    }
  }
}

/** A voided payment keeps its record with every amount zeroed. */
export function voidedPayment(payment: QboEntity): QboEntity {
  return {
    ...payment,
    TotalAmt: 0,
    UnappliedAmt: 0,
    Line: ((payment.Line ?? []) as Array<Record<string, unknown>>).map((l) => ({ ...l, Amount: 0 })),
    PrivateNote: `Voided${payment.PrivateNote ? ` - ${String(payment.PrivateNote)}` : ''}`,
  };
}
