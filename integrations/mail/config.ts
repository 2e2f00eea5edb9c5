/**
 * SMTP settings for the report mailer, checked once when the mailer is built so a typo in the
 * environment fails the worker at start rather than the first batch at its very end. A login
 * travels only over TLS: with a user set, a server reached without `secure` must upgrade by
 * STARTTLS (nodemailer's requireTLS), or nothing is sent.
 */
import { z } from 'zod';
import addressparser from 'nodemailer/lib/addressparser';
import { LedgerError } from '../../domain/errors';

/** Empty strings from the environment mean "not set", not "log in with an empty name". */
const optionalSetting = z
  .string()
  .optional()
  .transform((v) => (v === '' ? undefined : v));

/** Exactly one mailbox, with or without a display name: "Ledgerline <ledgerline@example.com>". */
const mailbox = z.string().refine((value) => {
  const parsed = addressparser(value, { flatten: true });
  return parsed.length === 1 && /.@./.test(parsed[0]?.address ?? '');
}, 'expected one e-mail address, e.g. "Ledgerline <ledgerline@example.com>"');

export const mailerConfigSchema = z
  .object({
    host: z.string().min(1),
    port: z.number().int().min(1).max(65535),
    /** true: TLS from the first byte (port 465); false: upgraded by STARTTLS (required with a login). */
    secure: z.boolean(),
    user: optionalSetting,
    password: optionalSetting,
    from: mailbox,
    /** PEM certificates of a private CA the SMTP server's certificate is issued by (SMTP_TLS_CA_FILE). */
    tlsCa: optionalSetting,
    /** Short defaults: a report is not worth holding an activity slot for minutes. */
    connectionTimeoutMs: z.number().int().positive().default(10_000),
    greetingTimeoutMs: z.number().int().positive().default(10_000),
    socketTimeoutMs: z.number().int().positive().default(60_000),
  })
  .refine((c) => c.password === undefined || c.user !== undefined, {
    message: 'a password needs a user',
    path: ['user'],
  });

export type MailerConfigInput = z.input<typeof mailerConfigSchema>;

/** With a login, TLS is required: from the first byte (secure) or by STARTTLS before AUTH. */
export function requiresStartTls(config: { secure: boolean; user?: string }): boolean {
  return !config.secure && config.user !== undefined;
}
export type MailerConfig = z.output<typeof mailerConfigSchema>;

/** Validates the settings; the error names fields and rules only, never a value (the password). */
export function parseMailerConfig(input: unknown): MailerConfig {
  const result = mailerConfigSchema.safeParse(input);
  if (result.success) return result.data;
  const problems = result.error.issues
    .map((issue) => `${issue.path.join('.') || 'config'}: ${issue.message}`)
    .join('; ');
  throw new LedgerError('InvalidInput', `SMTP settings are invalid: ${problems}`, {
    fix: 'Correct SMTP_HOST, SMTP_PORT, SMTP_SECURE, SMTP_USER, SMTP_PASSWORD, SMTP_TLS_CA_FILE or MAIL_FROM and restart the worker.',
  });
}
