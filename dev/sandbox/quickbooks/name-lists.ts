/**
 * Validation and derived fields for name-list objects (Account, Item, Customer, Vendor, Class,
 * Term). Returns the object to store; throws a QboFault with QuickBooks' code when it is refused.
 */
import { businessRule, duplicateName, requiredMissing, validation } from './faults';
import { checkCurrencyEnabled, currencyRef, homeCurrency } from './currencies';
import { canonicalRef, optionalRef, refId, resolveRef } from './refs';
import type { QboEntity, RealmState } from './state';

type Body = Record<string, unknown>;

const ACCOUNT_CLASSIFICATION: Record<string, string> = {
  Bank: 'Asset',
  'Accounts Receivable': 'Asset',
  'Other Current Asset': 'Asset',
  'Fixed Asset': 'Asset',
  'Other Asset': 'Asset',
  'Accounts Payable': 'Liability',
  'Credit Card': 'Liability',
  'Other Current Liability': 'Liability',
  'Long Term Liability': 'Liability',
  Equity: 'Equity',
  Income: 'Revenue',
  'Other Income': 'Revenue',
  'Cost of Goods Sold': 'Expense',
  Expense: 'Expense',
  'Other Expense': 'Expense',
};

/** A default subtype per type, used when only AccountType is sent. */
const DEFAULT_SUBTYPE: Record<string, string> = {
  Bank: 'Checking',
  'Accounts Receivable': 'AccountsReceivable',
  'Other Current Asset': 'OtherCurrentAssets',
  'Fixed Asset': 'OtherFixedAssets',
  'Other Asset': 'OtherLongTermAssets',
  'Accounts Payable': 'AccountsPayable',
  'Credit Card': 'CreditCard',
  'Other Current Liability': 'OtherCurrentLiabilities',
  'Long Term Liability': 'OtherLongTermLiabilities',
  Equity: 'OwnersEquity',
  Income: 'ServiceFeeIncome',
  'Other Income': 'OtherMiscellaneousIncome',
  'Cost of Goods Sold': 'SuppliesMaterialsCogs',
  Expense: 'OtherMiscellaneousServiceCost',
  'Other Expense': 'OtherMiscellaneousExpense',
};

const ITEM_TYPES = new Set(['Inventory', 'NonInventory', 'Service', 'Group', 'Category', 'Bundle', 'Other Charge', 'Discount']);

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v.trim().length ? v.trim() : undefined;
}

function sameName(a: unknown, b: string): boolean {
  return typeof a === 'string' && a.trim().toLowerCase() === b.toLowerCase();
}

function others(realm: RealmState, entity: string, selfId?: string): QboEntity[] {
  return Object.values(realm.entities[entity] ?? {}).filter((r) => r.Id !== selfId);
}

/** Parent/child names (Account, Item, Class): FullyQualifiedName is the colon path. */
function hierarchy(realm: RealmState, entity: string, body: Body, name: string, flag: 'SubAccount' | 'SubItem' | 'SubClass', selfId?: string): Body {
  if (name.includes(':')) throw businessRule(`The name ${name} cannot contain a colon (:).`, 'Name');
  const parent = body[flag] === true || body.ParentRef ? resolveRef(realm, entity, body.ParentRef, 'ParentRef') : undefined;
  if (parent && parent.Id === selfId) throw validation('900', 'Parent cannot be child', 'An object cannot be its own parent.');
  const fqn = parent ? `${parent.FullyQualifiedName ?? parent.Name}:${name}` : name;
  return { ...body, Name: name, [flag]: !!parent, ParentRef: parent ? canonicalRef(parent) : undefined, FullyQualifiedName: fqn };
}

