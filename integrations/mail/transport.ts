/**
 * The report mailer: one message over real SMTP (nodemailer), with every failure turned into a
 * LedgerError so the mail activity can tell "retry later" from "fix the settings".
 * A fresh connection per message: reports are rare, and a pooled socket would only go stale.
 */
import nodemailer from 'nodemailer';
import { parseMailerConfig, requiresStartTls, type MailerConfigInput } from './config';
import { toLedgerError } from './smtp-errors';

export interface MailMessage {
  to: string | string[];
  subject: string;
  text: string;
  html: string;
}

export interface Mailer {
  /** Sends one message; resolves with its Message-ID, rejects with a LedgerError. */
  send(message: MailMessage): Promise<string>;
}

/** The part of a pino logger the mailer uses; addresses and ids only, never message bodies or secrets. */
export interface MailLogger {
  info(fields: object, message: string): void;
  warn(fields: object, message: string): void;
}

export function createMailer(input: MailerConfigInput, logger?: MailLogger): Mailer {
  const config = parseMailerConfig(input);
  const endpoint = { host: config.host, port: config.port };
  const secrets = [config.password ?? ''];
  const transport = nodemailer.createTransport({
    host: config.host,
    port: config.port,
    secure: config.secure,
    // Credentials never cross the wire unencrypted: no STARTTLS, no login.
    requireTLS: requiresStartTls(config),
    tls: config.tlsCa ? { ca: config.tlsCa } : undefined,
    auth: config.user ? { user: config.user, pass: config.password } : undefined,
    connectionTimeout: config.connectionTimeoutMs,
    greetingTimeout: config.greetingTimeoutMs,
    socketTimeout: config.socketTimeoutMs,
    // nodemailer's own logging can include the SMTP dialogue (AUTH lines): keep it off.
    logger: false,
    debug: false,
  });

  return {
    async send(message) {
      const info = await transport
        .sendMail({ from: config.from, to: message.to, subject: message.subject, text: message.text, html: message.html })
        .catch((err: unknown) => {
          const error = toLedgerError(err, endpoint, secrets);
          logger?.warn({ ...endpoint, type: error.type, details: error.details }, 'report e-mail not sent');
          throw error;
        });
      // Some recipients refused while others took it: the message exists, so this is not a failure
      // to retry (that would duplicate it for the rest), but it must not pass silently either.
      if (info.rejected.length > 0) {
        logger?.warn({ ...endpoint, messageId: info.messageId, rejected: info.rejected }, 'report e-mail refused for some recipients');
      }
      logger?.info({ ...endpoint, messageId: info.messageId, accepted: info.accepted.length }, 'report e-mail sent');
      return info.messageId;
    },
  };
}
