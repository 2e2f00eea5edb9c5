/**
 * A login travels only over TLS: with SMTP_USER set, the mailer upgrades by STARTTLS (or uses
 * implicit TLS) before AUTH, and refuses to log in to a server that offers no TLS or a certificate
 * this machine does not trust: the server never sees the credentials.
 */
import type { AddressInfo } from 'node:net';
import { SMTPServer, type SMTPServerOptions } from 'smtp-server';
import { isLedgerError, type LedgerError } from '../../../domain/errors';
import { createMailer, type MailerConfigInput } from '../../../integrations/mail';
import { selfSignedCertificate } from '../../helpers/tls-certificate';

const PASSWORD = 'tls-only-Passw0rd';
const TLS = selfSignedCertificate();
const message = { to: 'finance@acme.test', subject: 'Report', text: 'hello', html: '<p>hello</p>' };

interface Server {
  port: number;
  /** Each AUTH the server saw: whether the session was encrypted at that moment. */
  logins: Array<{ secure: boolean }>;
  delivered: number;
  close(): Promise<void>;
}

async function smtpServer(options: Partial<SMTPServerOptions>): Promise<Server> {
  const s = { logins: [], delivered: 0 } as unknown as Server;
  const server = new SMTPServer({
    logger: false,
    allowInsecureAuth: true,
    authOptional: true,
    ...options,
    onAuth(auth, session, callback) {
      s.logins.push({ secure: session.secure });
      callback(null, { user: auth.username });
    },
    onData(stream, _session, callback) {
      stream.resume();
      stream.on('end', () => {
        s.delivered++;
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  s.port = (server.server.address() as AddressInfo).port;
  s.close = () => new Promise<void>((resolve) => server.close(() => resolve()));
  return s;
}

const login = (port: number, extra: Partial<MailerConfigInput> = {}): MailerConfigInput => ({
  host: '127.0.0.1',
  port,
  secure: false,
  user: 'ledgerline',
  password: PASSWORD,
  from: 'ledgerline@localhost',
  connectionTimeoutMs: 3000,
  greetingTimeoutMs: 3000,
  ...extra,
});

async function failure(config: MailerConfigInput): Promise<LedgerError> {
  const err = await createMailer(config).send(message).then(() => undefined, (e: unknown) => e);
  if (!isLedgerError(err)) throw new Error(`expected a LedgerError, got ${String(err)}`);
  expect([err.message, err.fix, JSON.stringify(err.details)].join('\n')).not.toContain(PASSWORD);
  return err;
}

describe('SMTP with a login requires TLS', () => {
  it('logs in only after STARTTLS when the server offers it with a trusted certificate', async () => {
    const server = await smtpServer({ key: TLS.key, cert: TLS.cert });
    try {
      await expect(createMailer(login(server.port, { tlsCa: TLS.cert })).send(message)).resolves.toMatch(/^<.+>$/);
      expect(server.logins).toEqual([{ secure: true }]);
      expect(server.delivered).toBe(1);
    } finally {
      await server.close();
    }
  });

  it('logs in over implicit TLS with SMTP_SECURE', async () => {
    const server = await smtpServer({ secure: true, key: TLS.key, cert: TLS.cert });
    try {
      await expect(createMailer(login(server.port, { secure: true, tlsCa: TLS.cert })).send(message)).resolves.toMatch(/^<.+>$/);
      expect(server.logins).toEqual([{ secure: true }]);
    } finally {
      await server.close();
    }
  });

  it('refuses a server without STARTTLS: no login is sent, the error says how to fix it and is not retried', async () => {
    const server = await smtpServer({ disabledCommands: ['STARTTLS'] });
    try {
      const err = await failure(login(server.port));
      expect(err.type).toBe('InvalidInput');
      expect(err.retryable).toBe(false);
      expect(err.details).toMatchObject({ code: 'ETLS', command: 'STARTTLS' });
      expect(err.fix).toMatch(/SMTP_SECURE=true .*STARTTLS/);
      expect(server.logins).toEqual([]);
      expect(server.delivered).toBe(0);
    } finally {
      await server.close();
    }
  });

  it('refuses a certificate this machine does not trust: no login is sent', async () => {
    const server = await smtpServer({ key: TLS.key, cert: TLS.cert });
    try {
      const err = await failure(login(server.port));
      expect(err.type).toBe('InvalidInput');
      expect(err.message).toMatch(/self-signed certificate/);
      expect(err.fix).toMatch(/SMTP_TLS_CA_FILE/);
      expect(server.logins).toEqual([]);
    } finally {
      await server.close();
    }
  });

  it('without a login, sends to a server that offers no TLS (the local sink)', async () => {
    const server = await smtpServer({ disabledCommands: ['STARTTLS'] });
    try {
      await expect(createMailer({ ...login(server.port), user: undefined, password: undefined }).send(message)).resolves.toMatch(/^<.+>$/);
      expect(server.delivered).toBe(1);
    } finally {
      await server.close();
    }
  });
});
