/**
 * The transport's error mapping against real sockets: nothing listening, a silent server, and a
 * strict SMTP server (STARTTLS with a test certificate, since a login travels only over TLS).
 */
import net, { type AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { isLedgerError, type LedgerError } from '../../../domain/errors';
import { createMailer, type MailerConfigInput } from '../../../integrations/mail';
import { selfSignedCertificate } from '../../helpers/tls-certificate';

const PASSWORD = 'Sup3r-Secret-pw!';
const TLS = selfSignedCertificate();
const message = { to: 'finance@acme.test', subject: 'Report', text: 'hello', html: '<p>hello</p>' };

async function sendExpectingError(config: MailerConfigInput): Promise<LedgerError> {
  const warnings: object[] = [];
  const mailer = createMailer(config, { info: () => undefined, warn: (fields) => warnings.push(fields) });
  const error = await mailer.send(message).then(
    () => undefined,
    (err: unknown) => err,
  );
  if (!isLedgerError(error)) throw new Error(`expected a LedgerError, got ${String(error)}`);
  // The password must not leak through the error or the log line, raw or base64 (AUTH PLAIN/LOGIN).
  const exposed = [error.message, error.stack ?? '', JSON.stringify(error), JSON.stringify(error.details), JSON.stringify(warnings)].join('\n');
  for (const form of [PASSWORD, Buffer.from(PASSWORD).toString('base64'), Buffer.from(`\u0000ledgerline\u0000${PASSWORD}`).toString('base64')]) {
    expect(exposed).not.toContain(form);
  }
  expect(warnings).toHaveLength(1);
  return error;
}

function listen(server: { listen(port: number, host: string, cb: () => void): unknown }): Promise<void> {
  return new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
}

const base = (port: number): MailerConfigInput => ({
  host: '127.0.0.1',
  port,
  secure: false,
  user: 'ledgerline',
  password: PASSWORD,
  from: 'ledgerline@localhost',
  tlsCa: TLS.cert,
  connectionTimeoutMs: 2000,
  greetingTimeoutMs: 500,
});

describe('SMTP failures become LedgerErrors', () => {
  let closedPort: number;
  let silent: net.Server;
  const silentSockets = new Set<net.Socket>();
  let strict: SMTPServer;
  let strictPort: number;

  beforeAll(async () => {
    // A port that was free a moment ago: bind, note it, close.
    const probe = net.createServer();
    await listen(probe);
    closedPort = (probe.address() as AddressInfo).port;
    await new Promise((resolve) => probe.close(resolve));

    // Accepts TCP but never greets.
    silent = net.createServer((socket) => {
      silentSockets.add(socket);
      socket.on('close', () => silentSockets.delete(socket));
    });
    await listen(silent);

    strict = new SMTPServer({
      secure: false,
      key: TLS.key,
      cert: TLS.cert,
      logger: false,
      onAuth(auth, _session, callback) {
        if (auth.password === 'right') return callback(null, { user: auth.username });
        return callback(Object.assign(new Error('Invalid username or password'), { responseCode: 535 }));
      },
      onRcptTo(address, _session, callback) {
        if (address.address.startsWith('nobody@')) return callback(Object.assign(new Error('5.1.1 No such user here'), { responseCode: 550 }));
        if (address.address.startsWith('later@')) return callback(Object.assign(new Error('4.3.0 Try again later'), { responseCode: 451 }));
        return callback();
      },
      onData(stream, _session, callback) {
        stream.resume();
        stream.on('end', () => callback());
      },
    });
    await listen(strict);
    strictPort = (strict.server.address() as AddressInfo).port;
  });

  afterAll(async () => {
    for (const socket of silentSockets) socket.destroy();
    await new Promise((resolve) => silent.close(resolve));
    await new Promise<void>((resolve) => strict.close(() => resolve()));
  });

  it('connection refused -> Unavailable, retryable', async () => {
    const error = await sendExpectingError(base(closedPort));
    expect(error.type).toBe('Unavailable');
    expect(error.retryable).toBe(true);
    expect(error.details).toMatchObject({ host: '127.0.0.1', port: closedPort });
    expect(error.details?.originalCode ?? error.details?.code).toMatch(/ECONNREFUSED|ESOCKET|ECONNECTION/);
    expect(error.fix).toMatch(/SMTP_HOST/);
  });

  it('no greeting in time -> Unavailable, retryable', async () => {
    const error = await sendExpectingError(base((silent.address() as AddressInfo).port));
    expect(error.type).toBe('Unavailable');
    expect(error.retryable).toBe(true);
    expect(error.details?.code).toBe('ETIMEDOUT');
  });

  it('wrong password -> AuthenticationFailed, not retryable, password nowhere', async () => {
    const error = await sendExpectingError(base(strictPort));
    expect(error.type).toBe('AuthenticationFailed');
    expect(error.retryable).toBe(false);
    expect(error.details).toMatchObject({ code: 'EAUTH', responseCode: 535 });
    expect(error.fix).toMatch(/SMTP_PASSWORD/);
  });

  it('refused recipient -> ValidationRejected naming the address', async () => {
    const mailer = createMailer({ ...base(strictPort), password: 'right' });
    const error = await mailer.send({ ...message, to: 'nobody@acme.test' }).catch((err: LedgerError) => err);
    expect(isLedgerError(error)).toBe(true);
    expect((error as LedgerError).type).toBe('ValidationRejected');
    expect((error as LedgerError).retryable).toBe(false);
    expect((error as LedgerError).message).toContain('nobody@acme.test');
  });

  it('a 4xx reply to the recipient -> Unavailable, retryable', async () => {
    const mailer = createMailer({ ...base(strictPort), password: 'right' });
    const error = (await mailer.send({ ...message, to: 'later@acme.test' }).catch((err: LedgerError) => err)) as LedgerError;
    expect(error.type).toBe('Unavailable');
    expect(error.retryable).toBe(true);
  });

  it('sends when only some recipients are refused, and logs the refused ones', async () => {
    const warnings: object[] = [];
    const mailer = createMailer({ ...base(strictPort), password: 'right' }, { info: () => undefined, warn: (fields) => warnings.push(fields) });
    await expect(mailer.send({ ...message, to: ['finance@acme.test', 'nobody@acme.test'] })).resolves.toMatch(/^<.+>$/);
    expect(warnings).toEqual([expect.objectContaining({ rejected: ['nobody@acme.test'] })]);
  });

  it('still sends when the login and recipient are good', async () => {
    const mailer = createMailer({ ...base(strictPort), password: 'right' });
    await expect(mailer.send(message)).resolves.toMatch(/^<.+@.+>$/);
  });
});
