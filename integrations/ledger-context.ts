/**
 * What resolving a record needs besides the record itself: the accounting chart (matcher), the
 * company's posting settings, and today's GL setup table. Read once and kept for a short while per
 * worker, so a chunk of a hundred records costs a handful of reads instead of hundreds, while a
 * mapping fixed by ops is seen within a minute (before they can call retryFailed).
 */
import { createChartMatcher, type ChartMatcher, type ChartSnapshot, type GlResolver } from '../domain/gl';
import { taxRegimeOf, type CompanyCurrencies, type PostingSettings, type QuickBooksPayloadOptions, type TaxChart, type TaxSettings } from '../domain/posting';
import type { ConnectWiseClient } from './connectwise';
import { loadGlSetup } from './gl-setup';
import { readCompanySettings, type CompanySettings, type QuickBooksClient, type QuickBooksPreferences } from './quickbooks';
import { loadTaxFacts } from './ledger-context-tax';
import type { LedgerError } from '../domain/errors';

export interface LedgerContext {
  matcher: ChartMatcher;
  settings: PostingSettings;
  payloadOptions: QuickBooksPayloadOptions;
  /** The company's tax codes and rates, for the tax model in payloadOptions.taxRegime. */
  taxChart?: TaxChart;
  /** Today's GL setup table; undefined with the reason when the table itself is invalid. */
  resolver?: GlResolver;
  resolverProblem?: LedgerError;
  /** GL setup rows left out of the resolver, one line each. */
  glSetupProblems: string[];
  /** The currencies the company can post in (checked before anything is sent). */
  currencies?: CompanyCurrencies;
}

export const LEDGER_CONTEXT_TTL_MS = 30_000;

async function loadChart(ledger: QuickBooksClient): Promise<{ chart: ChartSnapshot; classTracking: 'line' | 'transaction' | 'none'; bookCloseDate?: string; prefs: QuickBooksPreferences; company: CompanySettings }> {
  const [accounts, classes, items, taxCodes, terms, customers, vendors, employees, prefs] = await Promise.all([
    ledger.listAccounts({ includeInactive: true }),
    // Inactive entries too (the matcher never picks them): a miss on one names it as inactive.
    ledger.listClasses({ includeInactive: true }),
    ledger.listItems({ includeInactive: true }),
    ledger.listTaxCodes(),
    ledger.listTerms({ includeInactive: true }),
    // Inactive parties too: one carrying a ConnectWise identity is reported, never created twice.
    ledger.listCustomers({ includeInactive: true }),
    ledger.listVendors({ includeInactive: true }),
    ledger.listEmployees({ includeInactive: true }),
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
      employees: employees as unknown as ChartSnapshot['employees'],
      useAccountNumbers: info?.UseAccountNumbers === true,
    },
    classTracking,
    bookCloseDate: info?.BookCloseDate || undefined,
    prefs,
    company,
  };
}

export interface LedgerContextOptions {
  ttlMs?: number;
  /** GL Account field matched by name (default) or by number (needs account numbers enabled). */
  accountMatch?: 'name' | 'number';
  /** CREATE_MISSING_PARTIES. */
  createMissingParties?: boolean;
  /** Automated Sales Tax tolerance and action, the non-US non-taxable code. */
  tax?: TaxSettings;
}

async function loadContext(
  deps: { psa: ConnectWiseClient; ledger: QuickBooksClient },
  accountMatch: 'name' | 'number',
  createMissingParties: boolean,
  taxSettings: TaxSettings,
): Promise<LedgerContext> {
  const [{ chart, classTracking, bookCloseDate, prefs, company }, tax, setup, gl] = await Promise.all([
    loadChart(deps.ledger),
    loadTaxFacts(deps.ledger),
    deps.psa.accountingPackageSetup(),
    loadGlSetup(deps.psa),
  ]);
  return {
    matcher: createChartMatcher(chart, { mode: accountMatch, country: tax.country }),
    settings: { transferExpensesAsBill: setup.transferExpensesAsBillFlag === true, bookCloseDate, createMissingParties, customTxnNumbers: company.customTxnNumbers },
    payloadOptions: {
      classTracking,
      customTxnNumbers: company.customTxnNumbers,
      taxRegime: taxRegimeOf({ country: tax.country, partnerTaxEnabled: prefs.TaxPrefs?.PartnerTaxEnabled === true }, taxSettings),
    },
    currencies: company.currencies,
    taxChart: tax.chart,
    resolver: gl.resolver,
    resolverProblem: gl.resolverProblem,
    glSetupProblems: gl.problems,
  };
}

/** A per-worker cache of the ledger context with a short time to live. */
export function ledgerContextCache(deps: { psa: ConnectWiseClient; ledger: QuickBooksClient }, options: LedgerContextOptions = {}) {
  const ttlMs = options.ttlMs ?? LEDGER_CONTEXT_TTL_MS;
  let cached: { at: number; value: Promise<LedgerContext> } | undefined;
  return {
    get(): Promise<LedgerContext> {
      if (!cached || Date.now() - cached.at > ttlMs) {
        const value = loadContext(deps, options.accountMatch ?? 'name', options.createMissingParties === true, options.tax ?? {});
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
