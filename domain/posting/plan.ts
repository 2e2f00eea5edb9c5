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
import { DOC_NUMBER_MAX_LENGTH, type PostingSettings } from './settings';
import { sendsDocNumber } from './doc-number';
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
  // QuickBooks takes a DocNumber of 1 to 21 characters; a sales form it numbers itself is sent none.
  const n = draft.docNumber;
  if (sendsDocNumber(draft.kind, settings.customTxnNumbers ?? true) && (n.length === 0 || n.length > DOC_NUMBER_MAX_LENGTH)) {
    throw invalid(
      record,
      `document number ${JSON.stringify(n)} is ${n.length} characters; the accounting package takes 1 to ${DOC_NUMBER_MAX_LENGTH}`,
      'Shorten the number in ConnectWise (invoice number or prefix) so it fits.',
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
