/**
 * Seeds: `empty` is a new company (preferences only); `demo` is the Ledgerline IT company whose
 * chart of accounts, classes, items, terms, tax codes, customers and vendors match the ConnectWise
 * demo GL table (both come from sandbox/shared/demo-chart.ts). Name-list objects go through the
 * same validation as API writes, so the seed cannot hold what QuickBooks would refuse.
 */
import { DEMO_ACCOUNTS, DEMO_CLASSES, DEMO_CUSTOMERS, DEMO_ITEMS, DEMO_TAX_CODES, DEMO_TERMS, DEMO_VENDORS } from '../shared/demo-chart';
import { homeCurrency } from './currencies';
import { executeWrite } from './operations';
import { seedDemoTokens } from './oauth';
import { allocateId, emptyRealm, qboTimestamp, table, type QboEntity, type RealmState } from './state';

/**
 * `demo` is a US company with manual sales tax; `demo-ast` the same company on Automated Sales Tax;
 * `demo-ca` the same chart in a Canadian company (tax codes on every line, CAD home currency with
 * USD added, as ConnectWise's demo records are in USD; the demo customers and vendors are kept in USD).
 */
export type SeedName = 'demo' | 'demo-ast' | 'demo-ca' | 'empty';

export const SEED_NAMES: readonly SeedName[] = ['demo', 'demo-ast', 'demo-ca', 'empty'];

const CTX = { allowDuplicateDocNum: false };

function create(realm: RealmState, entity: string, body: Record<string, unknown>): QboEntity {
  return executeWrite(realm, entity, 'create', body, CTX);
}

function byName(realm: RealmState, entity: string, name: string): { value: string; name: string } {
  const row = Object.values(realm.entities[entity] ?? {}).find((r) => r.Name === name || r.DisplayName === name);
  if (!row) throw new Error(`demo seed: ${entity} "${name}" is missing`);
  return { value: row.Id, name };
}

/** Tax codes and rates are read-only through the API, so the seed writes them directly. */
function seedTax(realm: RealmState): void {
  const now = qboTimestamp();
  const meta = { CreateTime: now, LastUpdatedTime: now };
  const rates = new Map<string, string>();
  for (const code of DEMO_TAX_CODES) {
    for (const level of code.levels) {
      if (rates.has(level.name)) continue;
      const id = allocateId(realm);
      rates.set(level.name, id);
      table(realm, 'TaxRate')[id] = {
        Id: id,
        SyncToken: '0',
        Name: level.name,
        Description: level.agency,
        RateValue: Number(level.ratePercent),
        Active: true,
        SpecialTaxType: 'NONE',
        DisplayType: 'ReadOnly',
        MetaData: meta,
      };
    }
  }
  // US companies also answer to the pseudo codes TAX and NON on transaction lines.
  const pseudo = String(realm.companyInfo.Country) === 'US' ? ([['TAX', 'TAX', true], ['NON', 'NON', false]] as const) : [];
  for (const [id, name, taxable] of pseudo) {
    table(realm, 'TaxCode')[id] = { Id: id, SyncToken: '0', Name: name, Description: name === 'TAX' ? 'Taxable' : 'Non-taxable', Active: true, Taxable: taxable, TaxGroup: false, MetaData: meta };
  }
  for (const code of DEMO_TAX_CODES) {
    const id = allocateId(realm);
    table(realm, 'TaxCode')[id] = {
      Id: id,
      SyncToken: '0',
      Name: code.name,
      Description: code.description,
      Active: true,
      Taxable: code.levels.length > 0,
      TaxGroup: code.levels.length > 1,
      SalesTaxRateList: {
        TaxRateDetail: code.levels.map((l, i) => ({ TaxRateRef: { value: rates.get(l.name)!, name: l.name }, TaxTypeApplicable: 'TaxOnAmount', TaxOrder: i })),
      },
      PurchaseTaxRateList: { TaxRateDetail: [] },
      MetaData: meta,
    };
  }
}

