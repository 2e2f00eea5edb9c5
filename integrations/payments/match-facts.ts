/**
 * Everything planPayments looks at for a page of payments: the invoices they pay on the accounting
 * side, the PSA invoices those came from (by the posting's marker, else by number), and the
 * payments already on them. Gathered here so matching (domain/payments) stays pure.
 */
import { chunk } from '../../domain/chunk';
import { amountOf, type LedgerPayment, type MatchFacts, type PsaInvoiceFact } from '../../domain/payments';
import { cwIn, type ConnectWiseClient, type Invoice } from '../connectwise';
import type { QuickBooksClient, QuickBooksTransaction } from '../quickbooks';
import { toInvoiceLink } from './ledger-side';

/** QuickBooks' IN lists and ConnectWise's conditions both stay well within limits at this size. */
const LOOKUP_CHUNK = 100;

async function ledgerInvoices(ledger: QuickBooksClient, ids: string[]): Promise<QuickBooksTransaction[]> {
  const out: QuickBooksTransaction[] = [];
  for (const part of chunk(ids, LOOKUP_CHUNK)) out.push(...(await ledger.queryAll('Invoice', { where: [{ field: 'Id', op: 'IN', value: part }] })));
  return out;
}

async function psaInvoicesWhere(psa: ConnectWiseClient, field: 'id' | 'invoiceNumber', values: Array<number | string>): Promise<Invoice[]> {
  const out: Invoice[] = [];
  for (const part of chunk([...new Set(values)], LOOKUP_CHUNK)) out.push(...(await psa.invoices.all({ conditions: `${field} in ${cwIn(part)}` })));
  return out;
}

async function psaInvoiceFact(psa: ConnectWiseClient, invoice: Invoice): Promise<PsaInvoiceFact> {
  const payments = await psa.invoicePayments(invoice.id).all();
  const paid = payments.reduce((sum, p) => sum + Math.round(p.amount * 100), 0);
  return {
    id: invoice.id,
    number: invoice.invoiceNumber,
    total: amountOf(invoice.total),
    balance: amountOf(invoice.balance ?? invoice.total - paid / 100),
    payments: payments.map((p) => ({ id: p.id, amount: amountOf(p.amount), ...(p.source && { reference: p.source }) })),
  };
}

export async function gatherMatchFacts(
  sources: { psa: ConnectWiseClient; ledger: QuickBooksClient },
  payments: LedgerPayment[],
  beat: () => void,
): Promise<MatchFacts> {
  const txnIds = [...new Set(payments.flatMap((p) => p.lines.filter((l) => l.txnType === 'Invoice').map((l) => l.txnId)))];
  const links = (await ledgerInvoices(sources.ledger, txnIds)).map(toInvoiceLink);
  beat();

  const byId = await psaInvoicesWhere(sources.psa, 'id', links.flatMap((l) => (l.psaInvoiceId !== undefined ? [l.psaInvoiceId] : [])));
  const known = new Set(byId.map((i) => i.id));
  const numbers = links.filter((l) => l.docNumber !== undefined && (l.psaInvoiceId === undefined || !known.has(l.psaInvoiceId))).map((l) => l.docNumber!);
  const byNumber = await psaInvoicesWhere(sources.psa, 'invoiceNumber', numbers);
  beat();

  const facts: MatchFacts = { ledgerInvoices: {}, psaInvoicesById: {}, psaIdsByNumber: {} };
  for (const link of links) facts.ledgerInvoices[link.txnId] = link;
  for (const invoice of [...byId, ...byNumber]) {
    if (facts.psaInvoicesById[invoice.id]) continue;
    facts.psaInvoicesById[invoice.id] = await psaInvoiceFact(sources.psa, invoice);
  }
  for (const invoice of byNumber) {
    const ids = (facts.psaIdsByNumber[invoice.invoiceNumber] ??= []);
    if (!ids.includes(invoice.id)) ids.push(invoice.id);
  }
  return facts;
}
