/**
 * The company preferences that decide how a transaction may be sent, beyond the chart: custom
 * transaction numbers (SalesFormsPrefs.CustomTxnNumbers) and currencies (CurrencyPrefs, and the
 * CompanyCurrency list when multicurrency is on). Read from the Preferences object already fetched.
 */
import { z } from 'zod';
import type { CompanyCurrencies } from '../../domain/posting';
import { refSchema, type QuickBooksPreferences } from './schemas';
import type { QuickBooksClient } from './client';
import { checkShape } from './transport';

const companyPrefsSchema = z.looseObject({
  SalesFormsPrefs: z.looseObject({ CustomTxnNumbers: z.boolean().optional() }).optional(),
  CurrencyPrefs: z.looseObject({ HomeCurrency: refSchema.optional(), MultiCurrencyEnabled: z.boolean().optional() }).optional(),
});

const companyCurrencySchema = z.looseObject({ Code: z.string(), Active: z.boolean().optional() });

export interface CompanySettings {
  /** Off: QuickBooks numbers invoices and credit memos itself. Absent from Preferences: on. */
  customTxnNumbers: boolean;
  currencies: CompanyCurrencies;
}

export async function readCompanySettings(ledger: QuickBooksClient, prefs: QuickBooksPreferences): Promise<CompanySettings> {
  const parsed = checkShape(companyPrefsSchema, prefs, 'GET /preferences');
  const multicurrency = parsed.CurrencyPrefs?.MultiCurrencyEnabled === true;
  let active: string[] = [];
  if (multicurrency) {
    const response = await ledger.queryStatement('SELECT * FROM CompanyCurrency MAXRESULTS 1000');
    const rows = checkShape(z.array(companyCurrencySchema).optional(), response.CompanyCurrency, 'GET /query (CompanyCurrency)') ?? [];
    active = rows.filter((c) => c.Active !== false).map((c) => c.Code);
  }
  return {
    customTxnNumbers: parsed.SalesFormsPrefs?.CustomTxnNumbers !== false,
    currencies: { home: parsed.CurrencyPrefs?.HomeCurrency?.value || 'USD', multicurrency, active },
  };
}
