/**
 * Process configuration, the bottom layer every process reads: one zod schema over environment
 * variables, read once at start. Secrets (ConnectWise keys, QuickBooks client secret/tokens, SMTP
 * password, codec keys) live only here and in the clients built from it: never in workflow inputs,
 * results or logs.
 */
import { z } from 'zod';
import { credentialUrl } from './secure-url';

const hostPort = z
  .string()
  .regex(/^[^\s:]+:\d{1,5}$/, 'expected host:port, for example 127.0.0.1:7233');
const duration = z
  .string()
  .regex(/^\d+(ms|s|m|h)$/, 'expected a duration such as 500ms, 30s, 5m or 1h');
const port = z.coerce.number().int().min(0).max(65535);
const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

/** Empty strings from the environment mean "not set". */
const optionalSetting = z
  .string()
  .optional()
  .transform((v) => (v === '' ? undefined : v));
/** "a, b,c" -> ["a", "b", "c"]; unset or empty -> undefined. */
const commaList = optionalSetting.transform((v) => v?.split(',').map((s) => s.trim()).filter(Boolean)).transform((v) => (v?.length ? v : undefined));

const temporalSchema = z.object({
  /** production: prebuilt workflow bundle, no development codec key. */
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  TEMPORAL_ADDRESS: hostPort.default('127.0.0.1:7233'),
  TEMPORAL_NAMESPACE: z.string().min(1).default('default'),
  TEMPORAL_TASK_QUEUE: z.string().min(1).default('ledgerline'),
  TEMPORAL_UI_URL: z.url().default('http://localhost:8233'),
  /** Codec keys: a JSON key file ({ currentKeyId, keys: { id: base64 } }) and/or inline "id:base64,id2:base64". */
  LEDGERLINE_CODEC_KEY_FILE: z.string().optional(),
  LEDGERLINE_CODEC_KEYS: z.string().optional(),
  LEDGERLINE_CODEC_CURRENT_KEY_ID: z.string().optional(),
  /** Deflate large payloads before sealing them; off while workers older than this codec still run. */
  LEDGERLINE_CODEC_COMPRESS: bool.default(true),
});

