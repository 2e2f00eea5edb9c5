/**
 * Sales tax as QuickBooks applies it, by the company's model:
 *   - US: transaction lines carry only the pseudo codes TAX or NON (anything else is 6100);
 *   - US with Automated Sales Tax (Preferences.TaxPrefs.PartnerTaxEnabled): QuickBooks assigns the
 *     tax code and computes the tax itself; a TotalTax sent with the transaction is honoured and
 *     spread over the rates of the assigned code. The sandbox assigns the customer's default tax
 *     code (what AST fills Customer.DefaultTaxCodeRef with), else the company's first taxable code,
 *     as its stand-in for the address-based lookup, and none for a tax-exempt customer;
 *   - outside the US every sales and purchase line needs a TaxCodeRef naming a TaxCode by Id.
 */
import { refId, canonicalRef, resolveRef } from './refs';
import { cents, num } from './money';
import { businessRule, validation } from './faults';
import type { QboEntity, RealmState } from './state';

type Body = Record<string, unknown>;

export function companyCountry(realm: RealmState): string {
  return String(realm.companyInfo.Country ?? 'US').toUpperCase();
}

export function usesAutomatedSalesTax(realm: RealmState): boolean {
  const prefs = realm.preferences.TaxPrefs as { PartnerTaxEnabled?: unknown } | undefined;
  return companyCountry(realm) === 'US' && prefs?.PartnerTaxEnabled === true;
}

/**
 * A line's TaxCodeRef. Outside the US a line without one is refused with 6000; the Detail is the
 * wording reported for Canadian companies (third-party report, activepieces#8539); the wording for
 * other countries is unverified.
 */
export function checkLineTaxCode(realm: RealmState, detail: Body, element: string): void {
  if (companyCountry(realm) !== 'US') {
    if (detail.TaxCodeRef === undefined || detail.TaxCodeRef === null) {
      throw businessRule('Make sure all your transactions have a GST/HST rate before you save.', element);
    }
    detail.TaxCodeRef = canonicalRef(resolveRef(realm, 'TaxCode', detail.TaxCodeRef, element));
    return;
  }
  const id = refId(detail.TaxCodeRef);
  if (detail.TaxCodeRef === undefined || id === 'TAX' || id === 'NON') return;
  throw validation('6100', 'Invalid line TaxCode', `Invalid TaxCode ${id ?? ''} on a line: use TAX or NON, and put the sales tax code in TxnTaxDetail.TxnTaxCodeRef`, element);
}

function assignedTaxCode(realm: RealmState, customer: QboEntity): QboEntity | undefined {
  // A tax-exempt customer is charged no tax.
  if (customer.Taxable === false) return undefined;
  const codes = realm.entities.TaxCode ?? {};
  const own = codes[refId(customer.DefaultTaxCodeRef) ?? ''];
  if (own && own.Active !== false) return own;
  return Object.values(codes).find((c) => c.Active !== false && c.Taxable === true && c.Id !== 'TAX');
}

/**
 * Automated Sales Tax on a sales form: the tax code is assigned, each rate's tax computed on the
 * TAX lines (to the cent, per rate), and TotalTax is the sum, unless the request sent one: then
 * that amount stands and each rate's Amount is its share of it (TaxPercent and NetAmountTaxable
 * keep what QuickBooks computed). TaxReviewStatus AST_TAX_OVERRIDE on an overridden transaction
 * is unverified (the XSD lists the value; when QuickBooks sets it is not documented).
 */
export function applyAutomatedSalesTax(realm: RealmState, body: Body, customer: QboEntity, taxableCents: number): void {
  const sent = body.TxnTaxDetail as Body | undefined;
  const override = num(sent?.TotalTax);
  const code = assignedTaxCode(realm, customer);
  const details = ((code?.SalesTaxRateList as { TaxRateDetail?: Array<{ TaxRateRef?: unknown }> } | undefined)?.TaxRateDetail ?? []).map((d) => realm.entities.TaxRate?.[refId(d.TaxRateRef) ?? '']).filter((r): r is QboEntity => r !== undefined);
  const computed = details.map((rate) => Math.round((taxableCents * (num(rate.RateValue) ?? 0)) / 100));
  const computedTotal = computed.reduce((a, b) => a + b, 0);
  const total = override === undefined ? computedTotal : cents(override);
  let left = total;
  const lines = details.map((rate, i) => {
    const share = i === details.length - 1 ? left : computedTotal === 0 ? 0 : Math.round((total * computed[i]) / computedTotal);
    left -= share;
    return {
      Amount: share / 100,
      DetailType: 'TaxLineDetail',
      TaxLineDetail: { TaxRateRef: canonicalRef(rate), PercentBased: true, TaxPercent: num(rate.RateValue) ?? 0, NetAmountTaxable: taxableCents / 100 },
    };
  });
  body.TxnTaxDetail = {
    ...(code ? { TxnTaxCodeRef: canonicalRef(code) } : {}),
    TotalTax: total / 100,
    TaxLine: lines,
    ...(override !== undefined ? { TaxReviewStatus: 'AST_TAX_OVERRIDE' } : {}),
  };
}
