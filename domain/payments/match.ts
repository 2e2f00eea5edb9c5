/**
 * Matching accounting payments to PSA invoices. Each applied invoice line resolves to exactly one
 * PSA invoice (the posted link, else the invoice number) or is reported with the reason; nothing is
 * inferred from amounts or customers. Pure: the activity gathers the facts, this decides.
 */
import { formatMoney, parseMoney } from '../money';
import { paymentReference } from './reference';
import type { LedgerPayment, MatchFacts, PaymentDecision, PsaInvoiceFact, SkipDecision } from './types';

type Resolution = { ok: true; invoice: PsaInvoiceFact } | { ok: false; skip: Pick<SkipDecision, 'reason' | 'detail' | 'fix' | 'invoiceNumber'> };

function resolvePsaInvoice(txnId: string, facts: MatchFacts, book: Map<number, PsaInvoiceFact>): Resolution {
  const link = facts.ledgerInvoices[txnId];
  if (!link) {
    return { ok: false, skip: { reason: 'unknownInvoice', detail: `QuickBooks invoice Id ${txnId} could not be read (deleted?)`, fix: 'Check the payment in QuickBooks and record it in the PSA by hand if it belongs there.' } };
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
          detail: `QuickBooks invoice ${label} was posted from PSA invoice ${postedAs} (id ${invoice.id}), which is now numbered ${invoice.number}`,
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
      detail: `the PSA has no invoice ${label}, and Ledgerline did not post it`,
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

function planPayment(payment: LedgerPayment, facts: MatchFacts, book: Map<number, PsaInvoiceFact>): PaymentDecision[] {
  const reference = paymentReference(payment.id);
  const base = { paymentId: payment.id, reference };
  const skip = (s: Omit<SkipDecision, 'action' | 'paymentId' | 'reference'>): SkipDecision => ({ action: 'skip', ...base, ...s });
  const invoiceIds = [...new Set(payment.lines.filter((l) => l.txnType === 'Invoice').map((l) => l.txnId))];

  if (payment.voided) {
    if (invoiceIds.length === 0) return [skip({ amount: '0.00', reason: 'voided', detail: 'voided in QuickBooks; it paid no invoice' })];
    return invoiceIds.map((txnId) => {
      const found = resolvePsaInvoice(txnId, facts, book);
      const number = found.ok ? found.invoice.number : (found.skip.invoiceNumber ?? facts.ledgerInvoices[txnId]?.docNumber);
      const recorded = found.ok ? found.invoice.payments.find((p) => p.reference === reference) : undefined;
      return recorded
        ? skip({
            invoiceNumber: number,
            amount: recorded.amount,
            reason: 'voided',
            detail: `voided in QuickBooks after Ledgerline recorded it on the PSA invoice (PSA payment id ${recorded.id})`,
            fix: `Reverse PSA payment ${recorded.id} on invoice ${number}; Ledgerline never reverses payments itself.`,
          })
        : skip({ invoiceNumber: number, amount: '0.00', reason: 'voided', detail: 'voided in QuickBooks; nothing was recorded in the PSA' });
    });
  }

  const others = payment.lines.filter((l) => l.txnType !== 'Invoice');
  if (others.length > 0) {
    const kinds = [...new Set(others.map((l) => `${l.txnType} ${l.txnId}`))].join(', ');
    return [
      skip({
        amount: payment.total,
        reason: 'other',
        detail: `applies ${kinds} as well as invoices; how that splits in the PSA is not something to guess`,
        fix: 'Record the payment and the credit application in the PSA by hand.',
      }),
    ];
  }

  const out: PaymentDecision[] = [];
  for (const txnId of invoiceIds) {
    const cents = payment.lines.filter((l) => l.txnType === 'Invoice' && l.txnId === txnId).reduce((sum, l) => sum + parseMoney(l.amount), 0n);
    if (cents === 0n) continue;
    const amount = formatMoney(cents);
    const found = resolvePsaInvoice(txnId, facts, book);
    if (!found.ok) {
      out.push(skip({ amount, ...found.skip }));
      continue;
    }
    const invoice = found.invoice;
    const ours = invoice.payments.filter((p) => p.reference === reference);
    const same = ours.find((p) => parseMoney(p.amount) === cents);
    if (same) {
      out.push(skip({ invoiceNumber: invoice.number, amount, reason: 'alreadyRecorded', detail: `PSA payment id ${same.id} already records it` }));
      continue;
    }
    if (ours.length > 0) {
      out.push(
        skip({
          invoiceNumber: invoice.number,
          amount,
          reason: 'other',
          detail: `recorded earlier as ${ours[0].amount} (PSA payment id ${ours[0].id}); QuickBooks now applies ${amount}`,
          fix: `Correct PSA payment ${ours[0].id} on invoice ${invoice.number} by hand.`,
        }),
      );
      continue;
    }
    const open = parseMoney(invoice.balance);
    if (cents > open) {
      out.push(
        skip({
          invoiceNumber: invoice.number,
          amount,
          reason: 'overpayment',
          detail: `applies ${amount} but the PSA invoice has ${formatMoney(open)} open`,
          fix: 'Look for payments entered by hand on the PSA invoice, then record any difference yourself.',
        }),
      );
      continue;
    }
    const left = open - cents;
    out.push({
      action: 'apply',
      ...base,
      psaInvoiceId: invoice.id,
      invoiceNumber: invoice.number,
      amount,
      date: payment.txnDate,
      ...(left > 0n && { note: `partial: ${amount} of ${formatMoney(open)} open; ${formatMoney(left)} still open` }),
    });
    invoice.balance = formatMoney(left);
    invoice.payments.push({ id: 0, amount, reference });
  }

  const unapplied = parseMoney(payment.unapplied);
  if (unapplied > 0n) {
    out.push(
      skip({
        amount: payment.unapplied,
        reason: 'overpayment',
        detail: `${payment.unapplied} of ${payment.total} is not applied to any invoice in QuickBooks (a customer credit)`,
        fix: 'Apply the credit to an invoice in QuickBooks; the next sync records it on the PSA invoice.',
      }),
    );
  }
  if (out.length === 0) out.push(skip({ amount: payment.total, reason: 'other', detail: 'a zero payment that pays no invoice' }));
  return out;
}