const workerSchema = temporalSchema.extend({
  LOG_LEVEL: z.enum(['trace', 'debug', 'info', 'warn', 'error']).default('info'),
  WORKER_SHUTDOWN_GRACE: duration.default('30s'),
  /** Prebuilt workflow bundle (npm run build) used when NODE_ENV=production. */
  WORKFLOW_BUNDLE_PATH: z.string().default('dist/workflow-bundle.js'),
  /**
   * QuickBooks' throttles per company, which every worker paces its calls within: requests and batch
   * calls a minute, requests at once. A company's rateLimit overrides them.
   */
  QBO_REQUESTS_PER_MINUTE: z.coerce.number().int().positive().default(500),
  QBO_BATCH_CALLS_PER_MINUTE: z.coerce.number().int().positive().default(40),
  QBO_CONCURRENT_REQUESTS: z.coerce.number().int().positive().default(10),
  /** All workers together: accounting activities a second per company (default: its requests a minute / 60). */
  ACCOUNTING_MAX_ACTIVITIES_PER_SECOND: z.coerce.number().positive().optional(),
  /** Workflows a worker keeps in memory between tasks; more are replayed from history when needed. */
  MAX_CACHED_WORKFLOWS: z.coerce.number().int().positive().default(200),
  /**
   * Records a worker keeps prepared between a batch's steps, per accounting company, so resolve's
   * read serves post and reconcile; beyond it the oldest are read again when needed.
   */
  PREPARED_RECORDS_KEPT: z.coerce.number().int().nonnegative().default(1000),
  /** Activities one worker runs at once per task queue; each holds at most one chunk of records. */
  MAX_CONCURRENT_ACTIVITIES: z.coerce.number().int().positive().default(100),
  /**
   * How the GL setup's Account field is matched onto the chart: "name" (exact,
   * case-sensitive) or "number" (needs account numbers enabled in QuickBooks).
   */
  GL_ACCOUNT_MATCH: z.enum(['name', 'number']).default('name'),
  /**
   * Create missing QuickBooks customers and vendors for ConnectWise companies and expensing
   * members (never accounts or items). Off by default.
   */
  CREATE_MISSING_PARTIES: bool.default(false),
  /** How long a worker reuses the accounting chart and GL setup it read (fixes show up after this). */
  LEDGER_CONTEXT_TTL: duration.default('30s'),
  /** Automated Sales Tax: largest accepted difference per invoice between ConnectWise's tax and QuickBooks'. */
  AST_TAX_TOLERANCE: z.string().regex(/^\d+(\.\d{1,2})?$/, 'a money amount such as 0.05').default('0.00'),
  /** Automated Sales Tax above the tolerance: post with a warning (warn) or fail the record (refuse). */
  AST_TAX_ABOVE_TOLERANCE: z.enum(['warn', 'refuse']).default('warn'),
  /** Outside the US: the QuickBooks tax code sent on lines ConnectWise did not tax. */
  NON_TAXABLE_TAX_CODE: z.string().min(1).default('Exempt'),

  CW_BASE_URL: credentialUrl,
  CW_COMPANY_ID: z.string().min(1),
  CW_PUBLIC_KEY: z.string().min(1),
  CW_PRIVATE_KEY: z.string().min(1),
  CW_CLIENT_ID: z.string().min(1),
  CW_API_VERSION: z.string().default('2025.1'),

  /**
   * The accounting companies (config/companies.ts): a JSON or YAML file, or the same document inline.
   * Without either, the QBO_* variables below describe the deployment's one company, "default".
   */
  LEDGERLINE_COMPANIES_FILE: z.string().min(1).optional(),
  LEDGERLINE_COMPANIES: z.string().min(1).optional(),

  QBO_BASE_URL: credentialUrl.optional(),
  QBO_REALM_ID: z.string().regex(/^\d+$/, 'expected the numeric QuickBooks company (realm) id').optional(),
  QBO_CLIENT_ID: z.string().min(1).optional(),
  QBO_CLIENT_SECRET: z.string().min(1).optional(),
  QBO_TOKEN_URL: credentialUrl.optional(),
  /** Where the rotating tokens live: in Temporal, shared by every worker (default), or in QBO_TOKEN_FILE on one host. */
  QBO_TOKEN_STORE: z.enum(['temporal', 'file']).default('temporal'),
  /** With QBO_TOKEN_STORE=file: the token file (0600, single-writer lock); else read once to seed the Temporal store. */
  QBO_TOKEN_FILE: z.string().default('.temporal/qbo-tokens.json'),
  /** Initial tokens, used only when the token file does not exist yet. */
  QBO_ACCESS_TOKEN: z.string().optional(),
  QBO_REFRESH_TOKEN: z.string().optional(),
  QBO_MINOR_VERSION: z.coerce.number().int().min(75).default(75),

  SMTP_HOST: z.string().default('127.0.0.1'),
  SMTP_PORT: port.default(8725),
  SMTP_SECURE: bool.default(false),
  SMTP_USER: z.string().optional(),
  SMTP_PASSWORD: z.string().optional(),
  /** PEM file of a private CA that issued the SMTP server's certificate. */
  SMTP_TLS_CA_FILE: optionalSetting,
  MAIL_FROM: z.string().default('Ledgerline <ledgerline@localhost>'),
  /** Where reports go when a batch input names no recipient. */
  MAIL_DEFAULT_TO: z.string().default('finance@localhost'),
  /** Who reports may go to: addresses, domains or "*" (comma-separated); default MAIL_DEFAULT_TO's domain. */
  MAIL_ALLOWED_RECIPIENTS: commaList.pipe(
    z
      .array(z.union([z.literal('*'), z.email(), z.string().regex(/^@?[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*$/)], {
        error: 'each entry is an address (jane@example.com), a domain (example.com) or * (any recipient)',
      }))
      .optional(),
  ),
}).superRefine((config, ctx) => {
  // The one company of a deployment without a companies document is described by QBO_*.
  if (config.LEDGERLINE_COMPANIES_FILE || config.LEDGERLINE_COMPANIES) return;
  for (const key of ['QBO_BASE_URL', 'QBO_REALM_ID', 'QBO_CLIENT_ID', 'QBO_CLIENT_SECRET', 'QBO_TOKEN_URL'] as const) {
    if (config[key] === undefined) ctx.addIssue({ code: 'custom', path: [key], message: 'is required (or list the accounting companies in LEDGERLINE_COMPANIES_FILE)' });
  }
});

const codecServerSchema = temporalSchema.extend({
  /** 0.0.0.0 inside a container, so the published port reaches it. */
  CODEC_SERVER_HOST: z.string().min(1).default('127.0.0.1'),
  CODEC_SERVER_PORT: port.default(8734),
  /** Browser origins allowed to decode (comma-separated); defaults to TEMPORAL_UI_URL's origin. */
  CODEC_SERVER_UI_ORIGINS: z
    .string()
    .optional()
    .transform((v) => v?.split(',').map((s) => s.trim()).filter(Boolean))
    .pipe(z.array(z.url()).optional()),
  /** When set (non-empty), every request must carry `Authorization: Bearer <token>` or a valid access token. */
  CODEC_SERVER_TOKEN: z
    .string()
    .optional()
    .transform((v) => v || undefined),
  /** Namespaces it encodes and decodes for (comma-separated); default TEMPORAL_NAMESPACE. */
  CODEC_SERVER_NAMESPACES: commaList,
  /** The identity provider whose access tokens the Temporal UI forwards (codec.passAccessToken). */
  CODEC_SERVER_OIDC_ISSUER: optionalSetting.pipe(credentialUrl.optional()),
  /** The audience those access tokens are issued for. */
  CODEC_SERVER_OIDC_AUDIENCE: optionalSetting,
  /** The provider's signing keys; default: the jwks_uri of its discovery document. */
  CODEC_SERVER_OIDC_JWKS_URL: optionalSetting.pipe(credentialUrl.optional()),
}).refine((c) => (c.CODEC_SERVER_OIDC_ISSUER === undefined) === (c.CODEC_SERVER_OIDC_AUDIENCE === undefined), {
  message: 'set CODEC_SERVER_OIDC_ISSUER and CODEC_SERVER_OIDC_AUDIENCE together',
  path: ['CODEC_SERVER_OIDC_AUDIENCE'],
});

export type TemporalConfig = z.infer<typeof temporalSchema>;
export type CodecServerConfig = z.infer<typeof codecServerSchema>;
export type WorkerConfig = z.infer<typeof workerSchema>;

export class ConfigError extends Error {
  override name = 'ConfigError';
}

function parse<T extends z.ZodType>(schema: T, env: NodeJS.ProcessEnv): z.infer<T> {
  const result = schema.safeParse(env);
  if (result.success) return result.data;
  const lines = result.error.issues.map((issue) => {
    const key = issue.path.join('.') || '(environment)';
    const message = issue.code === 'invalid_type' && env[key] === undefined ? 'is required' : issue.message;
    return `  ${key}: ${message}`;
  });
  throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
}

/** Any process's own environment schema, with the same readable errors (ConfigError naming each variable). */
export { parse as parseEnvironment };

/** Settings every Temporal client needs (CLI, schedules, start orchestrator, tests). */
export function loadTemporalConfig(env: NodeJS.ProcessEnv = process.env): TemporalConfig {
  return parse(temporalSchema, env);
}

/** The standalone codec server (deployments other than `npm start`, which runs its own). */
export function loadCodecServerConfig(env: NodeJS.ProcessEnv = process.env): CodecServerConfig {
  return parse(codecServerSchema, env);
}

/** Everything a worker needs, integrations included. */
export function loadWorkerConfig(env: NodeJS.ProcessEnv = process.env): WorkerConfig {
  return parse(workerSchema, env);
}

/** Milliseconds from a config duration such as "30s". */
export function durationMs(value: string): number {
  const match = /^(\d+)(ms|s|m|h)$/.exec(value);
  if (!match) throw new ConfigError(`Not a duration: ${value}`);
  const unit = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[match[2] as 'ms' | 's' | 'm' | 'h'];
  return Number(match[1]) * unit;
}
