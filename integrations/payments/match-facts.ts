/**
 * Everything planPayments looks at for a page of payments: the invoices they pay and the credit
 * memos they apply on the accounting side, the PSA invoices and credit memos those came from (by the
 * posting's marker, else by number), the payments already on them, and what earlier runs recorded. Gathered here so matching (domain/payments) stays pure.
 */
import { chunk } from '../../domain/chunk';
import { amountOf, type Applications, type LedgerPayment, type MatchFacts, type PsaInvoiceFact } from '../../domain/payments';
import { cwIn, type ConnectWiseClient, type Invoice } from '../connectwise';
import type { QuickBooksClient, QuickBooksTransaction } from '../quickbooks';
import { toInvoiceLink } from './ledger-side';

/** QuickBooks' IN lists and ConnectWise's conditions both stay well within limits at this size. */
const LOOKUP_CHUNK = 100;

async function ledgerSalesForms(ledger: QuickBooksClient, entity: 'Invoice' | 'CreditMemo', ids: string[]): Promise<QuickBooksTransaction[]> {
  const out: QuickBooksTransaction[] = [];
  for (const part of chunk(ids, LOOKUP_CHUNK)) out.push(...(await ledger.queryAll(entity, { where: [{ field: 'Id', op: 'IN', value: part }] })));
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
    type: invoice.type,
    payments: payments.map((p) => ({ id: p.id, amount: amountOf(p.amount), ...(p.credit && { creditId: p.credit.id }), ...(p.paymentDate && { date: p.paymentDate.slice(0, 10) }) })),
  };
}

export async function gatherMatchFacts(
  sources: { psa: ConnectWiseClient; ledger: QuickBooksClient },
  payments: LedgerPayment[],
  applications: Applications,
  beat: () => void,
): Promise<MatchFacts> {
  const txnIds = (txnType: string) => [...new Set(payments.flatMap((p) => p.lines.filter((l) => l.txnType === txnType).map((l) => l.txnId)))];
  const invoiceLinks = (await ledgerSalesForms(sources.ledger, 'Invoice', txnIds('Invoice'))).map(toInvoiceLink);
  const memoLinks = (await ledgerSalesForms(sources.ledger, 'CreditMemo', txnIds('CreditMemo'))).map(toInvoiceLink);
  const links = [...invoiceLinks, ...memoLinks];
  beat();

  const byId = await psaInvoicesWhere(sources.psa, 'id', links.flatMap((l) => (l.psaInvoiceId !== undefined ? [l.psaInvoiceId] : [])));
  const known = new Set(byId.map((i) => i.id));
  const numbers = links.filter((l) => l.docNumber !== undefined && (l.psaInvoiceId === undefined || !known.has(l.psaInvoiceId))).map((l) => l.docNumber!);
  const byNumber = await psaInvoicesWhere(sources.psa, 'invoiceNumber', numbers);
  beat();

  const facts: MatchFacts = { ledgerInvoices: {}, ledgerCreditMemos: {}, applications, psaInvoicesById: {}, psaIdsByNumber: {} };
  for (const link of invoiceLinks) facts.ledgerInvoices[link.txnId] = link;
  for (const link of memoLinks) facts.ledgerCreditMemos[link.txnId] = link;
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
