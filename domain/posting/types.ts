/**
 * The shapes between "what the PSA exported" and "what the accounting package gets".
 * A PsaGlRecord is one PSA record (an invoice, an expense, a procurement row) with the GL entries
 * ConnectWise computed when it closed, normalised from the GLExport wire format.
 * Amounts are decimal strings ("1234.50"): money never travels as a float.
 */
import type { RecordKind } from '../contract/record-kinds';
import type { AccountType } from '../gl/types';

export type InvoiceType = 'Standard' | 'Agreement' | 'DownPayment' | 'CreditMemo' | 'Progress' | 'Miscellaneous';
export type ProcurementType = 'Purchase' | 'Adjustment' | 'Transfer';

export type PsaRecordType = InvoiceType | 'Expense' | ProcurementType;

export interface PsaParty {
  /** Company or member name as the PSA shows it. */
  name: string;
  /** The PSA's account number for the company or member's vendor number (a vendor's AcctNum). */
  accountNumber?: string;
  /** ConnectWise's id of the company, or of the member for expenses: the identity kept on a party. */
  psaId?: number;
  source?: 'company' | 'member';
}

/** One GL entry line as ConnectWise exported it. */
export interface PsaGlLine {
  /** ConnectWise GL entry id: what `processedRecordIds` takes when the record is marked exported. */
  glEntryId: number;
  accountType: AccountType;
  /** The account (segment 1) and class as computed when the record closed. */
  account: string;
  class?: string;
  productId?: string;
  inventory?: string;
  cogs?: string;
  /** Debit or credit in the PSA's journal view. */
  side: 'debit' | 'credit';
  amount: string;
  description?: string;
  quantity?: string;
  unitPrice?: string;
  /** Unit cost for procurement/inventory lines. */
  cost?: string;
  /** For Sales Tax Payable lines: the tax level (1..6) and the tax code cross-reference. */
  taxLevel?: number;
  taxCodeXref?: string;
  taxable?: boolean;
  /** The documented references of what the line came from: its GL context is rebuilt from them. */
  source?: LineSource;
}

/** What an exported line names of its origin (ConnectWise's GL export names no mapped records). */
export interface LineSource {
  /** The time entry a time line bills (`timeEntry.id`). */
  timeEntryId?: number;
  /** The catalog item of a product line (`item.id`, `item.identifier`). */
  itemId?: number;
  item?: string;
  /** The unposted expense row the line stands for (an expense, or an expense bill's detail). */
  expenseRowId?: number;
  /** A purchase tax line's level, when the purchase's `taxLevels` name exactly one. */
  taxLevel?: number;
}

export interface PsaGlRecord {
  kind: RecordKind;
  recordType: PsaRecordType;
  /**
   * The PSA record's identity, which survives reopening and closing it again: UnpostedInvoice.id,
   * an expense's own id (UnpostedExpense.expenseDetailId; its GL entry id when that is not known),
   * or unpostedProductId for procurement.
   */
  recordId: string;
  /**
   * An expense known by its own id: the unposted row's id (the expense's GL entry), which the export
   * and the unposted list name this revision by and which changes when the expense is closed again.
   * Ledgerline keyed expenses by it before, so a transaction posted under it is this record's too.
   */
  rowId?: string;
  /** Document number people recognise (invoice number, expense report id, PO number). */
  number: string;
  /** Changes when the record is reopened and closed again; part of the idempotency key. */
  revision: string;
  date: string;
  dueDate?: string;
  /** Customer for invoices, vendor/member for expenses and purchases. */
  party: PsaParty;
  terms?: string;
  currency?: string;
  taxCode?: string;
  memo?: string;
  /** Expenses: whether ConnectWise is set to transfer expenses as a bill. */
  transferAsBill?: boolean;
  lines: PsaGlLine[];
  /** Every GL entry id `processedRecordIds` takes to mark the record exported (default: its lines'). */
  glEntryIds?: number[];
  total: string;
}
