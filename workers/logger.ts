/**
 * The process logger: pino, JSON by default, pretty in a terminal. Redaction removes every field that
 * could carry a credential, wherever it sits in the logged object.
 */
import pino, { type Logger } from 'pino';

/** Paths pino blanks out; `*.x` covers one level of nesting, the explicit ones cover request shapes. */
export const REDACTED_PATHS = [
  'authorization',
  'Authorization',
  'password',
  'privateKey',
  'publicKey',
  'clientSecret',
  'accessToken',
  'refreshToken',
  'access_token',
  'refresh_token',
  'token',
  'apiKey',
  'key',
  'keys',
  '*.authorization',
  '*.Authorization',
  '*.password',
  '*.privateKey',
  '*.publicKey',
  '*.clientSecret',
  '*.accessToken',
  '*.refreshToken',
  '*.access_token',
  '*.refresh_token',
  '*.token',
  '*.apiKey',
  'headers.authorization',
  'headers.Authorization',
  'req.headers.authorization',
  '*.headers.authorization',
  '*.headers.Authorization',
];

/** Field names that carry credentials at any depth (header names, config keys, OAuth fields). */
const SECRET_FIELD =
  /^(authorization|proxy-authorization|cookie|set-cookie|x-api-key|key|keys|pass|passwd)$|(secret|password|token|private_?key|public_?key|api_?key|codec_?keys?)$/i;
/** Credentials embedded in free text, e.g. an error message quoting a request header. */
const SECRET_IN_TEXT = /\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]+/gi;
const CENSOR = '[redacted]';
const MAX_DEPTH = 10;

function scrubText(text: string): string {
  return text.replace(SECRET_IN_TEXT, `$1 ${CENSOR}`);
}

/**
 * Copy of `value` with secret fields censored at every depth and credentials cut out of strings.
 * Pino's path redaction only reaches the levels it is told about; HTTP errors nest headers deeper.
 */
export function redactSecrets(value: unknown, depth = 0, seen = new WeakSet<object>()): unknown {
  if (typeof value === 'string') return scrubText(value);
  if (value === null || typeof value !== 'object') return value;
  if (seen.has(value) || depth > MAX_DEPTH) return '[elided]';
  seen.add(value);
  const walk = (v: unknown) => redactSecrets(v, depth + 1, seen);
  if (Array.isArray(value)) return value.map(walk);
  if (value instanceof Uint8Array || value instanceof Date) return value;
  // Keep Errors as Errors so pino's err serializer still names their type.
  const copy: Record<string, unknown> = value instanceof Error ? Object.create(Object.getPrototypeOf(value)) : {};
  if (value instanceof Error) {
    for (const field of ['message', 'stack', 'cause'] as const) {
      if (value[field] !== undefined) copy[field] = walk(value[field]);
    }
  }
  for (const [field, inner] of Object.entries(value)) {
    copy[field] = SECRET_FIELD.test(field) ? CENSOR : walk(inner);
  }
  return copy;
}

export interface LoggerOptions {
  level?: string;
  name?: string;
  pretty?: boolean;
  /** Where lines go instead of stdout (tests, files). */
  destination?: pino.DestinationStream;
}

export function createLogger(options: LoggerOptions = {}): Logger {
  const pretty = !options.destination && (options.pretty ?? (process.stdout.isTTY === true && process.env.NODE_ENV !== 'production'));
  const settings: pino.LoggerOptions = {
    name: options.name ?? 'ledgerline',
    level: options.level ?? 'info',
    redact: { paths: REDACTED_PATHS, censor: CENSOR },
    formatters: {
      log: (object) => redactSecrets(object) as Record<string, unknown>,
      bindings: (bindings) => redactSecrets(bindings) as Record<string, unknown>,
    },
    hooks: {
      // Messages and interpolation arguments are free text that the formatters never see.
      logMethod(args, method) {
        const scrubbed: unknown[] = args.map((arg) => (typeof arg === 'string' ? scrubText(arg) : arg));
        // logger.error(err) makes err.message the line's msg, bypassing the formatters.
        if (scrubbed.length === 1 && scrubbed[0] instanceof Error) scrubbed.push(scrubText(scrubbed[0].message));
        method.apply(this, scrubbed as Parameters<typeof method>);
      },
    },
    transport: pretty
      ? {
          target: 'pino-pretty',
          options: { colorize: true, translateTime: 'SYS:HH:MM:ss', ignore: 'pid,hostname,sdkTime,sdkComponent,namespace,taskQueue,runId,updateId', singleLine: true },
        }
      : undefined,
  };
  return options.destination ? pino(settings, options.destination) : pino(settings);
}
