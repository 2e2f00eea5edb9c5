/**
 * Where each line of a matched draft lands in QuickBooks: its ConnectWise GL account, the QuickBooks
 * account it posts to, its amount and its side. QuickBooks posts a sales line to the income account
 * of the item it is sent with, a purchase item line to the item's inventory asset (else expense)
 * account, and every other line to the account it names. Tax is not listed here: QuickBooks posts it
 * to its tax agency's account (the report lists tax deltas separately).
 */
import type { ChartItem, LedgerRef } from '../gl/chart';
import type { DraftLine, TransactionDraft, TransactionKind } from './draft';
import type { DraftRefs } from './draft-refs';
import { formatMoney, parseMoney } from '../money';

export interface LineAccount {
  /** 1-based, in the record's line order. */
  line: number;
  glAccount: string;
  /** The QuickBooks account's name (its Id when the name is not known). */
  quickBooksAccount: string;
  /** Positive, with `side`. */
  amount: string;
  side: 'Debit' | 'Credit';
}

/**
 * Lines listed per record: a record with more says how many were left out. With the record cap
 * below, a chunk result or summary carries at most 400 lines (about 50 KB) in history.
 */
export const LINE_ACCOUNTS_PER_RECORD = 20;

/** Records of a dry run (per chunk and per batch summary) whose lines are listed. */
export const LINE_ACCOUNT_RECORDS = 20;

type ItemById = (id: string) => ChartItem | undefined;
type Ref = { value: string; name?: string } | undefined;

const named = (ref: Ref, missing: string): string => (ref === undefined ? missing : (ref.name ?? `account ${ref.value}`));

/** The side a positive document line of this kind is on (a negative line is on the other). */
const DOCUMENT_SIDE: Partial<Record<TransactionKind, LineAccount['side']>> = {
  Invoice: 'Credit',
  CreditMemo: 'Debit',
  Bill: 'Debit',
  Purchase: 'Debit',
};

const flip = (side: LineAccount['side']): LineAccount['side'] => (side === 'Debit' ? 'Credit' : 'Debit');

function sideOf(kind: TransactionKind, line: DraftLine): { side: LineAccount['side']; amount: string } {
  if (line.detail === 'journal') return { side: line.postingType ?? 'Debit', amount: line.amount };
  const signed = parseMoney(line.detail === 'adjustment' ? (line.quantityDiff ?? '0') : line.amount);
  const positive = line.detail === 'adjustment' ? 'Debit' : (DOCUMENT_SIDE[kind] ?? 'Debit');
  return { side: signed < 0n ? flip(positive) : positive, amount: formatMoney(parseMoney(line.amount) < 0n ? -parseMoney(line.amount) : parseMoney(line.amount)) };
}

function itemAccount(item: LedgerRef | undefined, itemById: ItemById, pick: (i: ChartItem) => Ref): string {
  if (item === undefined) return 'no item matched';
  const found = itemById(item.value);
  return named(found && pick(found), `item "${item.name ?? item.value}" without an account`);
}

function quickBooksAccountOf(line: DraftLine, index: number, refs: DraftRefs, itemById: ItemById): string {
  const item = line.productId === undefined ? undefined : refs.items[line.productId];
  switch (line.detail) {
    case 'sales':
      return itemAccount(refs.salesItems?.[index] ?? item, itemById, (i) => i.IncomeAccountRef);
    case 'item':
    case 'adjustment':
      return itemAccount(item, itemById, (i) => i.AssetAccountRef ?? i.ExpenseAccountRef);
    default:
      return named(refs.accounts[line.account], 'not matched');
  }
}

/** The record's lines as they post, at most LINE_ACCOUNTS_PER_RECORD; `omitted` counts the rest. */
export function lineAccountsOf(draft: TransactionDraft, refs: DraftRefs, itemById: ItemById): { lines: LineAccount[]; omitted: number } {
  const lines = draft.lines.slice(0, LINE_ACCOUNTS_PER_RECORD).map((line, index) => ({
    line: index + 1,
    glAccount: line.account,
    quickBooksAccount: quickBooksAccountOf(line, index, refs, itemById),
    ...sideOf(draft.kind, line),
  }));
  return { lines, omitted: Math.max(0, draft.lines.length - LINE_ACCOUNTS_PER_RECORD) };
}

/**
 * Lists the lines of the first `limit` records it is called with, then nothing: a dry run or a
 * reconcile lists its first records only, so histories stay small.
 */
export function firstRecordsLines(limit: number, itemById: ItemById): (draft: TransactionDraft, refs: DraftRefs) => { lines?: LineAccount[]; linesOmitted?: number } {
  let listed = 0;
  return (draft, refs) => {
    if (listed >= limit) return {};
    listed += 1;
    const { lines, omitted } = lineAccountsOf(draft, refs, itemById);
    return { lines, linesOmitted: omitted };
  };
}

/** "line 2: 4010 Product Sales -> Product Income, 120.00 Credit" */
export function formatLineAccount(l: LineAccount): string {
  return `line ${l.line}: ${l.glAccount} -> ${l.quickBooksAccount}, ${l.amount} ${l.side}`;
}
