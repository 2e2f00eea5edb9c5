/**
 * ConnectWise's sequence logic: for each account type, the mapped types it consults, most granular
 * first, ending at My Company: Owner. Resolution walks this list and stops caring once every field
 * is found. Revenue and Revenue-Agreement Product follow ConnectWise's documented sequences; every
 * other order is our reading of ConnectWise's account type definitions, with the reason next to it.
 */
import { MAPPED_TYPES, type AccountType, type MappedType } from './types';

/** The company hierarchy every entry belongs to: department, then location, then the whole company. */
const COMPANY: readonly MappedType[] = ['My Company: Groups', 'My Company: Structure', 'My Company: Owner'];

/** A catalog product narrows to subcategory, then category, before the company levels. */
const PRODUCT: readonly MappedType[] = ['Product', 'Products: Subcategory', 'Products: Category'];

/** A tax line carries one level, so only that level can match and the order among them never decides. */
const TAX_LEVELS: readonly MappedType[] = MAPPED_TYPES.filter((t) => t.startsWith('Tax Code: Level '));

export const GL_SEQUENCES: Readonly<Record<AccountType, readonly MappedType[]>> = {
  // AR is one control account per company unit: only the company hierarchy applies (ConnectWise's AR tables).
  'Accounts Receivable': COMPANY,
  // AP mirrors AR on the payables side.
  'Accounts Payable': COMPANY,
  // Service Type and Project Type share rank 5 and never both apply (project time decides).
  Revenue: [
    'Work Type',
    'Charge Code',
    'Individual Project',
    'Work Role',
    'Service: Type',
    'Project: Type',
    ...COMPANY,
  ],
  // Prepaid agreements defer revenue by agreement type (the Agreement: Type table).
  'Deferred Revenue': ['Agreement: Type', ...COMPANY],
  // Product revenue outside agreements: the product, its subcategory, its category.
  'Revenue-Product': [...PRODUCT, ...COMPANY],
  // Recurring agreement billing is split by agreement type before the company levels.
  'Revenue-Agreements': ['Agreement: Type', ...COMPANY],
  // Starts at the product; an agreement addition also belongs to its agreement's type.
  'Revenue-Agreement Product': [...PRODUCT, 'Agreement: Type', ...COMPANY],
  // A discount is an adjustment on a product line, so it follows the product's own chain.
  'Product Discount': [...PRODUCT, ...COMPANY],
  // Sales tax is split per tax-code level so each component can go to its own payable.
  'Sales Tax Payable': [...TAX_LEVELS, ...COMPANY],
  // Expense tax is mapped per expense tax type (the Expense Tax Type table).
  'Expense Tax': ['Expense Tax Type', ...COMPANY],
  // The offset of a non-reimbursable expense depends on how it was paid (card, company account).
  'Expense Offset': ['Expense: Payment Type', ...COMPANY],
  // Internal costs are mapped by the expense type charged to an internal charge code.
  'Expense Internal': ['Charge Code-Expense Type', ...COMPANY],
  // External (client) expenses have no seed-listed table of their own beyond the company levels.
  'Expense External': COMPANY,
  // Billed expenses come from tickets and projects like time does, minus the time-only levels
  // (work type, work role), which expenses do not carry.
  'Revenue-Expenses': ['Charge Code', 'Individual Project', 'Service: Type', 'Project: Type', ...COMPANY],
  // Adjustments move one product's stock, so the product chain applies.
  'Inventory Adjustments': [...PRODUCT, ...COMPANY],
  // Transfers likewise move one product between warehouses.
  'Inventory Transfer': [...PRODUCT, ...COMPANY],
  // Freight is entered as a product on the PO and needs its Product ID and COGS.
  'Purchase Order Freight': [...PRODUCT, ...COMPANY],
  // PO taxes are tax-code components like sales tax, split per level.
  'Purchase Order Freight Tax': [...TAX_LEVELS, ...COMPANY],
  'Purchase Order Product Tax': [...TAX_LEVELS, ...COMPANY],
};

/** The sequence for an account type, most granular first. */
export function glSequence(accountType: AccountType): readonly MappedType[] {
  return GL_SEQUENCES[accountType];
}
