import { Writable } from 'node:stream';
import { createLogger } from '../../../workers/logger';

/** Demo secrets: each must be absent from every log line, wherever it was nested. */
const SECRETS = {
  cwAuth: 'Basic Y29tcGFueStwdWJsaWM6cHJpdmF0ZS1rZXktOTkx',
  bearer: 'eyJhbGciOiJSUzI1NiJ9.demo-access-token-5521',
  refresh: 'AB11-demo-refresh-token-7730',
  privateKey: 'cw-private-key-3fa9c2',
  clientSecret: 'qbo-client-secret-81d0e4',
  smtpPassword: 'smtp-pass-62b1',
  codecKeys: 'k1:3q2+7w==',
};

function memoryLogger() {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push(chunk.toString('utf8'));
      done();
    },
  });
  return { logger: createLogger({ level: 'trace', destination }), text: () => lines.join('') };
}

describe('logger redaction', () => {
  it('keeps credentials out of logs at the top level, nested deep, in errors and in messages', () => {
    const { logger, text } = memoryLogger();
    logger.info({ authorization: SECRETS.cwAuth, clientSecret: SECRETS.clientSecret, invoice: 'INV-7' }, 'top level');
    logger.info({ request: { method: 'POST', headers: { Authorization: `Bearer ${SECRETS.bearer}`, 'content-type': 'application/json' } } }, 'one level');
    logger.warn({ qbo: { oauth: { tokens: { refresh_token: SECRETS.refresh, access_token: SECRETS.bearer } } } }, 'three levels');
    logger.debug({ config: { CW_PRIVATE_KEY: SECRETS.privateKey, QBO_CLIENT_SECRET: SECRETS.clientSecret, SMTP_PASSWORD: SECRETS.smtpPassword, LEDGERLINE_CODEC_KEYS: SECRETS.codecKeys } }, 'env');
    logger.info({ smtp: { auth: { user: 'ledger', pass: SECRETS.smtpPassword } } }, 'transport');
    logger.info({ attempts: [{ headers: { authorization: SECRETS.cwAuth } }] }, 'array');

    const err = Object.assign(new Error(`401 from QuickBooks; sent Authorization: Bearer ${SECRETS.bearer}`), {
      config: { headers: { Authorization: `Bearer ${SECRETS.bearer}` } },
      cause: Object.assign(new Error('refresh failed'), { refreshToken: SECRETS.refresh }),
    });
    logger.error({ err }, 'request failed');
    logger.error(err);
    logger.info(`retrying with Authorization: ${SECRETS.cwAuth}`);
    logger.child({ clientSecret: SECRETS.clientSecret }).info('child bindings');

    const out = text();
    for (const [name, secret] of Object.entries(SECRETS)) {
      expect({ name, leaked: out.includes(secret) }).toEqual({ name, leaked: false });
    }
    // Bearer/Basic credentials are recognised inside free text too.
    expect(out).not.toContain('Y29tcGFueStwdWJsaWM6');
  });

  it('still logs the useful, non-secret parts', () => {
    const { logger, text } = memoryLogger();
    const err = Object.assign(new TypeError('QuickBooks Fault 6240 on INV-7'), { headers: { authorization: SECRETS.cwAuth } });
    logger.error({ err, invoice: 'INV-7', request: { headers: { 'content-type': 'application/json' } } }, 'post failed');
    const [line] = text().trim().split('\n').map((l) => JSON.parse(l));
    expect(line.msg).toBe('post failed');
    expect(line.invoice).toBe('INV-7');
    expect(line.request.headers['content-type']).toBe('application/json');
    expect(line.err).toMatchObject({ type: 'TypeError', message: 'QuickBooks Fault 6240 on INV-7' });
    expect(line.err.stack).toMatch(/TypeError/);
    expect(line.err.headers.authorization).toBe('[redacted]');
  });
});
