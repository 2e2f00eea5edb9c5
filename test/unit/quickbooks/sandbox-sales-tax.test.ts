/** The QuickBooks sandbox applies sales tax by the company's model, as QuickBooks does. */
import { seededRealm, type SeedName } from '../../../dev/sandbox/quickbooks/seed';
import { executeWrite } from '../../../dev/sandbox/quickbooks/operations';
import { QboFault } from '../../../dev/sandbox/quickbooks/faults';
import type { RealmState } from '../../../dev/sandbox/quickbooks/state';

const byName = (realm: RealmState, entity: string, name: string) => Object.values(realm.entities[entity] ?? {}).find((r) => r.Name === name || r.DisplayName === name)!;
const ctx = { allowDuplicateDocNum: false };

function fault(fn: () => unknown): { code: string; Detail: string; element: string } {
  try {
    fn();
  } catch (err) {
    if (err instanceof QboFault) return (err.answer.body as { Fault: { Error: Array<{ code: string; Detail: string; element: string }> } }).Fault.Error[0];
    throw err;
  }
  throw new Error('expected a QuickBooks fault');
}

function invoice(seed: SeedName, line: Record<string, unknown>, extra: Record<string, unknown> = {}) {
  const realm = seededRealm('9130000000000101', seed);
  const item = byName(realm, 'Item', 'SSD-1TB');
  // Acme Dental Group: Seattle (WA State 6.5%, King County 1.5%, Seattle City 2.35%).
  const customer = byName(realm, 'Customer', 'Acme Dental Group');
  const body = { CustomerRef: { value: customer.Id }, Line: [{ Amount: 218, DetailType: 'SalesItemLineDetail', SalesItemLineDetail: { ItemRef: { value: item.Id }, ...line } }], ...extra };
  return { realm, write: () => executeWrite(realm, 'Invoice', 'create', body, ctx) };
}

describe('sandbox sales tax', () => {
  it('US: a line tax code other than TAX or NON is 6100', () => {
    const { realm, write } = invoice('demo', { TaxCodeRef: { value: 'x' } });
    expect(realm.companyInfo.Country).toBe('US');
    expect(fault(write).code).toBe('6100');
  });

  it('outside the US: a line without a tax code is refused with 6000, naming the line', () => {
    const { realm, write } = invoice('demo-ca', {});
    expect(realm.companyInfo.Country).toBe('CA');
    const f = fault(write);
    expect(f.code).toBe('6000');
    expect(f.Detail).toContain('GST/HST rate');
    expect(f.element).toBe('Line[0].SalesItemLineDetail.TaxCodeRef');
  });

  it('outside the US: a line tax code must be a TaxCode id (TAX is not one)', () => {
    const { write } = invoice('demo-ca', { TaxCodeRef: { value: 'TAX' } });
    expect(fault(write).code).toBe('2500');
    const ok = invoice('demo-ca', {});
    const code = byName(ok.realm, 'TaxCode', 'Seattle');
    const body = { CustomerRef: { value: byName(ok.realm, 'Customer', 'Acme Dental Group').Id }, Line: [{ Amount: 10, DetailType: 'SalesItemLineDetail', SalesItemLineDetail: { ItemRef: { value: byName(ok.realm, 'Item', 'SSD-1TB').Id }, TaxCodeRef: { value: code.Id } } }] };
    expect(executeWrite(ok.realm, 'Invoice', 'create', body, ctx).TotalAmt).toBe(10);
  });

  it('Automated Sales Tax computes tax on TAX lines with the assigned code when none is sent', () => {
    const { write } = invoice('demo-ast', { TaxCodeRef: { value: 'TAX' } });
    const txn = write();
    const detail = txn.TxnTaxDetail as { TotalTax: number; TxnTaxCodeRef: { name: string }; TaxLine: Array<{ Amount: number; TaxLineDetail: { TaxPercent: number; NetAmountTaxable: number } }> };
    expect(detail.TxnTaxCodeRef.name).toBe('Seattle');
    expect(detail.TaxLine.map((l) => [l.Amount, l.TaxLineDetail.TaxPercent, l.TaxLineDetail.NetAmountTaxable])).toEqual([[14.17, 6.5, 218], [3.27, 1.5, 218], [5.12, 2.35, 218]]);
    expect(detail.TotalTax).toBe(22.56);
    expect(txn.TotalAmt).toBe(240.56);
  });

  it('Automated Sales Tax honours a sent TotalTax and spreads it over the rates, keeping what it computed', () => {
    const { write } = invoice('demo-ast', { TaxCodeRef: { value: 'TAX' } }, { TxnTaxDetail: { TotalTax: 20 } });
    const txn = write();
    const detail = txn.TxnTaxDetail as { TotalTax: number; TaxReviewStatus: string; TaxLine: Array<{ Amount: number; TaxLineDetail: { TaxPercent: number } }> };
    expect(detail.TotalTax).toBe(20);
    expect(detail.TaxReviewStatus).toBe('AST_TAX_OVERRIDE');
    expect(detail.TaxLine.reduce((s, l) => s + Math.round(l.Amount * 100), 0)).toBe(2000);
    expect(detail.TaxLine.map((l) => l.TaxLineDetail.TaxPercent)).toEqual([6.5, 1.5, 2.35]);
    expect(txn.TotalAmt).toBe(238);
  });

  it('Automated Sales Tax charges a tax-exempt customer nothing', () => {
    const realm = seededRealm('9130000000000102', 'demo-ast');
    const customer = byName(realm, 'Customer', 'Salish Arts Foundation');
    const body = { CustomerRef: { value: customer.Id }, Line: [{ Amount: 100, DetailType: 'SalesItemLineDetail', SalesItemLineDetail: { ItemRef: { value: byName(realm, 'Item', 'SSD-1TB').Id }, TaxCodeRef: { value: 'TAX' } } }] };
    const txn = executeWrite(realm, 'Invoice', 'create', body, ctx);
    expect((txn.TxnTaxDetail as { TotalTax: number }).TotalTax).toBe(0);
    expect(txn.TotalAmt).toBe(100);
  });

  it('without Automated Sales Tax a sent TotalTax is simply the tax', () => {
    const { write } = invoice('demo', { TaxCodeRef: { value: 'TAX' } }, { TxnTaxDetail: { TotalTax: 20 } });
    expect((write().TxnTaxDetail as { TaxLine?: unknown }).TaxLine).toBeUndefined();
  });
});
