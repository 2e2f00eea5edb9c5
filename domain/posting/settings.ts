/** Company-level choices that change how a record is posted (the accounting package setup). */
export interface PostingSettings {
  /**
   * ConnectWise's "transfer expenses as a bill", used when the record does not carry its own flag.
   * Default false.
   */
  transferExpensesAsBill?: boolean;
  /**
   * Without transfer-as-bill, an expense becomes a clearing JournalEntry (default) or, when all of
   * its credit is one Expense Offset account (a company card), a Purchase against that account.
   */
  expensesWithoutBill?: 'JournalEntry' | 'Purchase';
  /**
   * QuickBooks Online's InventoryAdjustment (quantity only, US Plus/Advanced) or a JournalEntry that
   * moves the value between accounts. Default InventoryAdjustment.
   */
  inventoryAdjustmentsAs?: 'InventoryAdjustment' | 'JournalEntry';
  /** Item for sales lines without a GL Product ID: QuickBooks needs an item on every sales line. */
  defaultProductId?: string;
  /**
   * The company's closing date (QuickBooks' BookCloseDate, YYYY-MM-DD): a record dated on or before
   * it fails before anything is sent, since QuickBooks refuses to post inside a closed period.
   */
  bookCloseDate?: string;
  /**
   * Create customers and vendors QuickBooks does not have (never accounts or items), after a
   * display-name clash check across customers, vendors and employees. Default false: a missing
   * party fails its records and is listed by the dry run and the checklist.
   */
  createMissingParties?: boolean;
  /**
   * QuickBooks' custom transaction numbers (SalesFormsPrefs.CustomTxnNumbers). Off: invoices and
   * credit memos are sent without a DocNumber, so their length is not QuickBooks' concern. Default on.
   */
  customTxnNumbers?: boolean;
}

/** QuickBooks Online's DocNumber limit. */
export const DOC_NUMBER_MAX_LENGTH = 21;
