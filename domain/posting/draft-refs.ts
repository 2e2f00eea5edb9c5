/**
 * Matching a draft onto the accounting package's lists: every account, class, item, the party, the
 * terms and the tax code. All misses of one record are reported together, so one look at the
 * report fixes the mapping instead of one miss per batch run.
 */
import { LedgerError } from '../errors';
import type { ChartItem, LedgerRef } from '../gl/chart';
import type { ChartMatcher } from '../gl/chart-match';
import type { AccountRole } from '../gl/account-fit';
import type { DraftLine, TransactionDraft } from './draft';
import { recordClasses, type ClassTracking } from './class-placement';
import { LIST_OF_ROLE, clashingHolder, displayNameProblem, partyCollision, partyNameRefused, pendingPartyRef, type PartyNeed } from '../parties';
import { checkPartyCurrency, recordCurrency, type CompanyCurrencies } from './currency';

export type PurchasePaymentType = 'Cash' | 'Check' | 'CreditCard';

/** What toQuickBooksPayload needs besides the draft: references keyed by the PSA's strings. */
export interface DraftRefs {
  /** The customer or vendor; a pending reference (pendingPartyRef) while `newParty` is to be created. */
  party?: LedgerRef;
  /** The party to create before posting (only with MatchOptions.createMissingParties). */
  newParty?: PartyNeed;
  terms?: LedgerRef;
  taxCode?: LedgerRef;
  /** GL account string -> account. */
  accounts: Record<string, LedgerRef>;
  /** Class name -> class. */
  classes: Record<string, LedgerRef>;
  /** GL Product ID -> item. */
  items: Record<string, LedgerRef>;
  /**
   * Sales lines (invoice, credit memo) by their index in draft.lines -> the item the line is sent
   * with: one whose income account is the line's GL account (see salesLineItem).
   */
  salesItems?: Record<number, LedgerRef>;
  /** Tax code cross-reference of a tax level -> tax rate, when known. */
  taxRates?: Record<string, LedgerRef>;
  /** Outside the US: each line's tax code, by its index in draft.lines (see matchTaxRefs). */
  lineTaxCodes?: Record<number, LedgerRef>;
  /** For a Purchase: how the paying account pays. */
  paymentType?: PurchasePaymentType;
}

export interface MatchOptions {
  /** Create customers and vendors QuickBooks does not have (after a name-clash check). Default off. */
  createMissingParties?: boolean;
  /** The company's class tracking; off, no class is sent, so none is looked up. Default line. */
  classTracking?: ClassTracking;
  /** The company's currencies: with multicurrency on, the party must trade in the record's currency. */
  currencies?: CompanyCurrencies;
}

export interface MatchedDraft {
  refs: DraftRefs;
  warnings: string[];
}

const PAYMENT_TYPE_BY_ACCOUNT_TYPE: Record<string, PurchasePaymentType> = { 'Credit Card': 'CreditCard', Bank: 'Cash' };

export function matchDraftRefs(draft: TransactionDraft, matcher: ChartMatcher, options: MatchOptions = {}): MatchedDraft {
  const refs: DraftRefs = { accounts: {}, classes: {}, items: {} };
  const warnings: string[] = [];
  const errors: LedgerError[] = [];
  const attempt = (fn: () => void) => {
    try {
      fn();
    } catch (err) {
      if (err instanceof LedgerError) errors.push(err);
      else throw err;
    }
  };
  const account = (gl: string, role: AccountRole) =>
    attempt(() => {
      const m = matcher.account(gl, role);
      refs.accounts[gl] = m.ref;
      warnings.push(...m.warnings);
      if (draft.kind === 'Purchase' && draft.control?.account === gl) {
        const paymentType = PAYMENT_TYPE_BY_ACCOUNT_TYPE[m.account.AccountType];
        if (paymentType === undefined) {
          throw new LedgerError('AccountTypeMismatch', `${draft.recordLabel}: a Purchase is paid from a Bank or Credit Card account; "${gl}" has type ${m.account.AccountType}`, {
            record: draft.recordLabel,
            fix: 'Map Expense Offset to the company card or bank account, or post expenses as journal entries.',
          });
        }
        refs.paymentType = paymentType;
      }
    });
  const cls = (name: string | undefined) =>
    name !== undefined && options.classTracking !== 'none' && attempt(() => (refs.classes[name] = matcher.class(name)));

  if (draft.control) {
    account(draft.control.account, draft.control.accountType);
    cls(draft.control.class);
  }
  draft.lines.forEach((line, index) => {
    account(line.account, line.accountType);
    cls(line.class);
    if (line.productId !== undefined && line.detail !== 'account' && line.detail !== 'journal') {
      const productId = line.productId;
      attempt(() => {
        const { ref, item } = matcher.item(productId);
        refs.items[productId] = ref;
        if (line.detail === 'sales') salesLineItem(draft, line, index, item, ref, refs, matcher);
      });
    }
  });
  for (const tax of draft.taxLines) {
    account(tax.account, tax.accountType);
    cls(tax.class);
  }
  const party = draft.party;
  if (party) attempt(() => matchParty(draft, party, matcher, refs, options));
  const terms = draft.terms;
  if (terms !== undefined && (draft.kind === 'Invoice' || draft.kind === 'Bill')) attempt(() => (refs.terms = matcher.term(terms)));
  // Tax codes and rates depend on the company's tax model: matchTaxRefs (tax.ts).
  const unsent = options.classTracking === 'none' ? recordClasses(draft) : [];
  if (unsent.length > 0) warnings.push(`${draft.recordLabel}: GL classes ${unsent.join(', ')} are not sent; class tracking is off in QuickBooks`);

  if (errors.length > 0) {
    const first = errors[0];
    const missingParty = errors.find((e) => e.details?.missingParty !== undefined)?.details?.missingParty;
    throw new LedgerError(first.type, errors.length === 1 ? first.message : `${draft.recordLabel}: ${errors.length} problems: ${errors.map((e) => e.message).join(' | ')}`, {
      record: draft.recordLabel,
      fix: [...new Set(errors.map((e) => e.fix).filter((f): f is string => f !== undefined))].join(' '),
      details: { errors: errors.map((e) => ({ type: e.type, message: e.message })), ...(missingParty !== undefined && { missingParty }) },
    });
  }
  return { refs, warnings };
}

