/**
 * The PSA record kinds Ledgerline posts, and what each is called where people see it. A new kind is
 * added here, gets a posting planner (domain/posting) and a ConnectWise mapper
 * (integrations/connectwise/record-kinds.ts); everything else iterates RECORD_KINDS.
 */
import { z } from 'zod';

export const RECORD_KINDS = ['invoice', 'expense', 'procurement'] as const;
export type RecordKind = (typeof RECORD_KINDS)[number];
export const recordKindSchema = z.enum(RECORD_KINDS);

export interface RecordKindInfo {
  /** The accountingBatch input's `include` flag. */
  includeFlag: string;
  /** Ends the PSA batch identifier that marks a chunk's records of this kind exported. */
  letter: string;
  /** Report headings. */
  label: { one: string; many: string };
  /** Checklist evidence ("3 invoices", "1 procurement record"). */
  noun: string;
}

export const RECORD_KIND_INFO = {
  invoice: { includeFlag: 'invoices', letter: 'I', label: { one: 'Invoice', many: 'Invoices' }, noun: 'invoice' },
  expense: { includeFlag: 'expenses', letter: 'E', label: { one: 'Expense', many: 'Expenses' }, noun: 'expense' },
  procurement: { includeFlag: 'procurement', letter: 'P', label: { one: 'Procurement', many: 'Procurement' }, noun: 'procurement record' },
} as const satisfies Record<RecordKind, RecordKindInfo>;

export type IncludeFlag = (typeof RECORD_KIND_INFO)[RecordKind]['includeFlag'];

/** One value per kind, keyed in RECORD_KINDS order. */
export function perKind<T>(make: (kind: RecordKind) => T): Record<RecordKind, T> {
  return Object.fromEntries(RECORD_KINDS.map((kind) => [kind, make(kind)])) as Record<RecordKind, T>;
}
