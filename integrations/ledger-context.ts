/**
 * What resolving a record needs besides the record itself: the accounting chart (matcher), the
 * company's posting settings, and today's GL setup table. Read once and kept for a short while per
 * worker, so a chunk of a hundred records costs a handful of reads instead of hundreds, while a
 * mapping fixed by ops is seen within a minute (before they can call retryFailed).
 */
import { createChartMatcher, createGlResolver, type ChartMatcher, type ChartSnapshot, type GlResolver } from '../domain/gl';
import type { CompanyCurrencies, PostingSettings, QuickBooksPayloadOptions } from '../domain/posting';
import { glAccountsToMappings, type ConnectWiseClient } from './connectwise';
import { readCompanySettings, type CompanySettings, type QuickBooksClient } from './quickbooks';
import { LedgerError, isLedgerError } from '../domain/errors';

export interface LedgerContext {
  matcher: ChartMatcher;
  settings: PostingSettings;
  payloadOptions: QuickBooksPayloadOptions;
  /** Today's GL setup table; undefined with the reason when the table itself is invalid. */
  resolver?: GlResolver;
  resolverProblem?: LedgerError;
  /** The currencies the company can post in (checked before anything is sent). */
  currencies?: CompanyCurrencies;
}

export const LEDGER_CONTEXT_TTL_MS = 30_000;

async function loadChart(ledger: QuickBooksClient): Promise<{ chart: ChartSnapshot; classTracking: 'line' | 'transaction' | 'none'; bookCloseDate?: string; company: CompanySettings }> {
  const [accounts, classes, items, taxCodes, terms, customers, vendors, prefs] = await Promise.all([
    ledger.listAccounts({ includeInactive: true }),
    // Inactive entries too (the matcher never picks them): a miss on one names it as inactive.
    ledger.listClasses({ includeInactive: true }),
    ledger.listItems({ includeInactive: true }),
    ledger.listTaxCodes(),
    ledger.listTerms({ includeInactive: true }),
    ledger.listCustomers({ includeInactive: true }),
    ledger.listVendors({ includeInactive: true }),
    ledger.getPreferences(),
  ]);
  const info = prefs.AccountingInfoPrefs;
  const company = await readCompanySettings(ledger, prefs);
  const classTracking = info?.ClassTrackingPerTxnLine ? 'line' : info?.ClassTrackingPerTxn ? 'transaction' : 'none';
  return {
    chart: {
      accounts: accounts as unknown as ChartSnapshot['accounts'],
      classes: classes as unknown as ChartSnapshot['classes'],
      items: items as unknown as ChartSnapshot['items'],
      taxCodes: taxCodes as unknown as ChartSnapshot['taxCodes'],
      terms: terms as unknown as ChartSnapshot['terms'],
      customers: customers as unknown as ChartSnapshot['customers'],
      vendors: vendors as unknown as ChartSnapshot['vendors'],
      useAccountNumbers: info?.UseAccountNumbers === true,
    },
    classTracking,
    bookCloseDate: info?.BookCloseDate || undefined,
    company,
  };
}

export interface LedgerContextOptions {
  ttlMs?: number;
  /** GL Account field matched by name (default) or by number (needs account numbers enabled). */
  accountMatch?: 'name' | 'number';
}

async function loadContext(deps: { psa: ConnectWiseClient; ledger: QuickBooksClient }, accountMatch: 'name' | 'number'): Promise<LedgerContext> {
  const [{ chart, classTracking, bookCloseDate, company }, setup, glRows] = await Promise.all([
    loadChart(deps.ledger),
    deps.psa.accountingPackageSetup(),
    deps.psa.glAccounts.all(),
  ]);
  let resolver: GlResolver | undefined;
  let resolverProblem: LedgerError | undefined;
  try {
    resolver = createGlResolver(glAccountsToMappings(glRows));
  } catch (err) {
    if (!isLedgerError(err)) throw err;
    resolverProblem = err;
  }
  return {
    matcher: createChartMatcher(chart, { mode: accountMatch }),
    settings: { transferExpensesAsBill: setup.transferExpensesAsBillFlag === true, bookCloseDate },
    payloadOptions: { classTracking, customTxnNumbers: company.customTxnNumbers },
    currencies: company.currencies,
    resolver,
    resolverProblem,
  };
}

/** A per-worker cache of the ledger context with a short time to live. */
export function ledgerContextCache(deps: { psa: ConnectWiseClient; ledger: QuickBooksClient }, options: LedgerContextOptions = {}) {
  const ttlMs = options.ttlMs ?? LEDGER_CONTEXT_TTL_MS;
  let cached: { at: number; value: Promise<LedgerContext> } | undefined;
  return {
    get(): Promise<LedgerContext> {
      if (!cached || Date.now() - cached.at > ttlMs) {
        const value = loadContext(deps, options.accountMatch ?? 'name');
        cached = { at: Date.now(), value };
        value.catch(() => (cached = undefined));
      }
      return cached.value;
    },
    invalidate(): void {
      cached = undefined;
    },
  };
}

export type LedgerContextCache = ReturnType<typeof ledgerContextCache>;