/**
 * The record's customer or vendor. Missing: an error naming it (details.missingParty holds the
 * party, so the dry run and the checklist can list it), or, with creation on, a pending reference
 * once the name is known not to clash with any customer, vendor or employee.
 */
function matchParty(draft: TransactionDraft, party: NonNullable<TransactionDraft['party']>, matcher: ChartMatcher, refs: DraftRefs, options: MatchOptions): void {
  const need: PartyNeed = { role: party.role, name: party.name, source: party.source, psaId: party.psaId, ...newPartyCurrency(draft, options.currencies) };
  try {
    const found = party.role === 'customer' ? matcher.customer(party) : matcher.vendor(party);
    const list = LIST_OF_ROLE[party.role] as 'Customer' | 'Vendor';
    checkPartyCurrency(draft, { list, name: found.name ?? party.name, currency: matcher.partyCurrency(list, found.value) }, options.currencies);
    refs.party = found;
    return;
  } catch (err) {
    if (!(err instanceof LedgerError) || err.details?.missingParty !== true) throw err;
    if (!options.createMissingParties) {
      throw new LedgerError(err.type, `${draft.recordLabel}: ${err.message}`, { record: draft.recordLabel, fix: err.fix, details: { ...err.details, missingParty: need } });
    }
  }
  const problem = displayNameProblem(need.name);
  if (problem) throw withMissing(partyNameRefused(need, problem, draft.recordLabel), need);
  const holder = clashingHolder(need, matcher.nameHolders(need.name));
  if (holder) throw withMissing(partyCollision(need, holder, draft.recordLabel), need);
  refs.party = pendingPartyRef(need);
  refs.newParty = need;
}

/** A party created for a record in a currency other than the home currency is created in it. */
function newPartyCurrency(draft: TransactionDraft, company: CompanyCurrencies | undefined): Pick<PartyNeed, 'currency'> {
  if (company === undefined || !company.multicurrency) return {};
  const currency = recordCurrency(draft, company);
  return currency !== company.home.toUpperCase() ? { currency } : {};
}

function withMissing(err: LedgerError, need: PartyNeed): LedgerError {
  return new LedgerError(err.type, err.message, { record: err.record, fix: err.fix, details: { ...err.details, missingParty: need } });
}

/**
 * QuickBooks posts a sales line to its item's income account, whatever account the line names, so
 * the item chooses the account. A line is sent with its GL Product ID's item when that item's
 * income account is the line's GL account; otherwise with the company's posting item for that
 * account (ChartMatcher.postingItem: an active Service or Non-inventory item whose income account
 * it is, chosen deterministically). Downpayments work the same way: their GL account is the
 * Deferred Revenue liability, so they need an item whose income account is that liability. When no
 * item posts to the account the record fails here, before anything is written.
 */
function salesLineItem(draft: TransactionDraft, line: DraftLine, index: number, item: ChartItem, itemRef: LedgerRef, refs: DraftRefs, matcher: ChartMatcher): void {
  const gl = refs.accounts[line.account];
  if (gl === undefined) return; // the account miss is already reported
  const salesItems = (refs.salesItems ??= {});
  if (item.IncomeAccountRef?.value === gl.value) {
    salesItems[index] = itemRef;
    return;
  }
  const posting = matcher.postingItem(gl.value);
  if (posting) {
    salesItems[index] = posting.ref;
    return;
  }
  const itemAccount = item.IncomeAccountRef ? `income account "${item.IncomeAccountRef.name ?? item.IncomeAccountRef.value}"` : 'no income account';
  throw new LedgerError(
    'MappingInvalid',
    `${draft.recordLabel}: line ${index + 1} (GL entry ${line.glEntryIds.join(', ')}, ${line.accountType}, ${line.amount}) must post to GL account "${line.account}", but its item "${line.productId ?? ''}" has ${itemAccount} and no item posts to "${line.account}"`,
    {
      record: draft.recordLabel,
      fix: `In QuickBooks create a Service item whose income account is "${line.account}" (Ledgerline sends the line with it), or map ${line.accountType} in ConnectWise's GL Accounts setup table to ${item.IncomeAccountRef ? `"${item.IncomeAccountRef.name ?? item.IncomeAccountRef.value}"` : 'an account an item posts to'}, then reopen and close the record.`,
    },
  );
}
