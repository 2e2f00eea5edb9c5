/**
 * The accounting companies one deployment posts to, as data: a JSON or YAML file
 * (LEDGERLINE_COMPANIES_FILE) or the same document inline (LEDGERLINE_COMPANIES), validated with zod.
 * Each company names its QuickBooks connection, matching settings, rate limit, schedules and which
 * ConnectWise locations, business units and owner levels route to it. Secrets are never written in
 * the document: it names an environment variable or a secret file holding each one
 * (`{ "env": "QBO_EAST_CLIENT_SECRET" }`, `{ "file": "/run/secrets/east" }`), read by the worker at start.
 *
 * Without either setting the deployment has one company, `default`, described by today's QBO_*
 * variables (its secrets are references to those variables).
 */
import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { COMPANY_NAME, COMPANY_NAME_RULE, DEFAULT_COMPANY, hasRoutingKeys, type RoutingRule } from '../domain/routing';
import { ConfigError, type WorkerConfig } from './index';
import type { QuickBooksLimits } from '../integrations/quickbooks/pacer';
import { credentialUrl } from './secure-url';

export const INTUIT_API = 'https://quickbooks.api.intuit.com';
export const INTUIT_TOKEN_URL = 'https://oauth.platform.intuit.com/oauth2/v1/tokens/bearer';

const envName = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'expected an environment variable name');
export const secretRefSchema = z.union([z.object({ env: envName }).strict(), z.object({ file: z.string().min(1) }).strict()], {
  error: (issue) =>
    typeof issue.input === 'string'
      ? 'secrets are never written in the companies configuration: give { "env": "VARIABLE" } or { "file": "/run/secrets/name" }'
      : 'expected { "env": "VARIABLE" } or { "file": "/path/to/secret" }',
});
export type SecretRef = z.infer<typeof secretRefSchema>;

const ids = z.array(z.number().int().nonnegative()).min(1, 'list at least one id, or leave the key out');
const when = z.string().trim().min(1);

const quickbooksSchema = z
  .object({
    baseUrl: credentialUrl.default(INTUIT_API),
    realmId: z.string().regex(/^\d+$/, 'expected the numeric QuickBooks company (realm) id'),
    tokenUrl: credentialUrl.default(INTUIT_TOKEN_URL),
    /** Not a secret, so it may be written out; a reference works too. */
    clientId: z.union([z.string().min(1), secretRefSchema]),
    clientSecret: secretRefSchema,
    /** The first refresh token (and optionally access token) from the OAuth connect flow: seeds the token store. */
    refreshToken: secretRefSchema.optional(),
    accessToken: secretRefSchema.optional(),
    /**
     * Where the rotating tokens live: "temporal" (default; shared by every worker on every host,
     * sealed with a key derived from the client secret) or { "file": path } (one host only).
     */
    tokenStore: z.union([z.literal('temporal'), z.object({ file: z.string().min(1) }).strict()]).default('temporal'),
    minorVersion: z.number().int().min(75).optional(),
  })
  .strict();

