/**
 * Procurement: a purchase-order receipt becomes a Bill with item lines (QuickBooks Online
 * has no item receipt; an item line on a bill receives the stock); an inventory adjustment becomes
 * an InventoryAdjustment (quantities) or a JournalEntry (values); a transfer a JournalEntry.
 */
import { formatScaled, parseDecimal } from '../money';
import type { DraftLine, TransactionDraft } from './draft';
import { debitNet } from './journal';
import { controlAccount, draftHeader, invalid } from './plan-common';
import { planPayableDocument } from './plan-expense';
import { planJournalEntry } from './plan-journal';
import type { PostingSettings } from './settings';
import type { PsaGlRecord } from './types';

export function planPurchaseReceipt(record: PsaGlRecord): TransactionDraft {
  return planPayableDocument(record, 'Bill', 'Accounts Payable');
}

export function planInventoryAdjustment(record: PsaGlRecord, settings: PostingSettings): TransactionDraft {
  if (settings.inventoryAdjustmentsAs === 'JournalEntry') return planJournalEntry(record);
  const header = draftHeader(record, 'InventoryAdjustment');
  const adjust = controlAccount(record, 'Inventory Adjustments');
  const lines: DraftLine[] = [];
  for (const line of adjust.lines) {
    if (line.productId === undefined) continue;
    if (line.quantity === undefined) {
      throw invalid(record, `GL entry ${line.glEntryId} adjusts ${line.productId} but carries no quantity`, 'Check the adjustment detail in ConnectWise Procurement.');
    }
    // Debiting the adjustment (COGS) account writes stock off; crediting it writes stock on.
    const net = debitNet(record, line);
    const qty = parseDecimal(line.quantity);
    const magnitude = qty.units < 0n ? -qty.units : qty.units;
    const signed = net > 0n ? -magnitude : magnitude;
    if (signed === 0n) continue;
    lines.push({
      detail: 'adjustment',
      accountType: line.accountType,
      account: line.account,
      ...(line.class !== undefined && { class: line.class }),
      productId: line.productId,
      ...(line.description !== undefined && { description: line.description }),
      amount: '0.00',
      quantityDiff: formatScaled(signed, qty.scale),
      glEntryIds: [line.glEntryId],
    });
  }
  if (lines.length === 0) {
    throw invalid(record, 'no Inventory Adjustments entry names a product and a quantity; there is nothing to adjust', 'Check the adjustment in ConnectWise Procurement.');
  }
  return { ...header, control: adjust.control, lines, taxLines: [], total: '0.00' };
}

export function planInventoryTransfer(record: PsaGlRecord): TransactionDraft {
  return planJournalEntry(record);
}
