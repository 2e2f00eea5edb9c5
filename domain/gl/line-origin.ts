/**
 * A GL line's context, rebuilt from what ConnectWise documents about where the line came from (its
 * time entry, catalog item, invoice, expense, location and department) rather than from the export,
 * which names no mapped records. Each fact is either read (a record name, or absent because the line
 * has none: a product line has no work type) or could not be read (a deleted time entry, a refused
 * lookup). A line gets a context only when every fact that the mapped types its account type consults
 * was read, so a lookup that failed can never look like a mapping that changed.
 */
import type { AccountType, GlLineContext, GlMapping, MappedType } from './types';

export type OriginFact = Exclude<keyof GlLineContext, 'accountType'>;

/** What a GL line's origin says, as far as it could be read. */
export interface LineOrigin {
  /** Facts read; a fact absent here and in `unread` is one the line does not have. */
  facts: Partial<Omit<GlLineContext, 'accountType'>>;
  /** Facts that could not be read, each with why (named for people: "time entry 17 was not found"). */
  unread: Partial<Record<OriginFact, string>>;
}

const TAX_LEVEL: readonly OriginFact[] = ['taxCodeLevel'];

/**
 * The facts each mapped type reads from a line. Service Type and Project Type also read whether the
 * line is project time (a project or a project type on it), which decides between the two.
 */
export const FACTS_READ: Readonly<Record<MappedType, readonly OriginFact[]>> = {
  'My Company: Owner': ['owner'],
  'My Company: Structure': ['structure'],
  'My Company: Groups': ['group'],
  'Service: Type': ['serviceType', 'project', 'projectType'],
  'Project: Type': ['projectType', 'project'],
  'Charge Code': ['chargeCode'],
  'Individual Project': ['project'],
  'Work Role': ['workRole'],
  'Work Type': ['workType'],
  'Agreement: Type': ['agreementType'],
  Product: ['product'],
  'Products: Category': ['productCategory'],
  'Products: Subcategory': ['productSubcategory'],
  'Tax Code: Level 1': TAX_LEVEL,
  'Tax Code: Level 2': TAX_LEVEL,
  'Tax Code: Level 3': TAX_LEVEL,
  'Tax Code: Level 4': TAX_LEVEL,
  'Tax Code: Level 5': TAX_LEVEL,
  'Tax Code: Level 6': TAX_LEVEL,
  'Expense Tax Type': ['expenseTaxType'],
  'Charge Code-Expense Type': ['expenseType'],
  'Expense: Payment Type': ['paymentType'],
};

/** The facts a line needs read for these mapped types. */
export function factsNeeded(consulted: readonly MappedType[]): Set<OriginFact> {
  return new Set(consulted.flatMap((t) => FACTS_READ[t]));
}

export type LineContextOutcome = { ok: true; context: GlLineContext } | { ok: false; unread: string[] };

/** The line's context when every fact the consulted mapped types read was read; else why not. */
export function lineContext(accountType: AccountType, origin: LineOrigin, consulted: readonly MappedType[]): LineContextOutcome {
  const reasons = new Set<string>();
  for (const fact of factsNeeded(consulted)) {
    const why = origin.unread[fact];
    if (why !== undefined) reasons.add(why);
  }
  const owner = origin.facts.owner;
  if (owner === undefined) reasons.add(origin.unread.owner ?? 'the owner level (My Company: Owner) is not known');
  if (reasons.size > 0 || owner === undefined) return { ok: false, unread: [...reasons] };
  const context: GlLineContext = { accountType, owner };
  for (const [fact, value] of Object.entries(origin.facts) as Array<[OriginFact, GlLineContext[OriginFact]]>) {
    if (value !== undefined) (context as unknown as Record<string, unknown>)[fact] = value;
  }
  return { ok: true, context };
}

const OWNER: MappedType = 'My Company: Owner';

/**
 * The owner level's record name in today's setup: the one record My Company: Owner rows name (a
 * site has one owner level), else among several the row whose record is this owner level's id.
 */
export function ownerRecordOf(rows: readonly GlMapping[], ownerLevelId: number | undefined): string | undefined {
  const owners = rows.filter((r) => r.mappedType === OWNER);
  const names = new Set(owners.map((r) => r.mappedRecord));
  if (names.size === 1) return [...names][0];
  return ownerLevelId === undefined ? undefined : owners.find((r) => r.recordId === ownerLevelId)?.mappedRecord;
}
