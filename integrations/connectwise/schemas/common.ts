/**
 * Building blocks for ConnectWise response schemas. Objects are loose (unknown fields pass through:
 * newer models add fields) and optional fields accept null, which ConnectWise uses freely.
 */
import { z } from 'zod';
import { ExactDecimal } from '../../exact-json';

export const opt = <T extends z.ZodType>(schema: T) => schema.nullish();

/** A reference to another record: `{id, name?|identifier?, _info?}`. */
export const Ref = z.looseObject({
  id: z.number(),
  name: opt(z.string()),
  identifier: opt(z.string()),
});
export type Ref = z.infer<typeof Ref>;

/**
 * A money amount as ConnectWise sends it, a JSON number: parsed to a number when a double holds it
 * exactly, else to its exact digits (integrations/exact-json).
 */
export const Amount = z.union([z.number(), z.instanceof(ExactDecimal)], { error: 'expected number' });
export type Amount = z.infer<typeof Amount>;

export const Info = opt(z.record(z.string(), z.unknown()));

export const CountSchema = z.looseObject({ count: z.number().int() });

export const SuccessResponse = z.looseObject({ success: z.boolean(), message: opt(z.string()) });

/** The six tax-level triplets of the unposted models (state, county, city, country, composite, levelSix). */
const TAX_LEVEL_PREFIXES = ['state', 'county', 'city', 'country', 'composite', 'levelSix'] as const;
export const taxLevelFields = Object.fromEntries(
  TAX_LEVEL_PREFIXES.flatMap((p) => [
    [`${p}TaxFlag`, opt(z.boolean())],
    [`${p}TaxXref`, opt(z.string())],
    [`${p}TaxAmount`, opt(Amount)],
  ]),
) as Record<string, z.ZodOptional<z.ZodNullable<z.ZodType>>>;