const companySchema = z
  .object({
    name: z
      .string()
      .regex(COMPANY_NAME, COMPANY_NAME_RULE)
      // "<accounting queue>-batch-calls" is the company's batch-call queue: no other company's may be named so.
      .refine((name) => !/(^|-)batch-calls$/.test(name), 'a name ending in "batch-calls" would share a task queue with another company\'s batch calls: choose another'),
    quickbooks: quickbooksSchema,
    /** Deployment-wide defaults (GL_ACCOUNT_MATCH, ...) apply to what is left out. */
    matching: z
      .object({
        glAccountMatch: z.enum(['name', 'number']),
        createMissingParties: z.boolean(),
        astTaxTolerance: z.string().regex(/^\d+(\.\d{1,2})?$/, 'a money amount such as 0.05'),
        astTaxAboveTolerance: z.enum(['warn', 'refuse']),
        nonTaxableTaxCode: z.string().min(1),
      })
      .partial()
      .strict()
      .default({}),
    /**
     * The company's QuickBooks throttles (default the QBO_* limits) and its accounting queue's rate
     * limit, for all workers together (default ACCOUNTING_MAX_ACTIVITIES_PER_SECOND, else requests a minute / 60).
     */
    rateLimit: z
      .object({
        requestsPerMinute: z.number().int().positive(),
        batchCallsPerMinute: z.number().int().positive(),
        concurrentRequests: z.number().int().positive(),
        accountingActivitiesPerSecond: z.number().positive(),
      })
      .partial()
      .strict()
      .default({}),
    /** Its Schedules; what is left out comes from the LEDGERLINE_*_SCHEDULE settings. */
    schedules: z
      .object({ batch: when, payments: when, timezone: z.string().min(1), batchInput: z.record(z.string(), z.unknown()), paymentSyncInput: z.record(z.string(), z.unknown()) })
      .partial()
      .strict()
      .default({}),
    routing: z.object({ locations: ids, businessUnits: ids, ownerLevels: ids }).partial().strict().default({}),
    /** Where its reports go when an input names no recipient (default MAIL_DEFAULT_TO). */
    mail: z.object({ defaultTo: z.string().min(1) }).partial().strict().default({}),
  })
  .strict();

export type CompanyConfig = z.infer<typeof companySchema>;

const documentSchema = z
  .object({ companies: z.array(companySchema).min(1, 'list at least one accounting company') })
  .strict()
  .superRefine(({ companies }, ctx) => {
    const seen = new Map<string, number>();
    const realms = new Map<string, number>();
    companies.forEach((c, i) => {
      if (seen.has(c.name)) ctx.addIssue({ code: 'custom', path: ['companies', i, 'name'], message: `"${c.name}" is also the name of companies[${seen.get(c.name)}]` });
      seen.set(c.name, i);
      const realm = c.quickbooks.realmId;
      if (realms.has(realm)) ctx.addIssue({ code: 'custom', path: ['companies', i, 'quickbooks', 'realmId'], message: `realm ${realm} is also companies[${realms.get(realm)}]'s: one company per QuickBooks realm` });
      realms.set(realm, i);
      if (companies.length > 1 && !hasRoutingKeys(c.routing)) {
        ctx.addIssue({ code: 'custom', path: ['companies', i, 'routing'], message: 'with several companies, each names the locations, businessUnits or ownerLevels it books' });
      }
    });
  });

function describeIssues(error: z.ZodError, source: string): string {
  return `Invalid accounting companies in ${source}:\n${error.issues.map((i) => `  ${i.path.join('.') || '(document)'}: ${i.message}`).join('\n')}`;
}

