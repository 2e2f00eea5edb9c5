/**
 * zod schemas of every workflow input and output: the JSON contract of the Temporal UI's
 * Start Workflow form, the CLI and Schedules. Imported by workflows, so pure and bundle-safe.
 */
import { z } from 'zod';
import { RECORD_KINDS, RECORD_KIND_INFO, type IncludeFlag } from './contract/record-kinds';
import { COMPANY_NAME, COMPANY_NAME_RULE } from './routing';

/** The accounting company a run works for (its configured name); absent: the deployment's only company. */
const company = z.string().regex(COMPANY_NAME, COMPANY_NAME_RULE).optional();

const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'expected a date as YYYY-MM-DD')
  // Date.parse accepts 2026-02-30 (rolling it over); a real calendar date survives the round trip.
  .refine((s) => {
    const t = Date.parse(`${s}T00:00:00Z`);
    return !Number.isNaN(t) && new Date(t).toISOString().slice(0, 10) === s;
  }, 'not a real calendar date: give an existing day as YYYY-MM-DD');

/** ConnectWise batch identifiers are at most 50 characters; we add chunk suffixes, so keep 30. */
const batchId = z
  .string()
  .regex(/^[A-Za-z0-9._-]{1,30}$/, 'use 1-30 letters, digits, dot, dash or underscore');

/**
 * Who gets the report: `{ "email": "<address>" }` or `{ "member": "<PSA member identifier>" }`.
 * One object with both fields optional, then exactly one required, so a mistake names the field
 * and the fix instead of zod's bare "Invalid input" for a union.
 */
const notifySchema = z
  .object(
    {
      email: z.email('expected one e-mail address, e.g. "finance@example.com"').optional(),
      member: z.string().min(1, 'expected a PSA member identifier, e.g. "jsmith"').optional(),
    },
    { error: 'expected {"email": "<address>"} or {"member": "<PSA member identifier>"}' },
  )
  .strict()
  .superRefine((v, ctx) => {
    const given = [v.email, v.member].filter((x) => x !== undefined).length;
    if (given === 1) return;
    ctx.addIssue({
      code: 'custom',
      message:
        given === 0
          ? 'give "email" (an address) or "member" (a PSA member identifier), e.g. {"email": "finance@example.com"}'
          : 'give either "email" or "member", not both: keep {"email": ...} to mail an address, or {"member": ...} to mail a PSA member',
    });
  })
  .transform((v): { email: string } | { member: string } => (v.email !== undefined ? { email: v.email } : { member: v.member! }));

const includeFlags = RECORD_KINDS.map((kind) => RECORD_KIND_INFO[kind].includeFlag);
/** Which record kinds a batch collects: one flag per kind, each on unless turned off. */
const includeSchema = z
  .object(Object.fromEntries(includeFlags.map((flag) => [flag, z.boolean().default(true)])) as Record<IncludeFlag, z.ZodDefault<z.ZodBoolean>>)
  .strict()
  .default(Object.fromEntries(includeFlags.map((flag) => [flag, true])) as Record<IncludeFlag, boolean>);

export const accountingBatchInputSchema = z
  .object({
    company,
    batchId: batchId.optional(),
    /** Post records dated up to and including this day (the PSA's "thru date"). */
    thruDate: isoDate.optional(),
    include: includeSchema,
    dryRun: z.boolean().default(false),
    notify: notifySchema.optional(),
    /** Records per chunk; by default four accounting batch calls' worth (ACCOUNTING_CHUNK_SIZE). */
    chunkSize: z.number().int().min(1).max(500).optional(),
    /** "psa": post the GL entries the PSA exported; "current": re-resolve with today's setup table. */
    glSource: z.enum(['psa', 'current']).default('psa'),
    /** Post even when the company's latest go-live checklist has not passed (recorded in the report). */
    override: z.boolean().default(false),
    /** How long a batch with failures waits for `retryFailed` before it closes. */
    retryWindow: z
      .string()
      .regex(/^\d+(s|m|h|d)$/, 'expected a duration such as 30m, 24h or 7d')
      .default('24h'),
    maxConcurrentChunks: z.number().int().min(1).max(16).default(4),
  })
  .strict();

export type AccountingBatchInput = z.input<typeof accountingBatchInputSchema>;
export type AccountingBatchOptions = z.output<typeof accountingBatchInputSchema>;

/** The fields of the object a path leads to in a schema (through optional, default, pipe). */
function fieldsAt(schema: z.ZodType | undefined, path: readonly PropertyKey[]): string[] | undefined {
  const defOf = (s: z.ZodType | undefined) => s?._zod.def as unknown as Record<string, unknown> | undefined;
  let node = defOf(schema);
  let rest = [...path];
  for (let guard = 0; node && guard < 50; guard++) {
    const type = node.type;
    if (type === 'object') {
      const shape = node.shape as Record<string, z.ZodType>;
      if (rest.length === 0) return Object.keys(shape);
      const next = shape[String(rest[0])];
      rest = rest.slice(1);
      node = defOf(next);
    } else if (type === 'optional' || type === 'default' || type === 'nullable' || type === 'prefault') {
      node = defOf(node.innerType as z.ZodType);
    } else if (type === 'pipe') {
      node = defOf(node.in as z.ZodType);
    } else return undefined;
  }
  return undefined;
}

