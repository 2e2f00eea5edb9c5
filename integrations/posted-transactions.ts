/**
 * The QuickBooks transactions PSA records were posted as, found again by what Ledgerline leaves in
 * each: the idempotency marker (accounting company, PSA record, revision) and the record line in
 * PrivateNote, searched among the transactions carrying one of the record's possible document
 * numbers in every kind the record can become (and, for sales forms QuickBooks may have numbered
 * itself, those dated on the record's date). Posting, the edit replay, batch reversal and drift
 * checks all find transactions this way; and what is applied to one (payments, credits) is read
 * here so each can name it.
 */
import { createHash } from 'node:crypto';
import { LedgerError, isLedgerError } from '../domain/errors';
import { isVoided, possibleDocNumbers, possibleKinds, postedSourceOf, type PsaGlRecord } from '../domain/posting';
import type { QuickBooksClient, TransactionEntity } from './quickbooks';

/** A transaction as a query returns it, with the kind it was found in. */
export interface LedgerTransaction {
  entity: TransactionEntity;
  Id: string;
  SyncToken?: string;
  DocNumber?: string;
  TxnDate?: string;
  PrivateNote?: string;
  TotalAmt?: number;
  Balance?: number;
  LinkedTxn?: Array<{ TxnId: string; TxnType: string }>;
  Line?: Array<Record<string, unknown>>;
  [field: string]: unknown;
}

export function idempotencyKeyOf(realmId: string, record: Pick<PsaGlRecord, 'kind' | 'recordId' | 'revision'>): string {
  const hash = createHash('sha256').update(`${realmId}|${record.kind}|${record.recordId}|${record.revision}`).digest('hex');
  return `LL${hash.slice(0, 16)}`;
}

/**
 * Every key the record's revision may have been posted under: its own, and for an expense known by
 * its own id, the key of its unposted row's id (how Ledgerline keyed expenses before).
 */
export function idempotencyKeysOf(realmId: string, record: Pick<PsaGlRecord, 'kind' | 'recordId' | 'revision' | 'rowId'>): string[] {
  const own = idempotencyKeyOf(realmId, record);
  return record.rowId !== undefined && record.rowId !== record.recordId ? [own, idempotencyKeyOf(realmId, { ...record, recordId: record.rowId })] : [own];
}

/** The marker the key leaves in PrivateNote, found again by the duplicate lookup. */
export function idempotencyMarker(key: string): string {
  return `[ledgerline:${key}]`;
}

/** What to search for one record: the kinds it can be, its numbers, and a date where QuickBooks numbers it. */
export interface PostedSearch {
  kinds: readonly TransactionEntity[];
  numbers: readonly string[];
  dated?: { entity: TransactionEntity; date: string };
}

/** The search for a record read back from the PSA (the kind it became is not known): sales forms by date too. */
export function searchOf(record: Pick<PsaGlRecord, 'recordType' | 'number' | 'recordId' | 'rowId' | 'date'>): PostedSearch[] {
  const kinds = possibleKinds(record.recordType) as readonly TransactionEntity[];
  const numbers = possibleDocNumbers(record, record.number);
  const date = /^\d{4}-\d{2}-\d{2}/.exec(record.date)?.[0];
  return [{ kinds, numbers }, ...kinds.filter((k) => (k === 'Invoice' || k === 'CreditMemo') && date).map((entity) => ({ kinds: [], numbers: [], dated: { entity, date: date! } }))];
}

/** Every transaction matching any of the searches: one query per kind and field, not one per record. */
export async function findTransactions(ledger: QuickBooksClient, searches: readonly PostedSearch[]): Promise<LedgerTransaction[]> {
  const numbersByKind = new Map<TransactionEntity, Set<string>>();
  const datesByKind = new Map<TransactionEntity, Set<string>>();
  for (const s of searches) {
    for (const kind of s.kinds) {
      const numbers = numbersByKind.get(kind) ?? new Set<string>();
      for (const n of s.numbers) numbers.add(n);
      numbersByKind.set(kind, numbers);
    }
    if (s.dated) datesByKind.set(s.dated.entity, (datesByKind.get(s.dated.entity) ?? new Set<string>()).add(s.dated.date));
  }
  const found = new Map<string, LedgerTransaction>();
  const search = async (entity: TransactionEntity, field: 'DocNumber' | 'TxnDate', values: Set<string>) => {
    if (values.size === 0) return;
    const rows = (await ledger.queryAll(entity, { where: [{ field, op: 'IN', value: [...values] }] })) as unknown as Array<{ Id: string } & Record<string, unknown>>;
    for (const row of rows) found.set(`${entity}:${row.Id}`, { ...row, entity } as LedgerTransaction);
  };
  for (const [entity, numbers] of numbersByKind) await search(entity, 'DocNumber', numbers);
  for (const [entity, dates] of datesByKind) await search(entity, 'TxnDate', dates);
  return [...found.values()];
}

/** The live (not voided) transaction carrying the record's idempotency marker (any of its keys). */
export function ownTransaction(found: readonly LedgerTransaction[], key: string | readonly string[], kinds: readonly string[]): LedgerTransaction | undefined {
  const markers = (typeof key === 'string' ? [key] : key).map(idempotencyMarker);
  return found.find((t) => kinds.includes(t.entity) && !isVoided(t) && markers.some((m) => (t.PrivateNote ?? '').includes(m)));
}

