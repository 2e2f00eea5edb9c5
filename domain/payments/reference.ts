/**
 * The two links between the systems. PSA -> accounting: the posted invoice's DocNumber is the PSA
 * invoice number and its PrivateNote carries "(PSA id N, revision R) ... [ledgerline:KEY]".
 * Accounting -> PSA: what each QuickBooks payment became in the PSA is kept in the company state
 * (applications.ts); "QBO Payment <Id>" names the payment in reports.
 */
import { formatMoney, parseMoney } from '../money';
import { postedSourceOf } from '../posting/qbo-payload';

const REFERENCE_PREFIX = 'QBO Payment ';

export function paymentReference(ledgerPaymentId: string): string {
  return `${REFERENCE_PREFIX}${ledgerPaymentId}`;
}

/**
 * The PSA invoice (id, and number at the time) recorded when Ledgerline posted the invoice. Only
 * trusted next to our idempotency marker: a person can type anything into a memo. The number is
 * the PSA's even where QuickBooks numbered the invoice itself (custom transaction numbers off).
 */
export function postedPsaInvoiceOf(privateNote: string | undefined | null): { id: number; number: string } | undefined {
  if (!privateNote || !/\[ledgerline:[A-Za-z0-9]+\]/.test(privateNote)) return undefined;
  const source = postedSourceOf(privateNote);
  return source && /^\d+$/.test(source.recordId) ? { id: Number(source.recordId), number: source.number } : undefined;
}

/** The PSA invoice id recorded when Ledgerline posted the invoice (see postedPsaInvoiceOf). */
export function psaInvoiceIdFromNote(privateNote: string | undefined | null): number | undefined {
  return postedPsaInvoiceOf(privateNote)?.id;
}

/** JSON numbers from either API -> exact decimal string (both APIs carry cents at most). */
export function amountOf(value: number | undefined | null): string {
  return formatMoney(BigInt(Math.round((value ?? 0) * 100)));
}

export function sameAmount(a: string, b: string): boolean {
  return parseMoney(a) === parseMoney(b);
}