function prepareAccount(realm: RealmState, body: Body, selfId?: string): Body {
  const name = str(body.Name);
  if (!name) throw requiredMissing('Name');
  if (!str(body.AccountType) && !str(body.AccountSubType)) {
    throw validation('6010', 'Account type and detail type missing', 'You must select an account type (AccountType) or detail type (AccountSubType).');
  }
  let type = str(body.AccountType);
  const subType = str(body.AccountSubType);
  if (!type && subType) type = Object.keys(DEFAULT_SUBTYPE).find((t) => DEFAULT_SUBTYPE[t] === subType);
  if (!type || !(type in ACCOUNT_CLASSIFICATION)) throw validation('2170', 'Invalid Enumeration', `Invalid Enumeration : ${body.AccountType ?? body.AccountSubType}`, 'AccountType');
  const out = hierarchy(realm, 'Account', body, name, 'SubAccount', selfId);
  if (out.SubAccount) {
    const parent = realm.entities.Account[(out.ParentRef as { value: string }).value];
    if (parent.AccountType !== type) throw businessRule('A sub-account must have the same account type as its parent.', 'ParentRef');
  }
  if (others(realm, 'Account', selfId).some((a) => sameName(a.FullyQualifiedName, out.FullyQualifiedName as string))) throw duplicateName('account');
  const acctNum = str(body.AcctNum);
  if (acctNum && others(realm, 'Account', selfId).some((a) => a.AcctNum === acctNum)) {
    throw businessRule(`Another account is already using the number ${acctNum}.`, 'AcctNum');
  }
  return {
    ...out,
    AccountType: type,
    AccountSubType: subType ?? DEFAULT_SUBTYPE[type],
    Classification: ACCOUNT_CLASSIFICATION[type],
    Active: body.Active !== false,
    CurrentBalance: typeof body.CurrentBalance === 'number' ? body.CurrentBalance : 0,
    CurrentBalanceWithSubAccounts: typeof body.CurrentBalanceWithSubAccounts === 'number' ? body.CurrentBalanceWithSubAccounts : 0,
    CurrencyRef: body.CurrencyRef ?? currencyRef(homeCurrency(realm)),
  };
}

function prepareItem(realm: RealmState, body: Body, selfId?: string): Body {
  const name = str(body.Name);
  if (!name) throw requiredMissing('Name');
  const type = str(body.Type) ?? 'Service';
  if (!ITEM_TYPES.has(type)) throw validation('2170', 'Invalid Enumeration', `Invalid Enumeration : ${type}`, 'Type');
  const out = hierarchy(realm, 'Item', body, name, 'SubItem', selfId);
  if (others(realm, 'Item', selfId).some((i) => sameName(i.FullyQualifiedName ?? i.Name, out.FullyQualifiedName as string))) throw duplicateName('product or service');
  const income = optionalRef(realm, 'Account', body.IncomeAccountRef, 'IncomeAccountRef');
  const expense = optionalRef(realm, 'Account', body.ExpenseAccountRef, 'ExpenseAccountRef');
  const asset = optionalRef(realm, 'Account', body.AssetAccountRef, 'AssetAccountRef');
  if (type === 'Service' && !income && !expense) throw requiredMissing('IncomeAccountRef');
  if (type === 'Inventory') {
    const prefs = realm.preferences.ProductAndServicesPrefs as Record<string, unknown>;
    if (prefs.QuantityOnHand !== true) throw businessRule('If Track quantity on hand is turned off, the item cannot be of type Inventory.', 'Type');
    if (!income) throw requiredMissing('IncomeAccountRef');
    if (!expense) throw requiredMissing('ExpenseAccountRef');
    if (!asset) throw requiredMissing('AssetAccountRef');
    if (typeof body.QtyOnHand !== 'number') throw requiredMissing('QtyOnHand');
    if (!str(body.InvStartDate)) throw requiredMissing('InvStartDate');
  }
  return {
    ...out,
    Type: type,
    Active: body.Active !== false,
    IncomeAccountRef: income ? canonicalRef(income) : undefined,
    ExpenseAccountRef: expense ? canonicalRef(expense) : undefined,
    AssetAccountRef: asset ? canonicalRef(asset) : undefined,
    TrackQtyOnHand: type === 'Inventory',
  };
}

function displayNameOf(body: Body): string | undefined {
  const given = [body.Title, body.GivenName, body.MiddleName, body.FamilyName, body.Suffix].map(str).filter(Boolean).join(' ');
  return str(body.DisplayName) ?? (given || str(body.CompanyName));
}

