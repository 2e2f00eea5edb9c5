/**
 * The records a GL line comes from, as far as today's GL setup needs them: time entries, catalog
 * items, projects, service tickets, charge codes, locations and departments. Only the documented
 * fields Ledgerline reads are declared (lists are asked for with `fields`); objects stay loose.
 */
import { z } from 'zod';
import { opt, Ref } from './common';

export const TimeEntry = z.looseObject({
  id: z.number(),
  chargeToId: opt(z.number()),
  chargeToType: opt(z.string()),
  workType: opt(Ref),
  workRole: opt(Ref),
  ticket: opt(z.looseObject({ id: opt(z.number()), summary: opt(z.string()) })),
  project: opt(Ref),
});
export type TimeEntry = z.infer<typeof TimeEntry>;

export const CatalogItem = z.looseObject({
  id: z.number(),
  identifier: z.string(),
  category: opt(Ref),
  subcategory: opt(Ref),
});
export type CatalogItem = z.infer<typeof CatalogItem>;

export const Project = z.looseObject({ id: z.number(), name: opt(z.string()), type: opt(Ref) });
export type Project = z.infer<typeof Project>;

export const ServiceTicket = z.looseObject({ id: z.number(), summary: opt(z.string()), type: opt(Ref) });
export type ServiceTicket = z.infer<typeof ServiceTicket>;

export const ChargeCode = z.looseObject({ id: z.number(), name: z.string() });
export type ChargeCode = z.infer<typeof ChargeCode>;

/** A location of the company structure (My Company: Structure) and the owner level it belongs to. */
export const SystemLocation = z.looseObject({ id: z.number(), name: z.string(), ownerLevelId: opt(z.number()) });
export type SystemLocation = z.infer<typeof SystemLocation>;

/** A department (My Company: Groups). */
export const SystemDepartment = z.looseObject({ id: z.number(), identifier: opt(z.string()), name: z.string() });
export type SystemDepartment = z.infer<typeof SystemDepartment>;
