/**
 * The tax facts of the accounting company: its country (CompanyInfo.Country, which also decides the
 * account-fit rules) and its tax codes and rates (TaxCode, TaxRate), inactive ones included so a
 * miss can be named precisely.
 */
import { z } from 'zod';
import type { ChartNamed } from '../domain/gl';
import type { TaxChart } from '../domain/posting';
import type { QuickBooksClient } from './quickbooks';

const named = z.looseObject({ Id: z.string(), Name: z.string(), Active: z.boolean().optional() });
const companyInfo = z.looseObject({ Country: z.string().optional() });

export interface TaxFacts {
  country: string;
  chart: TaxChart;
}

export async function loadTaxFacts(ledger: QuickBooksClient): Promise<TaxFacts> {
  const [info, codes, rates] = await Promise.all([
    ledger.read('CompanyInfo', ledger.realmId),
    ledger.listTaxCodes({ includeInactive: true }),
    ledger.queryAll('TaxRate'),
  ]);
  const country = companyInfo.parse(info).Country?.trim() || 'US';
  const list = (rows: unknown[]): ChartNamed[] => rows.map((r) => named.parse(r));
  return { country: country.toUpperCase(), chart: { taxCodes: list(codes), taxRates: list(rates) } };
}
