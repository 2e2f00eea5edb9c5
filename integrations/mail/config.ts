/**
 * SMTP settings for the report mailer, checked once when the mailer is built so a typo in the
 * environment fails the worker at start rather than the first batch at its very end.
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
    /** true: TLS from the first byte (port 465); false: plain, upgraded by STARTTLS when offered. */
    secure: z.boolean(),
    user: optionalSetting,
    password: optionalSetting,
    from: mailbox,
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
export type MailerConfig = z.output<typeof mailerConfigSchema>;

/** Validates the settings; the error names fields and rules only, never a value (the password). */
export function parseMailerConfig(input: unknown): MailerConfig {
  const result = mailerConfigSchema.safeParse(input);
  if (result.success) return result.data;
  const problems = result.error.issues
    .map((issue) => `${issue.path.join('.') || 'config'}: ${issue.message}`)
    .join('; ');
  throw new LedgerError('InvalidInput', `SMTP settings are invalid: ${problems}`, {
    fix: 'Correct SMTP_HOST, SMTP_PORT, SMTP_SECURE, SMTP_USER, SMTP_PASSWORD or MAIL_FROM and restart the worker.',
  });
}
