/**
 * The JSON contract of "resolve GL" (`gl resolve`): a setup table plus GL lines, names written as
 * ConnectWise's GL setup writes them. Strict objects, so a misspelt key ("workrole") is refused instead of
 * silently skipping a granular mapping.
 */
import { z } from 'zod';
import { canonicalMappedType } from './mapped-types';
import { ACCOUNT_TYPES, MAPPED_TYPES, type AccountType, type MappedType } from './types';

const accountType = z.enum(ACCOUNT_TYPES as unknown as readonly [AccountType, ...AccountType[]], {
  error: (issue) => `unknown account type ${JSON.stringify(issue.input)}; expected one of: ${ACCOUNT_TYPES.join(', ')}`,
});

const mappedType = z.string().transform((name, ctx): MappedType => {
  const canonical = canonicalMappedType(name);
  if (canonical === undefined) {
    ctx.addIssue({
      code: 'custom',
      message: `unknown mapped type ${JSON.stringify(name)}; expected one of: ${MAPPED_TYPES.join(', ')}`,
    });
    return z.NEVER;
  }
  return canonical;
});

const optionalText = z.string().optional();

export const glMappingInput = z.strictObject({
  accountType,
  mappedType,
  mappedRecord: z.string().min(1, 'mappedRecord must not be empty'),
  account: optionalText,
  class: optionalText,
  productId: optionalText,
  inventory: optionalText,
  cogs: optionalText,
  salesCode: optionalText,
});

export const glLineInput = z.strictObject({
  accountType,
  owner: z.string(),
  structure: optionalText,
  group: optionalText,
  serviceType: optionalText,
  projectType: optionalText,
  project: optionalText,
  workRole: optionalText,
  workType: optionalText,
  chargeCode: optionalText,
  agreementType: optionalText,
  product: optionalText,
  productCategory: optionalText,
  productSubcategory: optionalText,
  taxCodeLevel: z.union([z.string(), z.strictObject({ level: z.int().min(1).max(6), record: z.string() })]).optional(),
  expenseTaxType: optionalText,
  expenseType: optionalText,
  paymentType: optionalText,
});

export const glResolveInput = z.strictObject({
  mappings: z.array(glMappingInput),
  lines: z.array(glLineInput),
});

export type GlResolveInput = z.infer<typeof glResolveInput>;