function seedDemo(realm: RealmState): void {
  for (const a of DEMO_ACCOUNTS) {
    create(realm, 'Account', {
      Name: a.name,
      AcctNum: a.number,
      AccountType: a.accountType,
      AccountSubType: a.accountSubType,
      ...(a.parent ? { SubAccount: true, ParentRef: byName(realm, 'Account', a.parent) } : {}),
    });
  }
  for (const name of DEMO_CLASSES) create(realm, 'Class', { Name: name });
  for (const t of DEMO_TERMS) create(realm, 'Term', { Name: t.name, DueDays: t.dueDays });
  seedTax(realm);
  for (const item of DEMO_ITEMS) {
    create(realm, 'Item', {
      Name: item.name,
      Type: item.type,
      Description: item.description,
      UnitPrice: Number(item.unitPrice),
      Taxable: item.taxable,
      IncomeAccountRef: byName(realm, 'Account', item.incomeAccount),
      ...(item.expenseAccount ? { ExpenseAccountRef: byName(realm, 'Account', item.expenseAccount), PurchaseCost: Number(item.unitCost ?? 0) } : {}),
      ...(item.type === 'Inventory'
        ? { AssetAccountRef: byName(realm, 'Account', item.assetAccount!), TrackQtyOnHand: true, QtyOnHand: 100, InvStartDate: '2026-01-01' }
        : {}),
    });
  }
  for (const c of DEMO_CUSTOMERS) {
    const taxCode = Object.values(realm.entities.TaxCode).find((t) => t.Name === c.taxCode);
    create(realm, 'Customer', {
      DisplayName: c.name,
      CompanyName: c.name,
      GivenName: c.contact.firstName,
      FamilyName: c.contact.lastName,
      PrimaryEmailAddr: { Address: c.contact.email },
      SalesTermRef: byName(realm, 'Term', c.terms),
      Taxable: c.taxCode !== 'Exempt',
      ...(taxCode && c.taxCode !== 'Exempt' ? { DefaultTaxCodeRef: { value: taxCode.Id } } : {}),
      Notes: `ConnectWise ${c.identifier}, account ${c.accountNumber}`,
      ...partyCurrency(realm),
    });
  }
  for (const v of DEMO_VENDORS) {
    create(realm, 'Vendor', {
      DisplayName: v.name,
      CompanyName: v.kind === 'supplier' ? v.name : undefined,
      AcctNum: v.accountNumber,
      TermRef: byName(realm, 'Term', v.terms),
      Vendor1099: false,
      ...partyCurrency(realm),
    });
  }
  // Office staff on QuickBooks payroll: employees hold display names too.
  for (const [given, family] of [['Morgan', 'Lee'], ['Priya', 'Raman']]) create(realm, 'Employee', { GivenName: given, FamilyName: family, DisplayName: `${given} ${family}` });
}

/**
 * The demo parties trade in ConnectWise's demo currency (USD): in a company whose home currency is
 * another, they are kept in USD, as QuickBooks posts a party's transactions only in its currency.
 */
function partyCurrency(realm: RealmState): { CurrencyRef?: { value: string } } {
  return homeCurrency(realm) !== 'USD' ? { CurrencyRef: { value: 'USD' } } : {};
}

function asCanadianCompany(realm: RealmState): void {
  realm.companyInfo = { ...realm.companyInfo, Country: 'CA', CompanyName: 'Ledgerline IT Canada (sandbox)', LegalName: 'Ledgerline IT Canada Ltd.' };
  realm.preferences.CurrencyPrefs = { HomeCurrency: { value: 'CAD' }, MultiCurrencyEnabled: true };
  const id = allocateId(realm);
  const now = qboTimestamp();
  table(realm, 'CompanyCurrency')[id] = { Id: id, SyncToken: '0', Code: 'USD', Name: 'United States Dollar', Active: true, MetaData: { CreateTime: now, LastUpdatedTime: now } };
}

export function seededRealm(realmId: string, seed: SeedName): RealmState {
  const realm = emptyRealm(realmId);
  seedDemoTokens(realm);
  if (seed === 'demo-ca') asCanadianCompany(realm);
  if (seed === 'demo-ast') realm.preferences.TaxPrefs = { UsingSalesTax: true, PartnerTaxEnabled: true };
  if (seed !== 'empty') seedDemo(realm);
  return realm;
}

/** Benchmarks: N more customers with predictable names. */
export function addGeneratedCustomers(realm: RealmState, count: number): void {
  const start = Object.keys(realm.entities.Customer ?? {}).length + 1;
  for (let i = 0; i < count; i++) {
    const n = String(start + i).padStart(5, '0');
    create(realm, 'Customer', { DisplayName: `Generated Customer ${n}`, CompanyName: `Generated Customer ${n}` });
  }
}
