/**
 * The go-live checklist's vocabulary: the facts the activity fetches, the
 * items each check produces and the summary the workflow returns. Pure types: imported by the
 * workflow bundle, the activities and the CLI alike.
 */
import type { ConnectionLife } from '../connection-health';
import type { RecordKind } from '../contract/record-kinds';
import type { ChartMatcher } from '../gl/chart-match';
import type { GlSequences } from '../gl/site-sequences';
import type { GlMapping } from '../gl/types';

export type CheckResult = 'pass' | 'fail' | 'warn';

export const CHECK_IDS = [
  'connectivity',
  'api-member-security',
  'terms-xref',
  'customer-contacts',
  'gl-reload-status',
  'owner-mappings',
  'revenue-cogs-mappings',
  'mapped-accounts',
  'tax-names',
  'lock-date',
  'unbatched-records',
  'package-setup',
  'parties',
] as const;
export type CheckId = (typeof CHECK_IDS)[number];

/** One automated check's verdict: what was seen (evidence) and, unless it passed, what to do. */
export interface ChecklistItem {
  id: CheckId;
  title: string;
  result: CheckResult;
  /** Short facts: counts, names, ids. At most MAX_EVIDENCE lines. */
  evidence: string[];
  fix?: string;
}

/** A call that may fail; the failure is a fact for check 1, not an exception. */
export type Probe<T> = { ok: true; value: T } | { ok: false; error: { type: string; message: string } };

export interface ConnectivityFacts {
  psa: Probe<{ version: string; companyId: string; baseUrl: string }>;
  /** `connection`: the token store's dates, how long syncing can go on without a reconnect. */
  ledger: Probe<{ realmId: string; companyName?: string; connection?: ConnectionLife }>;
  /** When the facts were gathered (the clock the connection's remaining life is counted from). */
  checkedAt?: string;
}

export type SecurityLevel = 'None' | 'My' | 'All';
export interface SecurityRowFact {
  functionIdentifier: string;
  functionName?: string;
  add: SecurityLevel;
  edit: SecurityLevel;
  delete: SecurityLevel;
  inquire: SecurityLevel;
}

export interface BillingTermFact {
  id: number;
  name: string;
  termsXref?: string;
}

export interface UnpostedInvoiceFact {
  id: number;
  invoiceNumber: string;
  /** ISO date (YYYY-MM-DD...). */
  date: string;
  companyId: number;
  companyName: string;
  billingTermsId?: number;
  billingTermsName?: string;
}

export interface CustomerFact {
  id: number;
  identifier: string;
  name: string;
  primaryContact?: string;
  billingContact?: string;
}

export interface BillingStatusFact {
  id: number;
  name: string;
  inactive: boolean;
  /** ConnectWise's Closed flag: invoices in this status are closed and in the Accounting Interface. */
  closed: boolean;
  /** ConnectWise's Sent flag: invoices in this status count as sent to the customer. */
  sent: boolean;
}

export interface PackageSetupFact {
  packageName?: string;
  directTransfer: boolean;
  includeInvoices: boolean;
  includeExpenses: boolean;
  transferExpensesAsBill: boolean;
  syncPaymentInfo: boolean;
  includeItems: boolean;
  includeCogsEntries: boolean;
}

export interface TaxCodeFact {
  identifier: string;
  levels: Array<{ level: number; xref?: string; caption?: string }>;
}

export type UnpostedCounts = Record<RecordKind, number>;

export interface DatedRecordFact {
  kind: RecordKind;
  number: string;
  date: string;
}

export interface LockDateFacts {
  /** YYYY-MM-DD; undefined when neither the input nor QuickBooks names one. */
  lockDate?: string;
  source: 'input' | 'QuickBooks closing date' | 'none';
  /** Unposted records dated before the lock date, per kind. */
  before: UnpostedCounts;
  /** A few of them, oldest first, for the evidence. */
  examples: DatedRecordFact[];
}

