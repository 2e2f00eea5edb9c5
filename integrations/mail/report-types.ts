/**
 * What the workflows hand the mail activity: small summaries, never whole records, because they
 * travel through Temporal history. Amounts are decimal strings ("1234.50"). Lists are capped at
 * REPORT_LIST_CAP; a producer that cut a list says how many it left out, so the report can say so.
 */
import { z } from 'zod';
import { perKind, recordKindSchema } from '../../domain/contract/record-kinds';

export const REPORT_LIST_CAP = 500;

const decimal = z.string().regex(/^-?\d+(\.\d+)?$/, 'expected a decimal string such as "1234.50"');
const count = z.number().int().min(0);
const text = z.string();
const capped = <T extends z.ZodType>(item: T) => z.array(item).max(REPORT_LIST_CAP);

/** Where the run lives in the Temporal UI; with the workflow and run ids it makes the report's link. */
export const temporalUiSchema = z.object({
  baseUrl: z.url({ protocol: /^https?$/ }),
  namespace: z.string().min(1),
});
export type TemporalUi = z.infer<typeof temporalUiSchema>;

const runFields = {
  workflowId: z.string().min(1),
  runId: z.string().min(1),
  temporalUi: temporalUiSchema,
  /** The accounting company the run was for, as people know it. */
  company: text.optional(),
};

// ---------------------------------------------------------------- accounting batch

export const kindTallySchema = z.object({
  posted: count,
  alreadyPosted: count,
  failed: count,
  /** Sum of each group's record totals; "posted" is what this run newly created. */
  totals: z.object({ posted: decimal, alreadyPosted: decimal, failed: decimal }),
});
export type KindTally = z.infer<typeof kindTallySchema>;

export const recordFailureSchema = z.object({
  kind: recordKindSchema,
  /** The number people recognise: invoice number, expense report, PO number. */
  number: text,
  id: text.optional(),
  /** LedgerError type, e.g. MappingMissing. */
  type: text,
  /** Why the record was not posted. */
  message: text,
  fix: text,
});
export type RecordFailure = z.infer<typeof recordFailureSchema>;

export const discrepancySchema = z.object({
  kind: recordKindSchema,
  number: text,
  /** What differs: total, tax, lines, account... */
  field: text,
  expected: text,
  actual: text,
});
export type Discrepancy = z.infer<typeof discrepancySchema>;

/** A line today's GL setup would resolve differently from what the PSA exported (reopen and close such invoices to re-export them). */
export const glDriftSchema = z.object({
  kind: recordKindSchema,
  number: text,
  accountType: text,
  exported: text,
  current: text,
  /** The line (GL entry and description) and which of today's rows moves it. */
  line: text.optional(),
  why: text.optional(),
});
export type GlDrift = z.infer<typeof glDriftSchema>;

/** An invoice whose agreement was cancelled or changed after the invoice closed in ConnectWise. */
export const staleRecordSchema = z.object({
  kind: recordKindSchema,
  number: text,
  agreement: text,
  change: text,
  fix: text,
});
export type StaleRecordReport = z.infer<typeof staleRecordSchema>;
export const recordWarningSchema = z.object({ kind: recordKindSchema, number: text, warning: text });
export const taxDeltaSchema = z.object({ kind: recordKindSchema, number: text, sent: text, computed: text, delta: text, aboveTolerance: z.boolean() });

/** One line of a record: its ConnectWise GL account, the QuickBooks account it posts to, amount and side. */
export const lineAccountSchema = z.object({
  line: count,
  glAccount: text,
  quickBooksAccount: text,
  amount: decimal,
  side: z.enum(['Debit', 'Credit']),
});
export type LineAccountReport = z.infer<typeof lineAccountSchema>;

export const wouldCreateSchema = z.object({
  kind: recordKindSchema,
  number: text,
  /** Customer or vendor in the accounting package. */
  entity: text,
  docNumber: text,
  total: decimal,
  lineCount: count,
  /** Where each line posts (the first records of a dry run only); `linesOmitted` counts lines left out. */
  lines: z.array(lineAccountSchema).max(100).optional(),
  linesOmitted: count.optional(),
});
export type WouldCreate = z.infer<typeof wouldCreateSchema>;

/** Where each line of a posted record went (the batch's first confirmed records). */
export const postedLinesSchema = z.object({
  kind: recordKindSchema,
  number: text,
  lines: z.array(lineAccountSchema).max(100),
  linesOmitted: count.default(0),
});

