/**
 * A local SMTP sink for `npm start` and the tests: accepts every message (with any login or none,
 * no TLS) on 127.0.0.1 and keeps it under .sandbox/mail/, so reports can be read without a real
 * mail server. Run alone with `tsx dev/sandbox/mail/smtp-sink.ts` (SMTP_SINK_PORT, SMTP_SINK_DIR).
 */
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { DEFAULT_MAIL_DIR, listMail, readMail, storeMail, type StoredMail, type StoredMailEntry } from './mail-store';

export const DEFAULT_SMTP_SINK_PORT = 8725;
/** Reports are small; anything near this is a bug worth refusing loudly. */
const MAX_MESSAGE_BYTES = 10 * 1024 * 1024;

export interface SmtpSinkOptions {
  /** 0 picks a free port. */
  port?: number;
  host?: string;
  dir?: string;
}

export interface SmtpSink {
  port: number;
  host: string;
  dir: string;
  close(): Promise<void>;
  list(): Promise<StoredMailEntry[]>;
  read(id: string): Promise<StoredMail | undefined>;
}

export async function startSmtpSink(options: SmtpSinkOptions = {}): Promise<SmtpSink> {
  const host = options.host ?? '127.0.0.1';
  const dir = path.resolve(options.dir ?? DEFAULT_MAIL_DIR);

  const server = new SMTPServer({
    secure: false,
    disabledCommands: ['STARTTLS'],
    authOptional: true,
    allowInsecureAuth: true,
    size: MAX_MESSAGE_BYTES,
    logger: false,
    banner: 'Ledgerline SMTP sink',
    onAuth(auth, _session, callback) {
      // Any login works: the sink stands in for a server whose credentials we do not test here.
      callback(null, { user: auth.username ?? 'anonymous' });
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('error', (err) => callback(err));
      stream.on('end', () => {
        if (stream.sizeExceeded) {
          callback(Object.assign(new Error('Message exceeds the sink\'s size limit'), { responseCode: 552 }));
          return;
        }
        const envelope = {
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : undefined,
          to: session.envelope.rcptTo.map((r) => r.address),
        };
        storeMail(dir, Buffer.concat(chunks), envelope).then(
          (entry) => callback(null, `Stored as ${entry.id}`),
          (err: unknown) => callback(err instanceof Error ? err : new Error(String(err))),
        );
      });
    },
  });

  await new Promise<void>((resolve, reject) => {
    const onError = (err: Error) => reject(err);
    server.once('error', onError);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', onError);
      resolve();
    });
  });
  const port = (server.server.address() as AddressInfo).port;

  return {
    port,
    host,
    dir,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
    list: () => listMail(dir),
    read: (id) => readMail(dir, id),
  };
}

/** The sink's settings from the environment, as `npm start` runs it. */
export function smtpSinkOptionsFromEnv(env: NodeJS.ProcessEnv = process.env): Required<SmtpSinkOptions> {
  const port = env.SMTP_SINK_PORT ? Number(env.SMTP_SINK_PORT) : DEFAULT_SMTP_SINK_PORT;
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`SMTP_SINK_PORT must be a port number, got "${env.SMTP_SINK_PORT}"`);
  return { port, host: '127.0.0.1', dir: env.SMTP_SINK_DIR || DEFAULT_MAIL_DIR };
}

if (require.main === module) {
  startSmtpSink(smtpSinkOptionsFromEnv()).then(
    (sink) => {
      console.log(`SMTP sink listening on ${sink.host}:${sink.port}, storing mail in ${sink.dir}`);
      const stop = () => void sink.close().then(() => process.exit(0));
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    },
    (err: unknown) => {
      console.error(`SMTP sink failed to start: ${err instanceof Error ? err.message : String(err)}`);
      process.exit(1);
    },
  );
}
