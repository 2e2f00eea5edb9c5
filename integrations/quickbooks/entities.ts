/** Entity names, their URL segments and the schema each read is checked against. */
import type { z } from 'zod';
import {
  accountSchema,
  classSchema,
  customerSchema,
  employeeSchema,
  entityBaseSchema,
  itemSchema,
  paymentSchema,
  preferencesSchema,
  taxCodeSchema,
  termSchema,
  transactionSchema,
  vendorSchema,
} from './schemas';

export const TRANSACTION_ENTITIES = ['Invoice', 'CreditMemo', 'Bill', 'Purchase', 'JournalEntry', 'InventoryAdjustment', 'Payment'] as const;
export type TransactionEntity = (typeof TRANSACTION_ENTITIES)[number];

export const NAME_LIST_ENTITIES = ['Account', 'Item', 'Customer', 'Vendor', 'Employee', 'Class', 'Term', 'TaxCode'] as const;
export type NameListEntity = (typeof NAME_LIST_ENTITIES)[number];

export type EntityName = TransactionEntity | NameListEntity | 'Preferences' | 'TaxRate' | 'CompanyInfo';

export const ENTITY_SCHEMAS = {
  Account: accountSchema,
  Item: itemSchema,
  Customer: customerSchema,
  Vendor: vendorSchema,
  Employee: employeeSchema,
  Class: classSchema,
  Term: termSchema,
  TaxCode: taxCodeSchema,
  TaxRate: entityBaseSchema,
  CompanyInfo: entityBaseSchema,
  Preferences: preferencesSchema,
  Invoice: transactionSchema,
  CreditMemo: transactionSchema,
  Bill: transactionSchema,
  Purchase: transactionSchema,
  JournalEntry: transactionSchema,
  InventoryAdjustment: transactionSchema,
  Payment: paymentSchema,
} satisfies Record<EntityName, z.ZodType>;

export type EntitySchemas = typeof ENTITY_SCHEMAS;
export type EntityOf<E extends EntityName> = z.infer<EntitySchemas[E]>;

/** QuickBooks URLs use the entity name in lower case: /invoice, /journalentry, ... */
export function entityPath(entity: EntityName): string {
  return entity.toLowerCase();
}

/** Payments cannot be filtered by DocNumber; the rest of the transactions can. */
export function supportsDocNumberFilter(entity: TransactionEntity): boolean {
  return entity !== 'Payment';
}
