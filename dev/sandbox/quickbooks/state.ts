/**
 * The QuickBooks sandbox's whole state for one company (realm): name lists and transactions by
 * entity and Id, preferences, remembered requestid answers, deleted-object tombstones (for CDC) and
 * the OAuth tokens it issued. Plain JSON so it persists as one file.
 */

export type QboEntity = Record<string, unknown> & { Id: string; SyncToken: string };

export interface StoredAnswer {
  status: number;
  body: unknown;
}

export interface Tombstone {
  entity: string;
  Id: string;
  deletedAt: string;
}

export interface OAuthState {
  /** sha256(token) -> grant. Hashes only: the state file never holds a usable token. */
  accessTokens: Record<string, { expiresAt: number | null }>;
  /** sha256(refresh token) -> whether it is the current one (older ones get invalid_grant). */
  refreshTokens: Record<string, { current: boolean; issuedAt: number }>;
  /** When the company was connected (authorized): every refresh token of it dies 5 years later. */
  connectedAt?: number;
}

export interface RealmState {
  version: 1;
  realmId: string;
  nextId: number;
  entities: Record<string, Record<string, QboEntity>>;
  preferences: QboEntity;
  companyInfo: QboEntity;
  /** requestid -> the original answer, replayed for a repeated id. */
  answers: Record<string, StoredAnswer>;
  tombstones: Tombstone[];
  oauth: OAuthState;
}

/** QuickBooks' MetaData timestamps: second resolution with an offset. */
export function qboTimestamp(ms = Date.now()): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, '+00:00');
}

export function today(): string {
  return new Date().toISOString().slice(0, 10);
}

export function defaultPreferences(): QboEntity {
  const now = qboTimestamp();
  return {
    Id: '1',
    SyncToken: '0',
    MetaData: { CreateTime: now, LastUpdatedTime: now },
    AccountingInfoPrefs: {
      UseAccountNumbers: true,
      TrackDepartments: false,
      ClassTrackingPerTxn: false,
      ClassTrackingPerTxnLine: true,
      AutoJournalEntryNumber: false,
      FirstMonthOfFiscalYear: 'January',
      CustomerTerminology: 'Customers',
    },
    ProductAndServicesPrefs: { ForSales: true, ForPurchase: true, QuantityWithPriceAndRate: true, QuantityOnHand: true },
    SalesFormsPrefs: { CustomTxnNumbers: true, AllowDiscount: true, AllowShipping: false, DefaultTerms: { value: '' } },
    VendorAndPurchasesPrefs: { TrackingByCustomer: true, BillableExpenseTracking: true },
    TaxPrefs: { UsingSalesTax: true },
    CurrencyPrefs: { HomeCurrency: { value: 'USD' }, MultiCurrencyEnabled: false },
    ReportPrefs: { ReportBasis: 'Accrual', CalcAgingReportFromTxnDate: false },
    OtherPrefs: { NameValue: [] },
  };
}

export function emptyRealm(realmId: string): RealmState {
  const now = qboTimestamp();
  return {
    version: 1,
    realmId,
    nextId: 1,
    entities: {},
    preferences: defaultPreferences(),
    companyInfo: {
      Id: '1',
      SyncToken: '0',
      CompanyName: 'Ledgerline IT (sandbox)',
      LegalName: 'Ledgerline IT LLC',
      Country: 'US',
      FiscalYearStartMonth: 'January',
      MetaData: { CreateTime: now, LastUpdatedTime: now },
    },
    answers: {},
    tombstones: [],
    oauth: { accessTokens: {}, refreshTokens: {} },
  };
}

export function table(realm: RealmState, entity: string): Record<string, QboEntity> {
  return (realm.entities[entity] ??= {});
}

/** Ids are one counter per company, as in QuickBooks, and strings on the wire. */
export function allocateId(realm: RealmState): string {
  return String(realm.nextId++);
}

export function bumpSyncToken(entity: QboEntity): void {
  entity.SyncToken = String(Number(entity.SyncToken) + 1);
  const meta = (entity.MetaData ??= {}) as Record<string, unknown>;
  meta.LastUpdatedTime = qboTimestamp();
}
