/**
 * A snapshot of the accounting package's lists, as read once per batch. Field names follow
 * QuickBooks Online (Id, Name, AcctNum, ...) so the QBO client's entities fit without copying, but
 * nothing here depends on the client: domain code stays pure.
 */

export interface ChartAccount {
  Id: string;
  Name: string;
  AcctNum?: string;
  /** QuickBooks AccountTypeEnum value, e.g. "Income", "Other Current Liability". */
  AccountType: string;
  AccountSubType?: string;
  /** Colon path, "Parent:Child"; equals Name for a top-level account. */
  FullyQualifiedName?: string;
  Active?: boolean;
}

/** Classes, tax codes, terms: named list entries. */
export interface ChartNamed {
  Id: string;
  Name: string;
  FullyQualifiedName?: string;
  Active?: boolean;
}

export interface ChartItem extends ChartNamed {
  Type?: string;
  IncomeAccountRef?: { value: string; name?: string };
  ExpenseAccountRef?: { value: string; name?: string };
  AssetAccountRef?: { value: string; name?: string };
}

/**
 * Customers, vendors and employees. Notes may carry the ConnectWise identity line
 * (domain/posting/parties.ts); AcctNum is a vendor's account number (QuickBooks Online has no
 * customer account number).
 */
export interface ChartParty {
  Id: string;
  DisplayName: string;
  CompanyName?: string;
  AcctNum?: string;
  Notes?: string;
  Active?: boolean;
  /** The one currency the party trades in (QuickBooks: the home currency unless multicurrency gave it another). */
  CurrencyRef?: { value: string; name?: string };
}

export interface ChartSnapshot {
  accounts: readonly ChartAccount[];
  classes?: readonly ChartNamed[];
  items?: readonly ChartItem[];
  taxCodes?: readonly ChartNamed[];
  terms?: readonly ChartNamed[];
  customers?: readonly ChartParty[];
  vendors?: readonly ChartParty[];
  /** Employees hold display names too: a new customer or vendor cannot take one of theirs. */
  employees?: readonly ChartParty[];
  /** Preferences.AccountingInfoPrefs.UseAccountNumbers ("Enable account numbers"). */
  useAccountNumbers?: boolean;
}

/** A reference as QuickBooks takes it: `{ value: Id, name }`. */
export interface LedgerRef {
  value: string;
  name?: string;
}
