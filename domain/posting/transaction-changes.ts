/**
 * What a re-closed record changes in the transaction QuickBooks holds, header and line by line: the
 * edit replay lists these in the report, and posts nothing when there are none. Lines are compared
 * by position (the record's line order); a line only one side has is listed as added or removed.
 * Pure and bundle-safe.
 */
import { ownLines, partyRef } from './posted-fingerprint';

type Body = Record<string, unknown>;
type Ref = { value?: unknown; name?: unknown } | undefined;

export interface TransactionChange {
  /** 1-based position among the record's own lines; absent for a header field. */
  line?: number;
  field: string;
  before: string;
  after: string;
}

const NONE = 'none';
/** A reference compares by its Id and reads by its name: QuickBooks adds names the request may lack. */
const REF = '\u0000';
const named = (ref: unknown): string => {
  const r = ref as Ref;
  if (r?.value === undefined) return NONE;
  return `${String(r.value)}${REF}${r.name !== undefined && r.name !== '' ? String(r.name) : `Id ${String(r.value)}`}`;
};
const idOf = (v: string) => v.split(REF)[0]!;
const shown = (v: string) => v.split(REF).pop()!;
const amount = (n: unknown): string => (n === undefined || n === null ? NONE : (Math.round(Number(n) * 100) / 100).toFixed(2));
const plain = (v: unknown): string => (v === undefined || v === null || v === '' ? NONE : String(v));

/** The header fields a posting sets, as people read them. */
const HEADER: Array<[string, (b: Body) => string]> = [
  ['customer or vendor', (b) => named(partyRef(b))],
  ['date', (b) => plain(b.TxnDate)],
  ['due date', (b) => plain(b.DueDate)],
  ['terms', (b) => named(b.SalesTermRef)],
  ['class', (b) => named(b.ClassRef)],
  ['account', (b) => named(b.ARAccountRef ?? b.APAccountRef ?? b.AccountRef ?? b.AdjustAccountRef)],
  ['tax', (b) => amount((b.TxnTaxDetail as Body | undefined)?.TotalTax)],
];

function lineFields(line: Body | undefined): Record<string, string> {
  if (!line) return {};
  const type = String(line.DetailType ?? '');
  const d = (line[type] ?? {}) as Body;
  return {
    'item or account': named(d.ItemRef ?? d.AccountRef),
    amount: type === 'ItemAdjustmentLineDetail' ? plain(d.QtyDiff ?? d.NewQty) : amount(line.Amount),
    description: plain(line.Description),
    quantity: plain(d.Qty),
    'unit price': plain(d.UnitPrice),
    side: plain(d.PostingType),
    class: named(d.ClassRef),
    'tax code': named(d.TaxCodeRef),
  };
}

const summary = (f: Record<string, string>) => `${shown(f['item or account']!)} ${f.amount}${f.description !== NONE ? ` "${f.description}"` : ''}`;
const change = (field: string, before: string, after: string, line?: number): TransactionChange => ({
  ...(line !== undefined && { line }),
  field,
  before: shown(before),
  after: shown(after),
});

/**
 * The changes from `current` (the stored transaction) to `next` (the body the new revision posts),
 * `nextTotal` being the new document total. A DocNumber QuickBooks assigned is not compared when
 * the new body sends none. Empty: the re-close changed nothing QuickBooks holds.
 */
export function transactionChanges(current: Body, next: Body, nextTotal: string | undefined): TransactionChange[] {
  const out: TransactionChange[] = [];
  const header: Array<[string, (b: Body) => string]> = [...HEADER];
  if (next.DocNumber !== undefined) header.push(['number', (b) => plain(b.DocNumber)]);
  for (const [field, read] of header) {
    const before = read(current);
    const after = read(next);
    // A field the new body leaves out keeps its value (a sparse update); only sent fields count.
    if (after === NONE && field !== 'customer or vendor') continue;
    if (idOf(before) !== idOf(after)) out.push(change(field, before, after));
  }
  if (nextTotal !== undefined && current.TotalAmt !== undefined && amount(current.TotalAmt) !== amount(nextTotal)) {
    out.push({ field: 'total', before: amount(current.TotalAmt), after: amount(nextTotal) });
  }
  const was = ownLines(current);
  const will = ownLines(next);
  for (let i = 0; i < Math.max(was.length, will.length); i++) {
    const before = lineFields(was[i]);
    const after = lineFields(will[i]);
    if (!was[i]) out.push({ line: i + 1, field: 'line added', before: NONE, after: summary(after) });
    else if (!will[i]) out.push({ line: i + 1, field: 'line removed', before: summary(before), after: NONE });
    else for (const field of Object.keys(after)) if (idOf(before[field]!) !== idOf(after[field]!)) out.push(change(field, before[field]!, after[field]!, i + 1));
  }
  return out;
}

/** One change as a report line: "line 2 amount: 500.00 -> 450.00". */
export function formatChange(c: TransactionChange): string {
  return `${c.line === undefined ? '' : `line ${c.line} `}${c.field}: ${c.before} -> ${c.after}`;
}
