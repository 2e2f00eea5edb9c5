/**
 * The posting plan's output: one balanced transaction for one PSA record, in accounting terms but
 * not in any package's wire format. Plain JSON (strings, numbers) so it can travel through workflow
 * history; amounts are exact decimal strings.
 */
import type { AccountType } from '../gl/types';
import type { RecordKind } from '../contract/record-kinds';
import type { PsaRecordType } from './types';

export type TransactionKind = 'Invoice' | 'CreditMemo' | 'Bill' | 'Purchase' | 'JournalEntry' | 'InventoryAdjustment';

export type DraftLineDetail =
  /** A sales form line (Invoice, CreditMemo): an item, carried to the item's income account. */
  | 'sales'
  /** A purchase form line (Bill, Purchase) straight to an account. */
  | 'account'
  /** A purchase form line for an item (received goods, freight item). */
  | 'item'
  /** A journal entry line with a posting side. */
  | 'journal'
  /** A quantity change of one item (InventoryAdjustment). */
  | 'adjustment';

export interface DraftLine {
  detail: DraftLineDetail;
  accountType: AccountType;
  /** GL account string as the PSA holds it (name or number); matched onto the chart later. */
  account: string;
  class?: string;
  /** GL Product ID: the accounting package's item. */
  productId?: string;
  description?: string;
  /**
   * Document lines: signed, in the document's direction (a negative line reduces the total, e.g. a
   * discount). Journal lines: positive, with `postingType`. Adjustment lines: "0.00" (quantity only).
   */
  amount: string;
  postingType?: 'Debit' | 'Credit';
  quantity?: string;
  unitPrice?: string;
  /** Signed quantity change for adjustment lines. */
  quantityDiff?: string;
  taxable?: boolean;
  /** Journal lines on AR/AP name the customer/vendor (the accounting package requires it). */
  entity?: 'customer' | 'vendor';
  glEntryIds: number[];
}

/** Sales tax for one tax level, to its Sales Tax Payable account. */
export interface DraftTaxLine {
  level: number | null;
  accountType: AccountType;
  account: string;
  class?: string;
  amount: string;
  taxCodeXref?: string;
  glEntryIds: number[];
}

/** The account on the transaction header: AR, AP, the paying account, or the adjustment account. */
export interface DraftControlAccount {
  accountType: AccountType;
  account: string;
  class?: string;
}

export interface DraftSource {
  kind: RecordKind;
  recordType: PsaRecordType;
  recordId: string;
  number: string;
  revision: string;
}

export interface TransactionDraft {
  kind: TransactionKind;
  source: DraftSource;
  /** "Invoice 10042": how the record is named in errors and reports. */
  recordLabel: string;
  docNumber: string;
  txnDate: string;
  dueDate?: string;
  party?: { role: 'customer' | 'vendor'; name: string; accountNumber?: string; psaId?: number; source?: 'company' | 'member' };
  terms?: string;
  currency?: string;
  taxCode?: string;
  memo?: string;
  control?: DraftControlAccount;
  lines: DraftLine[];
  taxLines: DraftTaxLine[];
  /** Document total (positive); for journal entries, the total of the debits. */
  total: string;
  /** Every GL entry id of the record, to mark exported once posted. */
  glEntryIds: number[];
}
