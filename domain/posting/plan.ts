/**
 * planPosting: one PSA record's GL entries -> one balanced, package-neutral transaction draft
 * (the transaction each record type becomes). The record must balance to the cent first; a record that does not is refused
 * with LedgerError('Unbalanced') naming it. Pure: no I/O, safe in workflows.
 */
import type { TransactionDraft } from './draft';
import { assertBalanced } from './journal';
import { planExpense } from './plan-expense';
import { planInventoryAdjustment, planInventoryTransfer, planPurchaseReceipt } from './plan-procurement';
import { planSalesDocument } from './plan-sales';
import type { PostingSettings } from './settings';
import type { PsaGlRecord } from './types';
import { invalid } from './plan-common';

export function planPosting(record: PsaGlRecord, settings: PostingSettings = {}): TransactionDraft {
  assertBalanced(record);
  const draft = planByType(record, settings);
  const close = settings.bookCloseDate?.slice(0, 10);
  if (close && draft.txnDate <= close) {
    throw invalid(
      record,
      `dated ${draft.txnDate}, inside the closed period ending ${close}`,
      'Reopen the period in QuickBooks (Account and Settings > Advanced > Close the books) or re-date the record in ConnectWise, then retry it.',
    );
  }
  return draft;
}

function planByType(record: PsaGlRecord, settings: PostingSettings): TransactionDraft {
  switch (record.recordType) {
    case 'Standard':
    case 'Agreement':
    case 'Progress':
    case 'Miscellaneous':
    case 'DownPayment':
      return planSalesDocument(record, settings, 'Invoice');
    case 'CreditMemo':
      return planSalesDocument(record, settings, 'CreditMemo');
    case 'Expense':
      return planExpense(record, settings);
    case 'Purchase':
      return planPurchaseReceipt(record);
    case 'Adjustment':
      return planInventoryAdjustment(record, settings);
    case 'Transfer':
      return planInventoryTransfer(record);
    default: {
      const unknown: never = record.recordType;
      throw invalid(record, `record type ${JSON.stringify(unknown)} has no posting rule`, 'Report this record type to the Ledgerline team.');
    }
  }
}
