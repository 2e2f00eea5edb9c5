/** company/companies and company/contacts. */
import { z } from 'zod';
import { Info, opt, Ref } from './common';

export const Company = z.looseObject({
  id: z.number(),
  identifier: z.string(),
  name: z.string(),
  accountNumber: opt(z.string()),
  status: opt(Ref),
  types: opt(z.array(Ref)),
  addressLine1: opt(z.string()),
  city: opt(z.string()),
  state: opt(z.string()),
  zip: opt(z.string()),
  phoneNumber: opt(z.string()),
  defaultContact: opt(Ref),
  billingContact: opt(Ref),
  billingTerms: opt(Ref),
  taxCode: opt(Ref),
  currency: opt(z.looseObject({ id: z.number(), currencyCode: opt(z.string()) })),
  invoiceToEmailAddress: opt(z.string()),
  isVendorFlag: opt(z.boolean()),
  vendorIdentifier: opt(z.string()),
  deletedFlag: opt(z.boolean()),
  _info: Info,
});
export type Company = z.infer<typeof Company>;

export const CommunicationItem = z.looseObject({
  id: opt(z.number()),
  type: opt(Ref),
  value: z.string(),
  defaultFlag: opt(z.boolean()),
  communicationType: opt(z.enum(['Email', 'Fax', 'Phone'])),
});

export const Contact = z.looseObject({
  id: z.number(),
  firstName: opt(z.string()),
  lastName: opt(z.string()),
  company: opt(Ref),
  title: opt(z.string()),
  inactiveFlag: opt(z.boolean()),
  defaultFlag: opt(z.boolean()),
  defaultBillingFlag: opt(z.boolean()),
  communicationItems: opt(z.array(CommunicationItem)),
  _info: Info,
});
export type Contact = z.infer<typeof Contact>;
