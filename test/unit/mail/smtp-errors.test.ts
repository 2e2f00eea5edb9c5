import { redactSecrets, smtpVerb, toLedgerError } from '../../../integrations/mail/smtp-errors';

const endpoint = { host: 'smtp.acme.test', port: 587 };
const secret = 'hunter2-very-secret';

describe('toLedgerError', () => {
  it.each<[Record<string, unknown>, string]>([
    [{ code: 'ESOCKET', originalCode: 'ECONNREFUSED', message: 'connect ECONNREFUSED' }, 'Unavailable'],
    [{ code: 'ETIMEDOUT', timeoutType: 'GREETING_TIMEOUT', message: 'Greeting never received' }, 'Unavailable'],
    [{ code: 'EDNS', message: 'getaddrinfo ENOTFOUND' }, 'Unavailable'],
    [{ code: 'ECONNECTION', message: 'Connection closed unexpectedly' }, 'Unavailable'],
    [{ code: 'EAUTH', responseCode: 535, permanent: true, response: '535 5.7.8 Authentication failed' }, 'AuthenticationFailed'],
    [{ code: 'EAUTH', responseCode: 454, permanent: false, response: '454 4.7.0 Temporary authentication failure' }, 'Unavailable'],
    [{ code: 'ENOAUTH', message: 'Missing credentials for "PLAIN"' }, 'AuthenticationFailed'],
    [{ code: 'EENVELOPE', responseCode: 550, permanent: true, rejected: ['nobody@acme.test'] }, 'ValidationRejected'],
    [{ code: 'EENVELOPE', responseCode: 451, permanent: false, response: '451 4.3.0 try later' }, 'Unavailable'],
    [{ code: 'EMESSAGE', responseCode: 552, permanent: true, response: '552 message too big' }, 'ValidationRejected'],
    [{ code: 'EPROTOCOL', responseCode: 530, permanent: true, response: '530 Authentication required' }, 'AuthenticationFailed'],
    [{ code: 'ECONFIG', message: 'bad option' }, 'InvalidInput'],
    [{ message: 'something odd' }, 'Unavailable'],
  ])('%j -> %s', (raw, type) => {
    expect(toLedgerError(Object.assign(new Error(String(raw.message ?? 'x')), raw), endpoint, [secret]).type).toBe(type);
  });

  it('keeps secrets out of the message and details, raw and base64', () => {
    const b64 = Buffer.from(secret).toString('base64');
    const err = Object.assign(new Error(`Invalid login: 535 bad ${secret}`), {
      code: 'EAUTH',
      responseCode: 535,
      permanent: true,
      response: `535 5.7.8 rejected ${b64} for user ledgerline`,
      command: `AUTH PLAIN ${b64}`,
    });
    const mapped = toLedgerError(err, endpoint, [secret]);
    const seen = JSON.stringify({ m: mapped.message, d: mapped.details, s: mapped.stack });
    expect(seen).not.toContain(secret);
    expect(seen).not.toContain(b64);
    expect(mapped.message).toContain('535 5.7.8 rejected *** for user ledgerline');
    expect(mapped.details).toMatchObject({ command: 'AUTH PLAIN', code: 'EAUTH', responseCode: 535, host: 'smtp.acme.test', port: 587 });
    expect(mapped.cause).toBeUndefined();
  });

  it('names refused recipients', () => {
    const mapped = toLedgerError({ code: 'EENVELOPE', responseCode: 550, permanent: true, rejected: ['a@x.test', 'b@x.test'] }, endpoint, []);
    expect(mapped.message).toBe('SMTP smtp.acme.test:587: recipient a@x.test, b@x.test refused (EENVELOPE)');
    expect(mapped.fix).toMatch(/recipient/);
  });
});

describe('smtpVerb', () => {
  it('keeps only known verbs: an AUTH LOGIN step is the base64 password itself', () => {
    expect(smtpVerb('RCPT TO:<a@b.c>')).toBe('RCPT TO');
    expect(smtpVerb('AUTH PLAIN AGxlZGdlcmxpbmUAc2VjcmV0')).toBe('AUTH PLAIN');
    expect(smtpVerb('c2VjcmV0')).toBeUndefined();
    expect(smtpVerb(undefined)).toBeUndefined();
  });
});

describe('redactSecrets', () => {
  it('ignores empty secrets', () => {
    expect(redactSecrets('abc', [''])).toBe('abc');
  });
});