export const reverseBatchInputSchema = z
  .object({
    /** The accounting batch to reverse, by its workflow id. */
    batch: z.string().min(1).max(255),
    /** The accounting company the batch posted to (absent: the deployment's only company). */
    company,
    /** List what would be voided, deleted and returned to unposted, and change nothing. Reversing needs `false`. */
    dryRun: z.boolean().default(true),
    notify: notifySchema.optional(),
  })
  .strict();

export type ReverseBatchInput = z.input<typeof reverseBatchInputSchema>;

/** A known field spelt differently: same letters in another case, or one or two letters off. */
function closest(key: string, fields: readonly string[]): string | undefined {
  const distance = (a: string, b: string): number => {
    const row = Array.from({ length: b.length + 1 }, (_, j) => j);
    for (let i = 1; i <= a.length; i++) {
      let previous = row[0]!;
      row[0] = i;
      for (let j = 1; j <= b.length; j++) {
        const kept = row[j]!;
        row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, previous + (a[i - 1] === b[j - 1] ? 0 : 1));
        previous = kept;
      }
    }
    return row[b.length]!;
  };
  return fields.find((f) => f.toLowerCase() === key.toLowerCase()) ?? fields.find((f) => distance(f.toLowerCase(), key.toLowerCase()) <= 2);
}

function describeIssue(issue: z.core.$ZodIssue, schema: z.ZodType | undefined): string {
  const where = issue.path.length ? issue.path.join('.') : 'input';
  if (issue.code === 'unrecognized_keys') {
    const fields = fieldsAt(schema, issue.path);
    return issue.keys
      .map((key) => {
        const near = fields && closest(key, fields);
        const hint = near ? ` (did you mean "${near}"?)` : '';
        const known = fields ? `; the accepted fields are ${fields.join(', ')}` : '; remove it';
        return `${where}: unknown field "${key}"${hint}${known}`;
      })
      .join('; ');
  }
  if (issue.code === 'invalid_type' && issue.path.length === 0) {
    return `input: expected a JSON object such as {} (every field is optional), received ${issue.message.replace(/^.*received\s+/, '')}`;
  }
  return `${where}: ${issue.message}`;
}

/**
 * Readable one-paragraph message for a failed parse, naming each field and what it expects. With
 * the schema, an unknown field also lists the accepted ones and the likely intended spelling.
 */
export function describeZodError(error: z.ZodError, schema?: z.ZodType): string {
  return error.issues.map((issue) => describeIssue(issue, schema)).join('; ');
}

const isoDateTime = z.iso.datetime({ offset: true });
/** A day (YYYY-MM-DD, midnight UTC) or an ISO date-time with a zone. */
const instant = z
  .string()
  .refine(
    (s) => isoDate.safeParse(s).success || isoDateTime.safeParse(s).success,
    'expected a day as YYYY-MM-DD or an ISO date-time with a zone, e.g. 2026-11-23T06:00:00Z',
  );

export const paymentSyncInputSchema = z
  .object({
    company,
    /** Read payments updated from this moment; default: the last successful run's watermark. */
    since: instant.optional(),
    /** ...up to this moment; default: when the run started. */
    until: instant.optional(),
    /** How far back the very first run reads (no `since`, no watermark yet). */
    lookback: z
      .string()
      .regex(/^\d+(m|h|d)$/, 'expected a duration such as 90m, 12h or 30d')
      .default('30d'),
    notify: notifySchema.optional(),
  })
  .strict()
  .refine((v) => v.since === undefined || v.until === undefined || Date.parse(v.since.length === 10 ? `${v.since}T00:00:00Z` : v.since) < Date.parse(v.until.length === 10 ? `${v.until}T00:00:00Z` : v.until), {
    message: 'since must be before until',
    path: ['since'],
  });

export type PaymentSyncInput = z.input<typeof paymentSyncInputSchema>;
export type PaymentSyncOptions = z.output<typeof paymentSyncInputSchema>;

/** Durations the go-live checklist waits: whole seconds, minutes, hours or days. */
const waitDuration = z
  .string()
  .regex(/^[1-9]\d*(s|m|h|d)$/, 'expected a positive duration such as 30m, 48h or 2d');

const manualItemId = z.string().regex(/^[a-z0-9][a-z0-9-]{0,39}$/, 'use 1-40 lower-case letters, digits or dashes');

export const goLiveChecklistInputSchema = z
  .object({
    company,
    /** Conversion or lock date: unposted records before it must be removed. Default: QuickBooks' closing date. */
    lockDate: isoDate.optional(),
    /** Steps a person confirms (ids of the standard ones, or { id, title }). Default: test-invoices, chart-signoff. */
    manualItems: z
      .array(z.union([manualItemId, z.object({ id: manualItemId, title: z.string().min(1).max(200) }).strict()]))
      .max(20)
      .refine((items) => new Set(items.map((i) => (typeof i === 'string' ? i : i.id))).size === items.length, 'manual item ids must be unique')
      .optional(),
    /** When to e-mail a reminder about unconfirmed manual items. */
    reminderAfter: waitDuration.default('2d'),
    /** When to stop waiting; unconfirmed items stay unconfirmed and the checklist is Incomplete. */
    confirmTimeout: waitDuration.default('14d'),
  })
  .strict();

export type GoLiveChecklistInput = z.input<typeof goLiveChecklistInputSchema>;
export type GoLiveChecklistOptions = z.output<typeof goLiveChecklistInputSchema>;
