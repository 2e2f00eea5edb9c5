/**
 * Nodemailer's SMTP errors -> the product's error taxonomy. Only the facts an operator needs
 * (code, reply code, SMTP verb) survive; server replies are scrubbed of the credentials first,
 * because some servers echo the AUTH line back and a history is forever.
 */
import { LedgerError, type LedgerErrorType } from '../../domain/errors';

/** The fields nodemailer puts on its errors (all optional: it depends where the send failed). */
export interface SmtpFailure {
  code?: string;
  originalCode?: string;
  responseCode?: number;
  response?: string;
  command?: string;
  permanent?: boolean;
  rejected?: string[];
  timeoutType?: string;
  message?: string;
}

export interface SmtpEndpoint {
  host: string;
  port: number;
}

const CONNECTION_CODES = new Set(['ECONNECTION', 'ESOCKET', 'EDNS', 'ETIMEDOUT', 'EPROXY']);
const AUTH_CODES = new Set(['EAUTH', 'ENOAUTH']);

/** Replaces every secret, raw or as base64 (AUTH PLAIN/LOGIN carry them that way), with "***". */
export function redactSecrets(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) {
    if (!secret) continue;
    const forms = [secret, Buffer.from(secret).toString('base64')];
    for (const form of forms) out = out.split(form).join('***');
  }
  return out;
}

const SMTP_VERB = /^(EHLO|HELO|LHLO|STARTTLS|AUTH [A-Z0-9-]+|MAIL FROM|RCPT TO|DATA|RSET|NOOP|QUIT)\b/i;

/**
 * Only a known verb, never the whole command: "AUTH PLAIN <base64>" carries the password, and
 * during AUTH LOGIN the command *is* the base64 password.
 */
export function smtpVerb(command: string | undefined): string | undefined {
  return command === undefined ? undefined : SMTP_VERB.exec(command)?.[1]?.toUpperCase();
}

/** No STARTTLS offered (ETLS), or a certificate this machine does not trust (Node's TLS codes). */
function tlsRefused(err: SmtpFailure): boolean {
  return err.code === 'ETLS' || /CERT|SELF_SIGNED|ALTNAME|UNABLE_TO_(VERIFY|GET_ISSUER)/.test(err.originalCode ?? '');
}

function classify(err: SmtpFailure): LedgerErrorType {
  const code = err.code ?? '';
  // A 4xx reply (greylisting, 421 shutting down, 454 temporary auth trouble) clears up by itself.
  const transientReply = err.responseCode !== undefined && err.permanent === false;
  if (AUTH_CODES.has(code)) return transientReply ? 'Unavailable' : 'AuthenticationFailed';
  // No STARTTLS offered, or a certificate this machine does not trust: a setting to fix, not a retry.
  if (tlsRefused(err)) return transientReply ? 'Unavailable' : 'InvalidInput';
  if (CONNECTION_CODES.has(code)) return 'Unavailable';
  if (code === 'ECONFIG') return 'InvalidInput';
  if (err.responseCode === 530 || err.responseCode === 535) return 'AuthenticationFailed';
  if (transientReply) return 'Unavailable';
  if (code === 'EENVELOPE' || code === 'EMESSAGE' || err.permanent === true) return 'ValidationRejected';
  // Anything unrecognised is treated as passing trouble; Temporal's retry policy bounds it.
  return 'Unavailable';
}

const FIXES: Partial<Record<LedgerErrorType, string>> = {
  Unavailable: 'Check that the SMTP server is running and reachable at SMTP_HOST:SMTP_PORT; the send is retried.',
  AuthenticationFailed: 'Check SMTP_USER and SMTP_PASSWORD (and that the account may send mail), then restart the worker.',
  ValidationRejected: 'Check the recipient address (notify.email or the member\'s e-mail) and MAIL_FROM; the server refused them.',
  InvalidInput: 'Correct the SMTP settings and restart the worker.',
};

const TLS_FIX =
  'The SMTP server must offer TLS with a certificate this machine trusts: with SMTP_USER set the login travels only over TLS ' +
  '(SMTP_SECURE=true for port 465, otherwise the server must offer STARTTLS); for a private CA set SMTP_TLS_CA_FILE.';

function definedOnly(fields: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined));
}

export function toLedgerError(raw: unknown, endpoint: SmtpEndpoint, secrets: readonly string[]): LedgerError {
  const err: SmtpFailure = typeof raw === 'object' && raw !== null ? (raw as SmtpFailure) : { message: String(raw) };
  const type = classify(err);
  const scrub = (s: string | undefined) => (s === undefined ? undefined : redactSecrets(s, secrets).slice(0, 300));
  const verb = smtpVerb(err.command);
  const rejected = err.rejected?.slice(0, 10);
  const what = rejected?.length ? `recipient ${rejected.join(', ')} refused` : scrub(err.response ?? err.message) ?? 'unknown error';
  const message = `SMTP ${endpoint.host}:${endpoint.port}: ${what}${err.code ? ` (${err.code})` : ''}`;
  return new LedgerError(type, message, {
    fix: type === 'InvalidInput' && tlsRefused(err) ? TLS_FIX : FIXES[type],
    details: definedOnly({
      host: endpoint.host,
      port: endpoint.port,
      code: err.code,
      originalCode: err.originalCode,
      responseCode: err.responseCode,
      command: verb,
      timeoutType: err.timeoutType,
      rejected,
    }),
  });
}
