/**
 * What Ledgerline wrote into a QuickBooks transaction, kept in the transaction itself so a later
 * reader can tell a change made in QuickBooks from one Ledgerline made: the posting batch, the
 * total, the customer or vendor, the date, the number it sent, and a short hash of every line's
 * detail type, account or item, amount, side, class and entity. These are the fields reconcile
 * confirms, so a confirmed transaction read back gives the same values; applying a payment, QuickBooks'
 * own numbering and names it adds change none of them.
 *
 * The token sits in PrivateNote beside the idempotency marker:
 * `[ledgerline-posted:<batch>;<total>;<party>;<date>;<number>;<lines>]` (number empty when
 * QuickBooks numbers the document). Pure and bundle-safe.
 */
import { fnv1a32 } from '../short-hash';

type Body = Record<string, unknown>;
type Ref = { value?: unknown; name?: unknown } | undefined;

export interface PostedFingerprint {
  /** The Ledgerline batch that posted (or last updated) the transaction. */
  batch: string;
  /** Document total ("" for inventory adjustments, which carry quantities only). */
  total: string;
  /** QuickBooks Id of the customer or vendor. */
  party: string;
  date: string;
  /** The DocNumber Ledgerline sent; "" when QuickBooks numbers the document itself. */
  number: string;
  /** Hash of the lines, independent of their order. */
  lines: string;
}

/**
 * QuickBooks keeps a voided transaction with every amount zeroed and "Voided" in front of its memo.
 * For payments, zeroed lines alone tell it (a payment is never zero line by line otherwise); a
 * document that merely totals zero is not voided.
 */
export function isVoided(t: Record<string, unknown> | { TotalAmt?: unknown; Line?: unknown; PrivateNote?: unknown }, options: { zeroLinesSuffice?: boolean } = {}): boolean {
  const { TotalAmt, Line, PrivateNote } = t as { TotalAmt?: unknown; Line?: unknown; PrivateNote?: unknown };
  const lines = Array.isArray(Line) ? (Line as Body[]) : [];
  const zeroed = Number(TotalAmt ?? 0) === 0 && lines.every((l) => Number(l.Amount ?? 0) === 0);
  return zeroed && ((options.zeroLinesSuffice === true && lines.length > 0) || /^Voided\b/.test(String(PrivateNote ?? '')));
}

const cents = (n: unknown): string => (Math.round(Number(n ?? 0) * 100) / 100).toFixed(2);
const refValue = (ref: unknown): string => String((ref as Ref)?.value ?? '');

/** The customer or vendor a transaction names. */
export const partyRef = (body: Body): Ref => (body.CustomerRef ?? body.VendorRef ?? body.EntityRef) as Ref;

/** Lines QuickBooks adds on its own (the subtotal) are not part of what was posted. */
export const ownLines = (body: Body): Body[] => ((body.Line as Body[] | undefined) ?? []).filter((l) => l.DetailType !== 'SubTotalLineDetail');

/** One line as the fingerprint sees it: the posting-relevant fields only. */
function lineKey(line: Body): string {
  const type = String(line.DetailType ?? '');
  const detail = (line[type] ?? {}) as Body;
  const entity = (detail.Entity as { EntityRef?: Ref } | undefined)?.EntityRef;
  return [
    type,
    refValue(detail.ItemRef),
    refValue(detail.AccountRef),
    type === 'ItemAdjustmentLineDetail' ? String(detail.QtyDiff ?? detail.NewQty ?? '') : cents(line.Amount),
    String(detail.PostingType ?? ''),
    refValue(detail.ClassRef),
    refValue(entity),
  ].join('|');
}

export function linesHash(body: Body): string {
  const keys = ownLines(body).map(lineKey).sort();
  return fnv1a32(keys.join('\n')).toString(36).padStart(7, '0');
}

/**
 * The fingerprint of a body: one Ledgerline sends (`total` given: the document total it posts) or
 * one QuickBooks holds (its TotalAmt). Inventory adjustments have no total.
 */
export function fingerprintOf(entity: string, body: Body, batch: string, total?: string): PostedFingerprint {
  return {
    batch,
    total: entity === 'InventoryAdjustment' ? '' : cents(total ?? body.TotalAmt),
    party: refValue(partyRef(body)),
    date: String(body.TxnDate ?? ''),
    number: String(body.DocNumber ?? ''),
    lines: linesHash(body),
  };
}

const TOKEN = /\[ledgerline-posted:([^;\]]*);([^;\]]*);([^;\]]*);([^;\]]*);([^;\]]*);([^;\]]*)\]/;

export function fingerprintToken(fp: PostedFingerprint): string {
  return `[ledgerline-posted:${[fp.batch, fp.total, fp.party, fp.date, fp.number, fp.lines].join(';')}]`;
}

/** The fingerprint a PrivateNote carries, or undefined (posted before fingerprints were kept, or the note was edited). */
export function fingerprintInNote(note: string | undefined | null): PostedFingerprint | undefined {
  const m = TOKEN.exec(note ?? '');
  return m ? { batch: m[1]!, total: m[2]!, party: m[3]!, date: m[4]!, number: m[5]!, lines: m[6]! } : undefined;
}

/** The PrivateNote with its fingerprint token replaced (or added). */
export function withFingerprint(note: string, fp: PostedFingerprint): string {
  const bare = note.replace(TOKEN, '').replace(/\s+$/, '');
  return `${bare} ${fingerprintToken(fp)}`.trim();
}

export interface FingerprintChange {
  field: 'total' | 'party' | 'date' | 'number' | 'lines';
  posted: string;
  now: string;
}

/**
 * What differs between the fingerprint Ledgerline recorded and the transaction QuickBooks holds now.
 * A number QuickBooks assigned itself ("" recorded) is not compared.
 */
export function fingerprintChanges(recorded: PostedFingerprint, entity: string, now: Body): FingerprintChange[] {
  const current = fingerprintOf(entity, now, recorded.batch);
  const out: FingerprintChange[] = [];
  for (const field of ['total', 'party', 'date', 'number', 'lines'] as const) {
    if (field === 'number' && recorded.number === '') continue;
    if (recorded[field] !== current[field]) out.push({ field, posted: recorded[field], now: current[field] });
  }
  return out;
}