export const missingPartySchema = z.object({
  role: z.enum(['customer', 'vendor']),
  name: text,
  psaId: count.optional(),
  willCreate: z.boolean(),
  records: z.array(text).max(500),
});
export type MissingPartyReport = z.infer<typeof missingPartySchema>;

/** One change a re-closed record makes to its QuickBooks transaction, header or line by line. */
export const transactionChangeSchema = z.object({ line: count.optional(), field: text, before: text, after: text });

/** A re-closed record: its transaction updated in place, or nothing changed and nothing was written. */
export const recordEditSchema = z.object({
  kind: recordKindSchema,
  number: text,
  outcome: z.enum(['updated', 'unchanged']),
  entity: text,
  txnId: text,
  docNumber: text.optional(),
  fromRevision: text,
  toRevision: text,
  changes: z.array(transactionChangeSchema).max(100),
  changesOmitted: count.optional(),
});

/** A transaction Ledgerline posted that was edited, voided or deleted in QuickBooks afterwards. */
export const ledgerChangeSchema = z.object({
  batch: text,
  record: text,
  entity: text,
  txnId: text.optional(),
  docNumber: text.optional(),
  change: z.enum(['edited', 'voided', 'deleted']),
  at: text.optional(),
  detail: text,
  fix: text,
});

export const batchStatusSchema = z.enum(['Completed', 'PartiallyFailed', 'Failed', 'DryRun']);
export type BatchReportStatus = z.infer<typeof batchStatusSchema>;

export const batchReportSummarySchema = z.object({
  ...runFields,
  batchId: z.string().min(1),
  status: batchStatusSchema,
  thruDate: text.optional(),
  /** Only the kinds the batch included. */
  byKind: z.object(perKind(() => kindTallySchema.optional())),
  failures: capped(recordFailureSchema),
  discrepancies: capped(discrepancySchema).default([]),
  drift: capped(glDriftSchema).default([]),
  stale: capped(staleRecordSchema).default([]),
  /** Why agreement changes since the last batch could not be checked against posted invoices. */
  agreementCheckError: text.optional(),
  /** GL setup rows today's resolver left out (unknown mapped type, odd account), one line each. */
  glSetupProblems: capped(text).default([]),
  taxDeltas: capped(taxDeltaSchema).default([]),
  /** What matching noticed about a record but let pass; the record still posted. */
  warnings: capped(recordWarningSchema).default([]),
  wouldCreate: capped(wouldCreateSchema).default([]),
  postedLines: z.array(postedLinesSchema).max(100).default([]),
  /** Customers and vendors QuickBooks lacks: created by the batch, or failing their records. */
  missingParties: capped(missingPartySchema).default([]),
  /** Re-closed records: updated in place, or unchanged (nothing written). */
  edits: capped(recordEditSchema).default([]),
  /** Changes made in QuickBooks to transactions Ledgerline posted, since the previous check. */
  ledgerChanges: capped(ledgerChangeSchema).default([]),
  /** What that check could not see, or why it failed. */
  ledgerCheckNote: text.optional(),
  ledgerCheckError: text.optional(),
  /** Entries left out of the capped lists (failures beyond the list are also counted from byKind). */
  omitted: z
    .object({ failures: count.optional(), discrepancies: count.optional(), drift: count.optional(), stale: count.optional(), wouldCreate: count.optional() })
    .default({}),
  /** ConnectWise accounting batches that marked the confirmed records exported. */
  exportedBatches: z.array(text).max(100).default([]),
  /** The batch ran with `override: true` although the latest go-live checklist had not passed. */
  overrideChecklist: z.boolean().default(false),
  /** Why the whole batch stopped (status Failed), e.g. an authentication failure. */
  fatalError: text.optional(),
});
export type BatchReportSummary = z.input<typeof batchReportSummarySchema>;

// ---------------------------------------------------------------- go-live checklist

export const checkResultSchema = z.enum(['pass', 'fail', 'warn']);

export const checklistItemSchema = z.object({
  /** Stable key, e.g. "terms-xref". */
  id: text,
  title: text,
  result: checkResultSchema,
  /** Short facts: counts, names, ids. */
  evidence: z.array(text).max(50).default([]),
  /** What to do; expected whenever the result is not "pass". */
  fix: text.optional(),
});
export type ChecklistItem = z.input<typeof checklistItemSchema>;

export const manualItemSchema = z.object({
  id: text,
  title: text,
  confirmed: z.boolean(),
  by: text.optional(),
  /** ISO timestamp of the confirmation. */
  at: text.optional(),
  note: text.optional(),
});
export type ManualItem = z.infer<typeof manualItemSchema>;

