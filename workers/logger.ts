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

export function createLogger(options: { level?: string; name?: string; pretty?: boolean } = {}): Logger {
  const pretty = options.pretty ?? (process.stdout.isTTY === true && process.env.NODE_ENV !== 'production');
  return pino({
    name: options.name ?? 'ledgerline',
    level: options.level ?? 'info',
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    transport: pretty ? { target: 'pino-pretty', options: { colorize: true, translateTime: 'SYS:HH:MM:ss.l' } } : undefined,
  });
}