/**
 * DisplayName is unique across customers, vendors and employees together (any case, inactive rows
 * included); without one it is built from the name parts, and a person with no name at all is 6080.
 */
function preparePerson(realm: RealmState, entity: 'Customer' | 'Vendor' | 'Employee', body: Body, selfId?: string): Body {
  const displayName = displayNameOf(body);
  if (!displayName) throw validation('6080', 'Name is missing', 'You must supply a DisplayName, a person name or a CompanyName.', 'DisplayName');
  if (/[:\t\n]/.test(displayName)) throw businessRule('The name cannot contain a colon (:), a tab or a line break.', 'DisplayName');
  const clash = ['Customer', 'Vendor', 'Employee'].some((e) =>
    Object.values(realm.entities[e] ?? {}).some((r) => !(e === entity && r.Id === selfId) && sameName(r.DisplayName, displayName)),
  );
  if (clash) throw duplicateName('customer, vendor or employee');
  if (entity === 'Employee') return { ...body, DisplayName: displayName, PrintOnCheckName: str(body.PrintOnCheckName) ?? displayName, Active: body.Active !== false };
  const term = optionalRef(realm, 'Term', entity === 'Customer' ? body.SalesTermRef : body.TermRef, entity === 'Customer' ? 'SalesTermRef' : 'TermRef');
  const out: Body = {
    ...body,
    DisplayName: displayName,
    PrintOnCheckName: str(body.PrintOnCheckName) ?? displayName,
    Active: body.Active !== false,
    Balance: typeof body.Balance === 'number' ? body.Balance : 0,
  };
  if (term) out[entity === 'Customer' ? 'SalesTermRef' : 'TermRef'] = { value: term.Id };
  // A customer or vendor keeps one currency: the home currency unless another enabled one is named.
  const kept = selfId !== undefined ? refId(realm.entities[entity]?.[selfId]?.CurrencyRef) : undefined;
  const currency = refId(body.CurrencyRef) ?? kept ?? homeCurrency(realm);
  checkCurrencyEnabled(realm, currency, 'CurrencyRef');
  out.CurrencyRef = currencyRef(currency);
  if (entity === 'Customer') {
    const parent = optionalRef(realm, 'Customer', body.ParentRef, 'ParentRef');
    out.Job = !!parent;
    out.FullyQualifiedName = parent ? `${parent.FullyQualifiedName}:${displayName}` : displayName;
    out.BalanceWithJobs = out.Balance;
  }
  return out;
}

function prepareClass(realm: RealmState, body: Body, selfId?: string): Body {
  const name = str(body.Name);
  if (!name) throw requiredMissing('Name');
  const out = hierarchy(realm, 'Class', body, name, 'SubClass', selfId);
  if (others(realm, 'Class', selfId).some((c) => sameName(c.FullyQualifiedName, out.FullyQualifiedName as string))) throw duplicateName('class');
  return { ...out, Active: body.Active !== false };
}

function prepareTerm(realm: RealmState, body: Body, selfId?: string): Body {
  const name = str(body.Name);
  if (!name) throw requiredMissing('Name');
  if (others(realm, 'Term', selfId).some((t) => sameName(t.Name, name))) throw duplicateName('term');
  const dateDriven = typeof body.DayOfMonthDue === 'number';
  if (!dateDriven && typeof body.DueDays !== 'number') throw requiredMissing('DueDays');
  return { ...body, Name: name, Type: dateDriven ? 'DATE_DRIVEN' : 'STANDARD', Active: body.Active !== false };
}

export function prepareNameListEntity(realm: RealmState, entity: string, body: Body, selfId?: string): Body {
  switch (entity) {
    case 'Account':
      return prepareAccount(realm, body, selfId);
    case 'Item':
      return prepareItem(realm, body, selfId);
    case 'Customer':
    case 'Vendor':
    case 'Employee':
      return preparePerson(realm, entity, body, selfId);
    case 'Class':
      return prepareClass(realm, body, selfId);
    case 'Term':
      return prepareTerm(realm, body, selfId);
    default:
      throw new Error(`${entity} is not a name list`);
  }
}
