/**
 * How each mapped type ("Table" column) finds its record on a GL line, and the spellings of
 * mapped types ConnectWise itself uses inconsistently.
 */
import { ACCOUNT_TYPE_CODES, MAPPED_TYPES, type AccountType, type GlLineContext, type MappedType } from './types';

/** ConnectWise writes both "My Company: Group" and "My Company: Groups"; they are one table. */
export const MAPPED_TYPE_ALIASES: Readonly<Record<string, MappedType>> = {
  'My Company: Group': 'My Company: Groups',
};

const MAPPED_TYPE_SET: ReadonlySet<string> = new Set(MAPPED_TYPES);
const ACCOUNT_TYPE_SET: ReadonlySet<string> = new Set(Object.keys(ACCOUNT_TYPE_CODES));

/** The canonical mapped type for a name as written, or undefined when it is not one. */
export function canonicalMappedType(name: string): MappedType | undefined {
  if (MAPPED_TYPE_SET.has(name)) return name as MappedType;
  return MAPPED_TYPE_ALIASES[name];
}

export function isAccountType(name: string): name is AccountType {
  return ACCOUNT_TYPE_SET.has(name);
}

/**
 * A line is project time when it names a project or a project type. ConnectWise keeps the two
 * apart: a Service Type mapping never applies to project time, a Project Type mapping only does.
 */
export function isProjectTime(line: GlLineContext): boolean {
  return line.project !== undefined || line.projectType !== undefined;
}

/** The tax level record for a "Tax Code: Level N" mapping; a bare string matches at any level. */
function taxLevelRecord(line: GlLineContext, level: number): string | undefined {
  const t = line.taxCodeLevel;
  if (t === undefined) return undefined;
  if (typeof t === 'string') return t;
  return t.level === level ? t.record : undefined;
}

/** For each mapped type: the record on this line that a mapping row of that type would match. */
export const LINE_RECORD: Readonly<Record<MappedType, (line: GlLineContext) => string | undefined>> = {
  'My Company: Owner': (l) => l.owner,
  'My Company: Structure': (l) => l.structure,
  'My Company: Groups': (l) => l.group,
  'Service: Type': (l) => (isProjectTime(l) ? undefined : l.serviceType),
  'Project: Type': (l) => (isProjectTime(l) ? l.projectType : undefined),
  'Charge Code': (l) => l.chargeCode,
  'Individual Project': (l) => l.project,
  'Work Role': (l) => l.workRole,
  'Work Type': (l) => l.workType,
  'Agreement: Type': (l) => l.agreementType,
  Product: (l) => l.product,
  'Products: Category': (l) => l.productCategory,
  'Products: Subcategory': (l) => l.productSubcategory,
  'Tax Code: Level 1': (l) => taxLevelRecord(l, 1),
  'Tax Code: Level 2': (l) => taxLevelRecord(l, 2),
  'Tax Code: Level 3': (l) => taxLevelRecord(l, 3),
  'Tax Code: Level 4': (l) => taxLevelRecord(l, 4),
  'Tax Code: Level 5': (l) => taxLevelRecord(l, 5),
  'Tax Code: Level 6': (l) => taxLevelRecord(l, 6),
  'Expense Tax Type': (l) => l.expenseTaxType,
  // The record is the expense type; the row exists for expenses charged to an internal charge code.
  'Charge Code-Expense Type': (l) => l.expenseType,
  'Expense: Payment Type': (l) => l.paymentType,
};
