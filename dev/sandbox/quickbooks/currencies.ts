/**
 * Currencies as a QuickBooks company has them: its home currency (Preferences.CurrencyPrefs), and,
 * with multicurrency on, the currencies it added (CompanyCurrency). A transaction, customer or
 * vendor may use only those.
 */
import { businessRule, validation } from './faults';
import type { RealmState } from './state';

const NAMES: Record<string, string> = { USD: 'United States Dollar', CAD: 'Canadian Dollar', GBP: 'British Pound Sterling', EUR: 'Euro', AUD: 'Australian Dollar' };

interface CurrencyPrefs {
  HomeCurrency?: { value?: string };
  MultiCurrencyEnabled?: boolean;
}

const prefsOf = (realm: RealmState) => realm.preferences.CurrencyPrefs as CurrencyPrefs | undefined;

export function homeCurrency(realm: RealmState): string {
  return prefsOf(realm)?.HomeCurrency?.value ?? 'USD';
}

/** A reference to a currency as QuickBooks writes it back: code and name. */
export function currencyRef(code: string): { value: string; name?: string } {
  return NAMES[code] ? { value: code, name: NAMES[code] } : { value: code };
}

/** The home currency, or (multicurrency on) an active currency the company has added; else QuickBooks' refusal. */
export function checkCurrencyEnabled(realm: RealmState, code: string | undefined, element: string): void {
  const home = homeCurrency(realm);
  if (code === undefined || code === home) return;
  if (prefsOf(realm)?.MultiCurrencyEnabled !== true) {
    throw businessRule(`Multicurrency is not enabled for this company; transactions must be in the home currency ${home}. Supplied currency: ${code}`, element);
  }
  const known = Object.values(realm.entities.CompanyCurrency ?? {}).some((c) => c.Code === code && c.Active !== false);
  if (!known) throw validation('2500', 'Invalid Reference Id', `Invalid Reference Id : Currency element id ${code} not found`, element);
}
