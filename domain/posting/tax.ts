/**
 * Sales tax as the accounting company keeps it. QuickBooks Online has three models:
 *   - US, manual sales tax: lines are TAX or NON; the transaction names its tax code and one tax
 *     line per rate (each rate belongs to an agency, whose Sales Tax Payable it posts to);
 *   - US with Automated Sales Tax (Preferences.TaxPrefs.PartnerTaxEnabled): QuickBooks assigns the
 *     tax code and computes the tax; an explicit TxnTaxDetail.TotalTax is honoured as an override
 *     and spread over the rates of the code it assigned;
 *   - outside the US: every line carries a tax code (a TaxCode Id), from which QuickBooks computes.
 * ConnectWise has already computed the tax per level, so that is what is posted in every model.
 */
import { LedgerError } from '../errors';
import type { ChartNamed, LedgerRef } from '../gl/chart';
import { formatMoney, moneyNumber, parseMoney, type Cents } from '../money';
import type { TransactionDraft } from './draft';

export type TaxRegime =
  | { kind: 'usManual' }
  | { kind: 'usAutomated'; tolerance: string; aboveTolerance: 'warn' | 'refuse' }
  | { kind: 'nonUs'; country: string; nonTaxableTaxCode: string };

export interface TaxSettings {
  /** Largest accepted |ConnectWise tax - QuickBooks' automated tax| per invoice. Default "0.00". */
  astTolerance?: string;
  /** Above the tolerance: post with a warning, or fail the record. Default warn. */
  astAboveTolerance?: 'warn' | 'refuse';
  /** Non-US: the tax code sent on lines ConnectWise did not tax. Default "Exempt". */
  nonTaxableTaxCode?: string;
}

/** The company's tax model from CompanyInfo.Country and Preferences.TaxPrefs. */
export function taxRegimeOf(company: { country?: string; partnerTaxEnabled?: boolean }, settings: TaxSettings = {}): TaxRegime {
  const country = (company.country ?? 'US').trim().toUpperCase() || 'US';
  if (country !== 'US') return { kind: 'nonUs', country, nonTaxableTaxCode: settings.nonTaxableTaxCode ?? 'Exempt' };
  if (company.partnerTaxEnabled === true) {
    return { kind: 'usAutomated', tolerance: formatMoney(parseMoney(settings.astTolerance ?? '0.00')), aboveTolerance: settings.astAboveTolerance ?? 'warn' };
  }
  return { kind: 'usManual' };
}

/** References the tax part of a payload needs. */
export interface TaxRefs {
  /** The record's tax code (US manual: TxnTaxCodeRef; non-US: taxed lines). */
  taxCode?: LedgerRef;
  /** Tax code cross-reference of a level -> its tax rate. */
  taxRates?: Record<string, LedgerRef>;
  /** Non-US: the tax code of each sales line, by its index in draft.lines. */
  lineTaxCodes?: Record<number, LedgerRef>;
}

export interface TaxChart {
  taxCodes: readonly ChartNamed[];
  taxRates: readonly ChartNamed[];
}

const isActive = (e: { Active?: boolean }) => e.Active !== false;
const refOf = (e: ChartNamed): LedgerRef => ({ value: e.Id, name: e.Name });
const isSales = (draft: TransactionDraft) => draft.kind === 'Invoice' || draft.kind === 'CreditMemo';
const isPurchaseForm = (draft: TransactionDraft) => draft.kind === 'Bill' || draft.kind === 'Purchase';

function byName(list: readonly ChartNamed[], name: string): ChartNamed | undefined {
  return list.find((e) => isActive(e) && e.Name === name);
}

/**
 * The tax references a draft needs in the company's model; every miss fails the record, naming
 * the ConnectWise tax code or level and the fix, before anything is sent.
 */
export function matchTaxRefs(draft: TransactionDraft, regime: TaxRegime, chart: TaxChart): TaxRefs {
  const refs: TaxRefs = {};
  const problems: string[] = [];
  const fixes = new Set<string>();
  const code = (name: string, why: string): LedgerRef | undefined => {
    const found = byName(chart.taxCodes, name);
    if (found) return refOf(found);
    problems.push(`QuickBooks has no active tax code "${name}" (${why})`);
    fixes.add(`Create the tax code "${name}" in QuickBooks (Taxes > Sales tax settings), or rename the ConnectWise tax code to the QuickBooks one, then retry the record.`);
    return undefined;
  };
  const rates = () => {
    for (const t of draft.taxLines) {
      if (t.taxCodeXref === undefined) {
        problems.push(`its tax level ${t.level ?? '?'} (${t.amount}) has no tax code cross-reference`);
        fixes.add('Set the Tax Code Xref of every level of the tax code in ConnectWise (Setup Tables > Tax Code), then reopen and close the record.');
        continue;
      }
      const rate = byName(chart.taxRates, t.taxCodeXref);
      if (rate) (refs.taxRates ??= {})[t.taxCodeXref] = refOf(rate);
      else {
        problems.push(`QuickBooks has no active tax rate "${t.taxCodeXref}" for tax level ${t.level ?? '?'}`);
        fixes.add(`Create the tax rate "${t.taxCodeXref}" in QuickBooks with its agency, or set the level's Tax Code Xref in ConnectWise to the QuickBooks rate's name.`);
      }
    }
  };

  if (regime.kind === 'usManual' && isSales(draft) && draft.taxLines.length > 0) {
    if (draft.taxCode === undefined) {
      problems.push('it has tax but no tax code');
      fixes.add('Set the tax code on the invoice in ConnectWise, then reopen and close it.');
    } else {
      const found = code(draft.taxCode, 'the ConnectWise tax code of the record');
      if (found) refs.taxCode = found;
    }
    rates();
  }
  if (regime.kind === 'nonUs' && (isSales(draft) || isPurchaseForm(draft))) {
    const taxed = isSales(draft) && draft.taxLines.length > 0;
    if (taxed && draft.taxCode === undefined) {
      problems.push('it has tax but no tax code');
      fixes.add('Set the tax code on the invoice in ConnectWise, then reopen and close it.');
    }
    const taxedCode = taxed && draft.taxCode !== undefined ? code(draft.taxCode, 'the ConnectWise tax code of the record') : undefined;
    let untaxedCode: LedgerRef | undefined;
    let untaxedLooked = false;
    draft.lines.forEach((line, index) => {
      const taxedLine = taxed && line.taxable !== false;
      if (taxedLine) {
        if (taxedCode) (refs.lineTaxCodes ??= {})[index] = taxedCode;
        return;
      }
      if (!untaxedLooked) {
        untaxedLooked = true;
        untaxedCode = code(regime.nonTaxableTaxCode, 'the code for lines ConnectWise did not tax');
      }
      if (untaxedCode) (refs.lineTaxCodes ??= {})[index] = untaxedCode;
    });
    if (taxedCode) refs.taxCode = taxedCode;
    if (taxed) rates();
  }
  if (problems.length > 0) {
    throw new LedgerError('MappingMissing', `${draft.recordLabel}: ${problems.join('; ')}`, { record: draft.recordLabel, fix: [...fixes].join(' ') });
  }
  return refs;
}