export interface UnbatchedFacts {
  counts: UnpostedCounts;
  /** Dates of the oldest and newest unposted record (YYYY-MM-DD). */
  oldest?: string;
  newest?: string;
  /** Invoices whose billing status is GL Reload. */
  glReloadInvoices: number;
}

/** A member with unposted reimbursable expenses: the vendor a transferred bill is owed to. */
export interface ExpenseMemberFact {
  identifier: string;
  name: string;
  vendorNumber?: string;
}

/** A customer or vendor an unposted record needs, and the records ("Invoice 10042"). */
export interface PartyFact {
  role: 'customer' | 'vendor';
  name: string;
  accountNumber?: string;
  source?: 'company' | 'member';
  psaId?: number;
  records: string[];
}

/** What ConnectWise says, fetched once ConnectWise answered. */
export interface PsaFacts {
  security: SecurityRowFact[];
  /** The API member's identifier, as mySecurity names it. */
  memberIdentifier?: string;
  billingTerms: BillingTermFact[];
  unpostedInvoices: UnpostedInvoiceFact[];
  /** Companies that have unposted invoices. */
  customers: CustomerFact[];
  billingStatuses: BillingStatusFact[];
  /** The GL Accounts setup table, as rows (not yet validated). */
  glMappings: GlMapping[];
  /** The site's sequences from its mapped types (default: ConnectWise's documented ones). */
  glSequences?: GlSequences;
  /** Setup rows the reader already left out (mapped types, partial segments), one line each. */
  glSetupProblems?: string[];
  packageSetup?: PackageSetupFact;
  taxCodes: TaxCodeFact[];
  unbatched: UnbatchedFacts;
  expenseMembers: ExpenseMemberFact[];
  /** Customers and vendors of the unposted records (absent in facts gathered before this check). */
  parties?: PartyFact[];
}

/** What QuickBooks says, fetched once it answered. */
export interface LedgerFacts {
  /** The same matcher the accounting batch uses (mode, case sensitivity, type fit). */
  matcher: ChartMatcher;
  /** The configured GL_ACCOUNT_MATCH. */
  accountMatch: 'name' | 'number';
  /** Why the configured match mode cannot work (number matching with account numbers off); `matcher` then matches by name. */
  accountMatchProblem?: { message: string; fix: string };
  taxCodeNames: string[];
  taxRateNames: string[];
  /** CREATE_MISSING_PARTIES: missing parties are created by the batch. */
  createMissingParties?: boolean;
}

export interface ChecklistFacts {
  connectivity: ConnectivityFacts;
  /** Undefined when ConnectWise did not answer (check 1 says why). */
  psa?: PsaFacts;
  /** Undefined when QuickBooks did not answer. */
  ledger?: LedgerFacts;
  lock: LockDateFacts;
}

/** A step a person confirms (test invoices reviewed, the chart signed off). */
export interface ManualItemState {
  id: string;
  title: string;
  confirmed: boolean;
  by?: string;
  /** ISO timestamp (workflow time) of the confirmation. */
  at?: string;
  note?: string;
}

export type ChecklistStatus = 'Passed' | 'Failed' | 'Incomplete';

/** The workflow's queryable state and result. */
export interface ChecklistSummary {
  workflowId: string;
  runId: string;
  /** The accounting company (QuickBooks realm) the checklist is about. */
  realmId?: string;
  company?: string;
  stage: 'checking' | 'awaitingConfirmation' | 'done';
  /** Passed: no check failed and every manual item is confirmed (warnings allowed). */
  status: ChecklistStatus;
  items: ChecklistItem[];
  manualItems: ManualItemState[];
  lockDate?: string;
  reminderSent: boolean;
  /** ISO timestamp (workflow time) when the run finished. */
  completedAt?: string;
}

export interface ConfirmManualItemInput {
  item: string;
  by: string;
  note?: string;
}
