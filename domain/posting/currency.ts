/**
 * A record's currency must be one the QuickBooks company can post in: its home currency, or, with
 * multicurrency on, a currency the company has added (and left active). QuickBooks refuses any
 * other, so such a record fails here, before anything is sent, with the fix.
 */
import { LedgerError } from '../errors';
import type { TransactionDraft } from './draft';

export interface CompanyCurrencies {
  /** Preferences.CurrencyPrefs.HomeCurrency, e.g. "USD". */
  home: string;
  /** Preferences.CurrencyPrefs.MultiCurrencyEnabled (once on, QuickBooks cannot turn it off). */
  multicurrency: boolean;
  /** Codes of the company's active currencies (CompanyCurrency), read only with multicurrency on. */
  active: readonly string[];
}

export function checkCurrency(draft: TransactionDraft, company: CompanyCurrencies | undefined): void {
  const code = draft.currency?.trim().toUpperCase();
  if (company === undefined || code === undefined || code === '' || code === company.home.toUpperCase()) return;
  const details = { currency: code, home: company.home, multicurrency: company.multicurrency };
  if (!company.multicurrency) {
    throw new LedgerError('ValidationRejected', `${draft.recordLabel} is in ${code}, but this QuickBooks company posts only in its home currency ${company.home} (multicurrency is off)`, {
      record: draft.recordLabel,
      fix: `Bill the record in ${company.home} in ConnectWise, or turn on multicurrency in QuickBooks (Settings > Advanced > Currency; it cannot be turned off again) and add ${code}; then retry it.`,
      details,
    });
  }
  if (!company.active.some((c) => c.toUpperCase() === code)) {
    const known = [company.home, ...company.active].join(', ');
    throw new LedgerError('ValidationRejected', `${draft.recordLabel} is in ${code}, which is not one of this QuickBooks company's active currencies (${known})`, {
      record: draft.recordLabel,
      fix: `Add ${code} to the company's currencies in QuickBooks (or make it active again), or bill the record in one of ${known} in ConnectWise; then retry it.`,
      details,
    });
  }
}

/** The currency a record posts in: its own, else the company's home currency. */
export function recordCurrency(draft: TransactionDraft, company: CompanyCurrencies): string {
  return draft.currency?.trim().toUpperCase() || company.home.toUpperCase();
}

/**
 * With multicurrency on, a QuickBooks customer or vendor trades in one currency, and QuickBooks
 * refuses its transactions in any other: such a record fails before anything is sent.
 */
export function checkPartyCurrency(
  draft: TransactionDraft,
  party: { list: 'Customer' | 'Vendor'; name: string; currency: string | undefined },
  company: CompanyCurrencies | undefined,
): void {
  if (company === undefined || !company.multicurrency) return;
  const wanted = recordCurrency(draft, company);
  const held = (party.currency ?? company.home).toUpperCase();
  if (held === wanted) return;
  const what = party.list.toLowerCase();
  throw new LedgerError('ValidationRejected', `${draft.recordLabel} is in ${wanted}, but ${what} "${party.name}" trades in ${held} in QuickBooks, which posts a ${what}'s transactions only in its currency`, {
    record: draft.recordLabel,
    fix: `Bill the record in ${held} in ConnectWise, or post it to a ${what} kept in ${wanted} in QuickBooks (a ${what}'s currency is set when it is created: create one in ${wanted} and move the ConnectWise line of its Notes to it), then retry it.`,
    details: { currency: wanted, partyCurrency: held },
  });
}
