/**
 * Invoices and credit memos: Standard, Agreement, Progress and Miscellaneous invoices and
 * Downpayment invoices become an Invoice (a downpayment's lines credit Deferred Revenue, so the
 * customer still gets a payable invoice); credit memos become a CreditMemo. AR is the header
 * account; Sales Tax Payable entries become one tax line per tax level; everything else is a line.
 */
import { formatMoney, parseMoney, absMoney, type Cents } from '../money';
import type { DraftLine, DraftTaxLine, TransactionDraft } from './draft';
import { debitNet } from './journal';
import { controlAccount, documentLine, draftHeader, invalid } from './plan-common';
import type { PostingSettings } from './settings';
import type { PsaGlLine, PsaGlRecord } from './types';

export function planSalesDocument(record: PsaGlRecord, settings: PostingSettings, kind: 'Invoice' | 'CreditMemo'): TransactionDraft {
  const header = draftHeader(record, kind);
  // An invoice's lines are credits (revenue), a credit memo's are debits: direction makes both positive.
  const direction = kind === 'Invoice' ? -1n : 1n;
  const ar = controlAccount(record, 'Accounts Receivable');
  const total = -ar.net * direction;
  if (total < 0n) {
    throw invalid(
      record,
      `its Accounts Receivable entries total ${formatMoney(total)}, a negative ${kind === 'Invoice' ? 'invoice' : 'credit memo'}`,
      kind === 'Invoice' ? 'Issue a credit memo in ConnectWise for negative amounts.' : 'A credit memo must credit Accounts Receivable; check its GL entries.',
    );
  }
  checkRecordTotal(record, total);

  const lines: DraftLine[] = [];
  const taxByLevel = new Map<string, { line: PsaGlLine; cents: Cents; ids: number[] }>();
  for (const line of record.lines) {
    if (line.accountType === 'Accounts Receivable') continue;
    const amount = debitNet(record, line) * direction;
    if (line.accountType === 'Sales Tax Payable') {
      // One tax line per level and account: the levels post to their own payables.
      const key = `${line.taxLevel ?? ''}\u0000${line.account}\u0000${line.class ?? ''}`;
      const seen = taxByLevel.get(key);
      if (seen) {
        seen.cents += amount;
        seen.ids.push(line.glEntryId);
      } else taxByLevel.set(key, { line, cents: amount, ids: [line.glEntryId] });
      continue;
    }
    if (amount === 0n) continue;
    const productId = line.productId ?? settings.defaultProductId;
    if (productId === undefined) {
      throw invalid(
        record,
        `GL entry ${line.glEntryId} (${line.accountType}, ${line.account}) has no GL Product ID; every ${kind} line needs an item in the accounting package`,
        `Set a Product ID on the ${line.accountType} mapping in the GL Accounts setup table, or configure a default item.`,
        'MappingMissing',
      );
    }
    lines.push({ ...documentLine(line, 'sales', amount), productId });
  }
  const taxLines: DraftTaxLine[] = [...taxByLevel.values()]
    .filter((t) => t.cents !== 0n)
    .map(({ line, cents, ids }) => ({
      level: line.taxLevel ?? null,
      accountType: line.accountType,
      account: line.account,
      ...(line.class !== undefined && { class: line.class }),
      amount: formatMoney(cents),
      ...(line.taxCodeXref !== undefined && { taxCodeXref: line.taxCodeXref }),
      glEntryIds: ids,
    }))
    .sort((a, b) => (a.level ?? 0) - (b.level ?? 0));

  return {
    ...header,
    party: { role: 'customer', ...record.party },
    control: ar.control,
    lines,
    taxLines,
    total: formatMoney(total),
  };
}

/** The record's own total must be what AR says; ConnectWise writes credit memo totals either sign. */
function checkRecordTotal(record: PsaGlRecord, arTotal: Cents): void {
  let stated: Cents;
  try {
    stated = parseMoney(record.total);
  } catch (err) {
    throw invalid(record, `total ${JSON.stringify(record.total)}: ${(err as Error).message}`, 'Check the PSA export.');
  }
  if (absMoney(stated) !== arTotal) {
    throw invalid(
      record,
      `its total is ${formatMoney(absMoney(stated))} but its Accounts Receivable entries total ${formatMoney(arTotal)}`,
      'Reopen and close the record in ConnectWise so its GL entries are recomputed.',
      'Unbalanced',
    );
  }
}