/** A sales line's TaxCodeRef in the company's model; undefined sends none. */
export function salesLineTaxCode(regime: TaxRegime, refs: TaxRefs, taxable: boolean | undefined, index: number): LedgerRef | undefined {
  if (regime.kind === 'nonUs') return refs.lineTaxCodes?.[index];
  return taxable === undefined ? undefined : { value: taxable ? 'TAX' : 'NON' };
}

/** A purchase form line's TaxCodeRef: only outside the US, where every line needs one. */
export function purchaseLineTaxCode(regime: TaxRegime, refs: TaxRefs, index: number): LedgerRef | undefined {
  return regime.kind === 'nonUs' ? refs.lineTaxCodes?.[index] : undefined;
}

/**
 * A sales document's TxnTaxDetail, ConnectWise's tax per level: US manual with the tax code and
 * one line per rate; Automated Sales Tax with TotalTax only (the override, sent even when zero so
 * QuickBooks does not add tax ConnectWise did not charge); non-US with its rate lines.
 */
export function salesTxnTaxDetail(draft: TransactionDraft, regime: TaxRegime, refs: TaxRefs): Record<string, unknown> | undefined {
  const totalTax = draft.taxLines.reduce((sum, t) => sum + parseMoney(t.amount), 0n);
  if (regime.kind === 'usAutomated') return { TotalTax: Number(formatMoney(totalTax)) };
  if (draft.taxLines.length === 0) return undefined;
  const anyFlag = draft.lines.some((l) => l.taxable !== undefined);
  const base = draft.lines.filter((l) => (anyFlag ? l.taxable === true : true)).reduce((sum, l) => sum + parseMoney(l.amount), 0n);
  const taxLines = draft.taxLines
    .filter((t) => t.taxCodeXref !== undefined && refs.taxRates?.[t.taxCodeXref] !== undefined)
    .map((t) => ({
      Amount: moneyNumber(t.amount),
      DetailType: 'TaxLineDetail',
      TaxLineDetail: { TaxRateRef: refs.taxRates![t.taxCodeXref!], PercentBased: false, NetAmountTaxable: Number(formatMoney(base)) },
    }));
  return {
    ...(regime.kind === 'usManual' && refs.taxCode !== undefined && { TxnTaxCodeRef: refs.taxCode }),
    TotalTax: Number(formatMoney(totalTax)),
    ...(taxLines.length > 0 && { TaxLine: taxLines }),
  };
}

export interface AstTaxCheck {
  /** What was sent (ConnectWise's tax) minus what QuickBooks' automated tax computed. */
  delta: string;
  computed: string;
  sent: string;
  aboveTolerance: boolean;
}

const toCents = (n: unknown): Cents => parseMoney((typeof n === 'number' ? n : Number(n ?? 0)).toFixed(2));

/**
 * What Automated Sales Tax computed for a posted sales document, read from its TaxLines: each
 * keeps the rate QuickBooks assigned (TaxPercent) and the amount it taxed (NetAmountTaxable),
 * while Amount carries its share of the override. Unverified against a live AST company: that an
 * overridden transaction's TaxLines keep TaxPercent and NetAmountTaxable as computed.
 */
export function astTaxCheck(posted: Record<string, unknown>, sentTotalTax: string, regime: Extract<TaxRegime, { kind: 'usAutomated' }>): AstTaxCheck {
  const detail = (posted.TxnTaxDetail ?? {}) as { TaxLine?: Array<{ TaxLineDetail?: { TaxPercent?: unknown; NetAmountTaxable?: unknown } }> };
  let computedMilli = 0n;
  for (const line of detail.TaxLine ?? []) {
    const d = line.TaxLineDetail ?? {};
    // Percent with up to 4 decimals x cents: keep it exact, round half up to the cent per rate.
    const percent = BigInt(Math.round(Number(d.TaxPercent ?? 0) * 10_000));
    const base = toCents(d.NetAmountTaxable);
    computedMilli += (base * percent + 500_000n) / 1_000_000n;
  }
  const sent = parseMoney(sentTotalTax);
  const delta = sent - computedMilli;
  const magnitude = delta < 0n ? -delta : delta;
  return { delta: formatMoney(delta), computed: formatMoney(computedMilli), sent: formatMoney(sent), aboveTolerance: magnitude > parseMoney(regime.tolerance) };
}
