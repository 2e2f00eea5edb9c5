/**
 * Matching accounting payments to PSA invoices. Each applied invoice line resolves to exactly one
 * PSA invoice (the posted link, else the invoice number) or is reported with the reason; nothing is
 * inferred from amounts or customers. Pure: the activity gathers the facts, this decides.
 */
import { formatMoney, parseMoney } from '../money';
import { paymentReference } from './reference';
import { applicationKey, claimedPsaPayments, type ApplicationPart } from './applications';
import type { LedgerPayment, MatchFacts, PaymentDecision, PsaInvoiceFact, SkipDecision } from './types';

type Resolution = { ok: true; invoice: PsaInvoiceFact } | { ok: false; skip: Pick<SkipDecision, 'reason' | 'detail' | 'fix' | 'invoiceNumber'> };

/** The PSA invoice (or credit memo) a QuickBooks invoice (or credit memo) came from. */
function resolvePsaInvoice(txnId: string, facts: MatchFacts, book: Map<number, PsaInvoiceFact>, kind: 'invoice' | 'credit memo' = 'invoice'): Resolution {
  const link = (kind === 'invoice' ? facts.ledgerInvoices : facts.ledgerCreditMemos)[txnId];
  if (!link) {
    return { ok: false, skip: { reason: 'unknownInvoice', detail: `QuickBooks ${kind} Id ${txnId} could not be read (deleted?)`, fix: 'Check the payment in QuickBooks and record it in the PSA by hand if it belongs there.' } };
  }
  const label = link.docNumber ?? `Id ${txnId}`;
  if (link.psaInvoiceId !== undefined && book.has(link.psaInvoiceId)) {
    const invoice = book.get(link.psaInvoiceId)!;
    // Renumbered in the PSA since it posted? QuickBooks may have numbered the invoice itself, so the
    // number recorded at posting counts as well as the DocNumber.
    const postedAs = link.psaNumber ?? link.docNumber;
    if (postedAs !== undefined && invoice.number !== link.docNumber && invoice.number !== link.psaNumber) {
      return {
        ok: false,
        skip: {
          reason: 'other',
          invoiceNumber: link.docNumber,
          detail: `QuickBooks ${kind} ${label} was posted from PSA invoice ${postedAs} (id ${invoice.id}), which is now numbered ${invoice.number}`,
          fix: 'Find out which PSA invoice this payment belongs to and record it there by hand.',
        },
      };
    }
    return { ok: true, invoice };
  }
  const ids = link.docNumber !== undefined ? (facts.psaIdsByNumber[link.docNumber] ?? []) : [];
  if (ids.length === 1 && book.has(ids[0])) return { ok: true, invoice: book.get(ids[0])! };
  if (ids.length > 1) {
    return {
      ok: false,
      skip: { reason: 'other', invoiceNumber: link.docNumber, detail: `${ids.length} PSA invoices are numbered ${label} (ids ${ids.join(', ')})`, fix: 'Record the payment on the right PSA invoice by hand.' },
    };
  }
  return {
    ok: false,
    skip: {
      reason: 'unknownInvoice',
      invoiceNumber: link.docNumber,
      detail: `the PSA has no ${kind} ${label}, and Ledgerline did not post it`,
      fix: 'If the invoice exists in the PSA under another number, record the payment there by hand.',
    },
  };
}

/** Payments in order; PSA balances and payments planned earlier in the list count for later ones. */
export function planPayments(payments: readonly LedgerPayment[], facts: MatchFacts): PaymentDecision[] {
  const book = new Map<number, PsaInvoiceFact>(
    Object.values(facts.psaInvoicesById).map((i) => [i.id, { ...i, payments: [...i.payments] }]),
  );
  const decisions: PaymentDecision[] = [];
  for (const payment of payments) decisions.push(...planPayment(payment, facts, book));
  return decisions;
}

const centsOf = (payment: LedgerPayment, txnType: string, txnId: string) =>
  payment.lines.filter((l) => l.txnType === txnType && l.txnId === txnId).reduce((sum, l) => sum + parseMoney(l.amount), 0n);