export const checklistReportSummarySchema = z.object({
  ...runFields,
  /** Incomplete: every automated check passed but a manual item is still unconfirmed. */
  status: z.enum(['Passed', 'Failed', 'Incomplete']),
  /** "reminder" while manual items are still awaited; "final" when the workflow ends. */
  stage: z.enum(['reminder', 'final']).default('final'),
  items: z.array(checklistItemSchema).max(50),
  manualItems: z.array(manualItemSchema).max(20).default([]),
});
export type ChecklistReportSummary = z.input<typeof checklistReportSummarySchema>;

// ---------------------------------------------------------------- payment sync

export const appliedPaymentSchema = z.object({
  /** The accounting package's payment id or reference. */
  paymentRef: text,
  invoiceNumber: text,
  amount: decimal,
  /** YYYY-MM-DD. */
  date: text,
  /** E.g. "partial: 400.00 of 1000.00", "unapplied 25.00 left in the accounting package". */
  note: text.optional(),
});
export type AppliedPayment = z.infer<typeof appliedPaymentSchema>;

export const skipReasonSchema = z.enum([
  'alreadyRecorded',
  'unknownInvoice',
  'voided',
  'deleted',
  'reversed',
  'overpayment',
  'partialPayment',
  'other',
]);
export type SkipReason = z.infer<typeof skipReasonSchema>;

export const skippedPaymentSchema = z.object({
  paymentRef: text,
  invoiceNumber: text.optional(),
  amount: decimal,
  reason: skipReasonSchema,
  detail: text,
  fix: text.optional(),
});
export type SkippedPayment = z.infer<typeof skippedPaymentSchema>;

export const paymentSyncReportSummarySchema = z.object({
  ...runFields,
  status: z.enum(['Completed', 'Failed']),
  /** ISO timestamps of the window read from the accounting package. */
  window: z.object({ since: text, until: text }),
  applied: capped(appliedPaymentSchema),
  appliedTotal: decimal,
  skipped: capped(skippedPaymentSchema),
  omitted: z.object({ applied: count.optional(), skipped: count.optional() }).default({}),
  fatalError: text.optional(),
});
export type PaymentSyncReportSummary = z.input<typeof paymentSyncReportSummarySchema>;

// ---------------------------------------------------------------- batch reversal

export const reversalLineSchema = z.object({
  kind: recordKindSchema,
  number: text,
  recordId: text,
  total: decimal,
  /** The QuickBooks transaction the record posted as (none when QuickBooks holds no live one). */
  txn: z.object({ entity: text, id: text, docNumber: text.optional(), total: decimal }).optional(),
  glEntryIds: z.array(z.number()).default([]),
  /** What the reversal plans: void (invoices), delete (other kinds), nothing, or refuse. */
  action: z.enum(['void', 'delete', 'none', 'refuse']),
  /** What it did (absent in a dry run). */
  result: z.enum(['voided', 'deleted', 'alreadyGone', 'refused', 'failed']).optional(),
  reason: text.optional(),
  fix: text.optional(),
});
export type ReversalLineReport = z.infer<typeof reversalLineSchema>;

export const psaBatchReversalSchema = z.object({
  source: text,
  identifier: text.optional(),
  psaBatchId: count.optional(),
  kind: recordKindSchema,
  returned: z.object({ deleted: z.boolean(), keptIdentifier: text.optional(), kept: count, returned: count }).optional(),
  problem: text.optional(),
});

export const reversalReportSummarySchema = z.object({
  ...runFields,
  /** The accounting batch reversed. */
  batch: z.object({ workflowId: text, batchId: text }),
  dryRun: z.boolean(),
  status: z.enum(['DryRun', 'Completed', 'PartiallyReversed', 'Failed']),
  counts: z.object({ records: count, reversed: count, alreadyGone: count, refused: count, failed: count }),
  records: capped(reversalLineSchema),
  psaBatches: capped(psaBatchReversalSchema),
  fatalError: text.optional(),
});
export type ReversalReportSummary = z.input<typeof reversalReportSummarySchema>;

/** Keeps the first `cap` items and counts the rest: how producers fill a capped list plus `omitted`. */
export function keepFirst<T>(items: readonly T[], cap = REPORT_LIST_CAP): { items: T[]; omitted: number } {
  return { items: items.slice(0, cap), omitted: Math.max(0, items.length - cap) };
}
