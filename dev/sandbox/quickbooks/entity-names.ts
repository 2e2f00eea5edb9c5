/** The entities the sandbox knows, and how URL segments and query names map onto them. */
export const NAME_LISTS = ['Account', 'Item', 'Customer', 'Vendor', 'Employee', 'Class', 'Term'] as const;
/** Lists a client reads but (here) never writes: the company's tax codes, rates and currencies. */
export const READ_ONLY_LISTS = ['TaxCode', 'TaxRate', 'CompanyCurrency'] as const;
export const TRANSACTIONS = ['Invoice', 'CreditMemo', 'Bill', 'Purchase', 'JournalEntry', 'InventoryAdjustment', 'Payment'] as const;

export const ALL_ENTITIES: readonly string[] = [...NAME_LISTS, ...READ_ONLY_LISTS, ...TRANSACTIONS];
export const QUERYABLE_ENTITIES = new Set<string>([...ALL_ENTITIES, 'Preferences', 'CompanyInfo']);

const BY_LOWER = new Map([...QUERYABLE_ENTITIES].map((e) => [e.toLowerCase(), e]));

/** `invoice` (URL) or `invoice` (query, case-insensitive) -> `Invoice`. */
export function canonicalEntity(name: string): string | undefined {
  return BY_LOWER.get(name.toLowerCase());
}

export function isTransaction(entity: string): boolean {
  return (TRANSACTIONS as readonly string[]).includes(entity);
}

export function isNameList(entity: string): boolean {
  return (NAME_LISTS as readonly string[]).includes(entity);
}