function planPayment(payment: LedgerPayment, facts: MatchFacts, book: Map<number, PsaInvoiceFact>): PaymentDecision[] {
  const reference = paymentReference(payment.id);
  const base = { paymentId: payment.id, reference };
  const skip = (s: Omit<SkipDecision, 'action' | 'paymentId' | 'reference'>): SkipDecision => ({ action: 'skip', ...base, ...s });
  const ids = (txnType: string) => [...new Set(payment.lines.filter((l) => l.txnType === txnType).map((l) => l.txnId))];
  const invoiceIds = ids('Invoice');
  const creditIds = ids('CreditMemo');
  const customer = payment.customer !== undefined ? `customer ${payment.customer}: ` : '';
  const claimed = claimedPsaPayments(facts.applications);

  // What a voided or deleted payment recorded is reversed from change data capture (reversals.ts).
  if (payment.voided) return [skip({ amount: '0.00', reason: 'voided', detail: `${customer}voided in QuickBooks; anything recorded for it in the PSA is reversed` })];

  const others = payment.lines.filter((l) => l.txnType !== 'Invoice' && l.txnType !== 'CreditMemo');
  if (others.length > 0) {
    const kinds = [...new Set(others.map((l) => `${l.txnType} ${l.txnId}`))].join(', ');
    return [
      skip({
        amount: payment.total,
        reason: 'other',
        detail: `${customer}applies ${kinds} as well as invoices; how that splits in the PSA is not something to guess`,
        fix: 'Record the payment and the credit application in the PSA by hand.',
      }),
    ];
  }

  // Credit memos applied to one invoice: each memo's credit goes to it and the cash is the rest. With
  // several invoices QuickBooks does not say which invoice each credit went to.
  const credits = creditIds.map((id) => ({ id, cents: centsOf(payment, 'CreditMemo', id) })).filter((c) => c.cents > 0n);
  const creditCents = credits.reduce((sum, c) => sum + c.cents, 0n);
  if (credits.length > 0 && invoiceIds.length !== 1) {
    return [
      skip({
        amount: formatMoney(creditCents),
        reason: 'other',
        detail: `${customer}applies credit memo${credits.length > 1 ? 's' : ''} ${credits.map((c) => `Id ${c.id}`).join(', ')} (${formatMoney(creditCents)}) across ${invoiceIds.length} invoices; QuickBooks does not say which invoice each credit paid`,
        fix: 'Apply each credit memo to one invoice per payment in QuickBooks (or record the credits and payments in the PSA by hand).',
      }),
    ];
  }

  const out: PaymentDecision[] = [];
  for (const txnId of invoiceIds) {
    const cents = centsOf(payment, 'Invoice', txnId);
    if (cents === 0n) continue;
    const found = resolvePsaInvoice(txnId, facts, book);
    if (!found.ok) {
      out.push(skip({ amount: formatMoney(cents), ...found.skip }));
      continue;
    }
    for (const credit of credits) out.push(planPart(found.invoice, { paymentId: payment.id, invoiceTxnId: txnId, creditMemoTxnId: credit.id }, credit.cents));
    const cash = cents - creditCents;
    if (cash > 0n) out.push(planPart(found.invoice, { paymentId: payment.id, invoiceTxnId: txnId }, cash));
  }

  /** One part (cash, or one credit memo's credit) of the payment on one PSA invoice. */
  function planPart(invoice: PsaInvoiceFact, part: ApplicationPart, cents: bigint): PaymentDecision {
    const amount = formatMoney(cents);
    const what = part.creditMemoTxnId === undefined ? '' : `credit from QuickBooks credit memo Id ${part.creditMemoTxnId}: `;
    const here = { invoiceNumber: invoice.number, amount };
    const recorded = facts.applications[applicationKey(part)];
    if (recorded?.psaPaymentId !== undefined) {
      const onInvoice = invoice.payments.find((p) => p.id === recorded.psaPaymentId);
      if (!onInvoice) {
        return skip({
          ...here,
          reason: 'other',
          detail: `${what}recorded earlier as PSA payment id ${recorded.psaPaymentId}, which is no longer on the invoice; not recorded again`,
          fix: `If PSA payment ${recorded.psaPaymentId} was removed by mistake, record ${amount} on invoice ${invoice.number} by hand.`,
        });
      }
      if (parseMoney(onInvoice.amount) === cents) return skip({ ...here, reason: 'alreadyRecorded', detail: `${what}PSA payment id ${onInvoice.id} already records it` });
      return skip({
        ...here,
        reason: 'other',
        detail: `${what}recorded earlier as ${onInvoice.amount} (PSA payment id ${onInvoice.id}); QuickBooks now applies ${amount}`,
        fix: `Correct PSA payment ${onInvoice.id} on invoice ${invoice.number} by hand.`,
      });
    }
    let memo: PsaInvoiceFact | undefined;
    if (part.creditMemoTxnId !== undefined) {
      const found = resolvePsaInvoice(part.creditMemoTxnId, facts, book, 'credit memo');
      if (!found.ok) return skip({ ...here, reason: found.skip.reason, detail: `${customer}${found.skip.detail}`, ...(found.skip.fix && { fix: found.skip.fix }) });
      memo = found.invoice;
      // A credit memo's balance is negative while credit is left; what is applied is spent once.
      const left = -parseMoney(memo.balance);
      if (memo.type !== 'CreditMemo' || cents > left) {
        return skip({
          ...here,
          reason: 'other',
          detail: `${what}PSA ${memo.type === 'CreditMemo' ? `credit memo ${memo.number} has ${formatMoney(left > 0n ? left : 0n)} of credit left` : `invoice ${memo.number} is not a credit memo`}; a credit is never spent twice`,
          fix: `Check the credits applied from ${memo.number} in the PSA and in QuickBooks, and apply any difference by hand.`,
        });
      }
    }
    // Entered in the PSA by hand as well (or recorded before this sync kept its record): a payment
    // of the same amount, day and credit memo that no application claims is not recorded again. With
    // an intent recorded, recordPayment tells a lost write of ours from the rest.
    const twin = recorded ? undefined : invoice.payments.find((p) => p.id !== 0 && !claimed.has(p.id) && parseMoney(p.amount) === cents && p.date === payment.txnDate && p.creditId === memo?.id);
    if (twin) {
      return skip({
        ...here,
        reason: 'other',
        detail: `${customer}${what}PSA ${memo ? 'credit application' : 'payment'} id ${twin.id} of the same amount and day is already on the invoice, not recorded by Ledgerline; not recorded again`,
        fix: `If PSA payment ${twin.id} is a different payment, record ${amount} on invoice ${invoice.number} by hand.`,
      });
    }
    const open = parseMoney(invoice.balance);
    if (cents > open) {
      return skip({
        ...here,
        reason: 'overpayment',
        detail: `${customer}${what}applies ${amount} but the PSA invoice has ${formatMoney(open)} open`,
        fix: 'Look for payments entered by hand on the PSA invoice, then record any difference yourself.',
      });
    }
    const left = open - cents;
    invoice.balance = formatMoney(left);
    invoice.payments.push({ id: 0, amount, ...(memo && { creditId: memo.id }) });
    if (memo) memo.balance = formatMoney(parseMoney(memo.balance) + cents);
    return {
      action: 'apply',
      ...base,
      part,
      psaInvoiceId: invoice.id,
      invoiceNumber: invoice.number,
      ...(memo && { credit: { psaId: memo.id, number: memo.number } }),
      amount,
      date: payment.txnDate,
      ...(left > 0n && { note: `${memo ? `credit from ${memo.number}; ` : ''}partial: ${amount} of ${formatMoney(open)} open; ${formatMoney(left)} still open` }),
      ...(left === 0n && memo && { note: `credit from ${memo.number}` }),
    };
  }

  const unapplied = parseMoney(payment.unapplied);
  if (unapplied > 0n) {
    out.push(
      skip({
        amount: payment.unapplied,
        reason: 'overpayment',
        detail: `${customer}${payment.unapplied} of ${payment.total} is not applied to any invoice in QuickBooks (a customer credit)`,
        fix: 'Apply the credit to an invoice in QuickBooks; the next sync records it on the PSA invoice.',
      }),
    );
  }
  if (out.length === 0) out.push(skip({ amount: payment.total, reason: 'other', detail: `${customer}a zero payment that pays no invoice` }));
  return out;
}