function readDocument(env: NodeJS.ProcessEnv): { raw: unknown; source: string } | undefined {
  const file = env.LEDGERLINE_COMPANIES_FILE;
  const inline = env.LEDGERLINE_COMPANIES;
  if (file && inline) throw new ConfigError('Set LEDGERLINE_COMPANIES_FILE or LEDGERLINE_COMPANIES, not both');
  if (inline) {
    try {
      return { raw: JSON.parse(inline), source: 'LEDGERLINE_COMPANIES' };
    } catch (err) {
      throw new ConfigError(`LEDGERLINE_COMPANIES is not JSON: ${(err as Error).message}`);
    }
  }
  if (!file) return undefined;
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new ConfigError(`LEDGERLINE_COMPANIES_FILE ${file} cannot be read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
  try {
    return { raw: /\.ya?ml$/i.test(file) ? parseYaml(text) : JSON.parse(text), source: file };
  } catch (err) {
    throw new ConfigError(`LEDGERLINE_COMPANIES_FILE ${file} is not ${/\.ya?ml$/i.test(file) ? 'YAML' : 'JSON'}: ${(err as Error).message}`);
  }
}

/** The one company of a deployment configured by QBO_* variables; secrets stay references to them. */
function defaultCompany(env: NodeJS.ProcessEnv): CompanyConfig {
  const minor = env.QBO_MINOR_VERSION ? Number(env.QBO_MINOR_VERSION) : undefined;
  const parsed = companySchema.safeParse({
    name: DEFAULT_COMPANY,
    quickbooks: {
      baseUrl: env.QBO_BASE_URL || INTUIT_API,
      realmId: env.QBO_REALM_ID,
      tokenUrl: env.QBO_TOKEN_URL || INTUIT_TOKEN_URL,
      clientId: { env: 'QBO_CLIENT_ID' },
      clientSecret: { env: 'QBO_CLIENT_SECRET' },
      ...(env.QBO_REFRESH_TOKEN && { refreshToken: { env: 'QBO_REFRESH_TOKEN' } }),
      ...(env.QBO_ACCESS_TOKEN && { accessToken: { env: 'QBO_ACCESS_TOKEN' } }),
      tokenStore: env.QBO_TOKEN_STORE === 'file' ? { file: env.QBO_TOKEN_FILE || '.temporal/qbo-tokens.json' } : 'temporal',
      ...(minor !== undefined && Number.isInteger(minor) && minor >= 75 && { minorVersion: minor }),
    },
  });
  if (!parsed.success) throw new ConfigError(`${describeIssues(parsed.error, 'the QBO_* variables')}\n  (or list the companies in LEDGERLINE_COMPANIES_FILE)`);
  return parsed.data;
}

/**
 * A company's QuickBooks throttles (its rateLimit, else the deployment's QBO_* limits), which its
 * client paces within, and its accounting queue's rate for all workers together (its own, else
 * ACCOUNTING_MAX_ACTIVITIES_PER_SECOND, else its requests a minute as a rate a second).
 */
export function companyRates(
  company: CompanyConfig,
  config: Pick<WorkerConfig, 'QBO_REQUESTS_PER_MINUTE' | 'QBO_BATCH_CALLS_PER_MINUTE' | 'QBO_CONCURRENT_REQUESTS' | 'ACCOUNTING_MAX_ACTIVITIES_PER_SECOND'>,
): { limits: QuickBooksLimits; activitiesPerSecond: number } {
  const r = company.rateLimit;
  const limits = {
    requestsPerMinute: r.requestsPerMinute ?? config.QBO_REQUESTS_PER_MINUTE,
    batchCallsPerMinute: r.batchCallsPerMinute ?? config.QBO_BATCH_CALLS_PER_MINUTE,
    concurrentRequests: r.concurrentRequests ?? config.QBO_CONCURRENT_REQUESTS,
  };
  return { limits, activitiesPerSecond: r.accountingActivitiesPerSecond ?? config.ACCOUNTING_MAX_ACTIVITIES_PER_SECOND ?? limits.requestsPerMinute / 60 };
}

/** Whether the deployment lists its companies (else QBO_* describe the one company). */
export function hasCompaniesDocument(env: NodeJS.ProcessEnv): boolean {
  return Boolean(env.LEDGERLINE_COMPANIES_FILE || env.LEDGERLINE_COMPANIES);
}

/** The deployment's accounting companies, in the order configured; secrets still references. */
export function loadCompanies(env: NodeJS.ProcessEnv = process.env): CompanyConfig[] {
  const doc = readDocument(env);
  if (!doc) return [defaultCompany(env)];
  const parsed = documentSchema.safeParse(doc.raw);
  if (!parsed.success) throw new ConfigError(describeIssues(parsed.error, doc.source));
  return parsed.data.companies;
}

/** A secret's value, read where its reference points; `where` names the field for the message. */
export function readSecret(ref: SecretRef | string, env: NodeJS.ProcessEnv, where: string): string {
  if (typeof ref === 'string') return ref;
  if ('env' in ref) {
    const value = env[ref.env];
    if (!value) throw new ConfigError(`${where}: environment variable ${ref.env} is not set`);
    return value;
  }
  let value: string;
  try {
    value = readFileSync(ref.file, 'utf8').trim();
  } catch (err) {
    throw new ConfigError(`${where}: secret file ${ref.file} cannot be read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
  if (!value) throw new ConfigError(`${where}: secret file ${ref.file} is empty`);
  return value;
}

export { DEFAULT_COMPANY, type RoutingRule };
