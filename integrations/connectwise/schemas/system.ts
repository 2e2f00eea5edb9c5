/** system/info, system/mySecurity, system/members and the unauthenticated companyinfo lookup. */
import { z } from 'zod';
import { Info, opt, Ref } from './common';

export const SystemInfo = z.looseObject({
  version: z.string(),
  isCloud: z.boolean(),
  serverTimeZone: opt(z.string()),
  licenseBits: opt(z.array(z.looseObject({ name: z.string(), activeFlag: z.boolean() }))),
  cloudRegion: opt(z.string()),
});
export type SystemInfo = z.infer<typeof SystemInfo>;

const Level = z.enum(['None', 'My', 'All']);
export const SecurityRow = z.looseObject({
  id: opt(z.number()),
  member: opt(Ref),
  moduleIdentifier: opt(z.string()),
  moduleName: opt(z.string()),
  moduleFunctionIdentifier: z.string(),
  moduleFunctionName: opt(z.string()),
  addLevel: Level,
  editLevel: Level,
  deleteLevel: Level,
  inquireLevel: Level,
});
export type SecurityRow = z.infer<typeof SecurityRow>;

export const Member = z.looseObject({
  id: z.number(),
  identifier: z.string(),
  firstName: opt(z.string()),
  lastName: opt(z.string()),
  licenseClass: opt(z.enum(['F', 'A', 'C', 'X'])),
  vendorNumber: opt(z.string()),
  inactiveFlag: opt(z.boolean()),
  officeEmail: opt(z.string()),
  primaryEmail: opt(z.string()),
  securityRole: opt(Ref),
  _info: Info,
});
export type Member = z.infer<typeof Member>;

/** `GET /system/locations`: an office or entity's site; `ownerLevelId` is its level in the corporate structure. */
export const Location = z.looseObject({
  id: z.number(),
  name: z.string(),
  ownerLevelId: opt(z.number()),
});
export type Location = z.infer<typeof Location>;

/** `GET /login/companyinfo/{companyId}`: PascalCase keys, `null` for an unknown company. */
export const CompanyInfo = z
  .looseObject({
    CompanyName: z.string(),
    Codebase: z.string(),
    VersionCode: z.string(),
    VersionNumber: opt(z.string()),
    CompanyID: z.string(),
    IsCloud: z.union([z.string(), z.boolean()]),
  })
  .nullable();
export type CompanyInfo = z.infer<typeof CompanyInfo>;