/**
 * Live transactions Ledgerline posted for this PSA record, whatever the revision: those naming its
 * PSA id. An expense known by its own id also owns what was posted when Ledgerline knew it by its
 * unposted row's id (its GL entry); expense ids and GL entry ids are separate sequences that can
 * share a value, so such a record's transactions must also carry one of its possible numbers.
 */
export function recordTransactions(found: readonly LedgerTransaction[], record: Pick<PsaGlRecord, 'recordType' | 'recordId' | 'rowId' | 'number'>): LedgerTransaction[] {
  const named = record.rowId === undefined ? undefined : new Set(possibleDocNumbers(record, record.number));
  const ids = new Set([record.recordId, ...(record.rowId !== undefined ? [record.rowId] : [])]);
  return found.filter((t) => {
    if (isVoided(t)) return false;
    const source = postedSourceOf(t.PrivateNote);
    return source !== undefined && source.recordType === record.recordType && ids.has(source.recordId) && (!named || named.has(source.number));
  });
}

/** The transaction as QuickBooks holds it now (fresh SyncToken and links); undefined once deleted. */
export async function readTransaction(ledger: QuickBooksClient, entity: TransactionEntity, id: string): Promise<LedgerTransaction | undefined> {
  try {
    return { ...((await ledger.read(entity, id)) as unknown as { Id: string }), entity } as LedgerTransaction;
  } catch (err) {
    if (isLedgerError(err) && err.type === 'NotFound') return undefined;
    throw err;
  }
}

/** A payment or credit applied to a transaction, named the way QuickBooks shows it. */
export interface AppliedItem {
  what: 'payment' | 'credit memo' | 'bill payment' | 'balance';
  /** Human reading: "payment Id 456 (ref CHK-1, 2026-11-20, 500.00)". */
  description: string;
}

const money = (n: unknown) => (Math.round(Number(n ?? 0) * 100) / 100).toFixed(2);

/**
 * What is applied to a transaction: payments (and the credit memos they apply) linked to an
 * invoice, payments using a credit memo's credit, bill payments linked to a bill; and, with no link
 * to name, a balance below the total. Empty: nothing is applied, it can be updated, voided or deleted.
 */
export async function appliedTo(ledger: QuickBooksClient, txn: LedgerTransaction): Promise<AppliedItem[]> {
  const out: AppliedItem[] = [];
  for (const link of txn.LinkedTxn ?? []) {
    if (link.TxnType === 'Payment') {
      const payment = await ledger.read('Payment', link.TxnId).catch((err: unknown) => {
        if (isLedgerError(err) && err.type === 'NotFound') return undefined;
        throw err;
      });
      if (!payment) continue;
      const lines = payment.Line ?? [];
      const here = lines.filter((l) => (l.LinkedTxn ?? []).some((x) => x.TxnType === txn.entity && x.TxnId === txn.Id));
      const amount = here.reduce((sum, l) => sum + Number(l.Amount ?? 0), 0);
      const facts = [payment.PaymentRefNum && `ref ${payment.PaymentRefNum}`, payment.TxnDate, money(amount)].filter(Boolean).join(', ');
      out.push({ what: 'payment', description: `payment Id ${payment.Id} (${facts})` });
      const credits = lines.flatMap((l) => (l.LinkedTxn ?? []).filter((x) => x.TxnType === 'CreditMemo' && !(txn.entity === 'CreditMemo' && x.TxnId === txn.Id)));
      for (const c of credits) out.push({ what: 'credit memo', description: `credit memo Id ${c.TxnId} applied through payment Id ${payment.Id}` });
      if (txn.entity === 'CreditMemo') {
        const invoices = lines.flatMap((l) => (l.LinkedTxn ?? []).filter((x) => x.TxnType === 'Invoice').map((x) => x.TxnId));
        if (invoices.length) out.push({ what: 'credit memo', description: `its credit applied to invoice Id ${invoices.join(', ')} through payment Id ${payment.Id}` });
      }
    } else if (link.TxnType === 'BillPaymentCheck' || link.TxnType === 'BillPayment' || link.TxnType === 'BillPaymentCreditCard') {
      out.push({ what: 'bill payment', description: `bill payment Id ${link.TxnId}` });
    }
  }
  const total = Number(txn.TotalAmt ?? 0);
  if (out.length === 0 && txn.Balance !== undefined && (txn.entity === 'Invoice' || txn.entity === 'Bill') && Number(txn.Balance) < total) {
    out.push({ what: 'balance', description: `${money(total - Number(txn.Balance))} of ${money(total)} paid (open balance ${money(txn.Balance)})` });
  }
  return out;
}

/** A stable requestid (at most 50 characters) for one write to one version of one transaction. */
export function writeRequestId(operation: string, txn: Pick<LedgerTransaction, 'entity' | 'Id' | 'SyncToken'>, key: string): string {
  return createHash('sha256').update(`${operation}|${txn.entity}|${txn.Id}|${txn.SyncToken ?? ''}|${key}`).digest('hex').slice(0, 40);
}

/** "QuickBooks Invoice 10042 (Id 123)": how a transaction is named in messages. */
export function describeTransaction(t: Pick<LedgerTransaction, 'entity' | 'Id' | 'DocNumber'>): string {
  return `QuickBooks ${t.entity}${t.DocNumber ? ` ${t.DocNumber}` : ''} (Id ${t.Id})`;
}

/** A write QuickBooks refused because the object changed since it was read (5010): read again and retry. */
export function isStale(err: unknown): err is LedgerError {
  return isLedgerError(err) && err.type === 'Conflict' && err.details?.code === '5010';
}
