import { parseMailerConfig } from '../../../integrations/mail';

const good = { host: 'smtp.acme.test', port: 587, secure: false, user: 'ledgerline', password: 'p4ss-word-xyz', from: 'Ledgerline <ledgerline@acme.test>' };

describe('parseMailerConfig', () => {
  it('accepts a full config and fills the timeouts', () => {
    expect(parseMailerConfig(good)).toMatchObject({ ...good, connectionTimeoutMs: 10_000, greetingTimeoutMs: 10_000, socketTimeoutMs: 60_000 });
  });

  it('treats empty user and password as not set', () => {
    const c = parseMailerConfig({ ...good, user: '', password: '' });
    expect(c.user).toBeUndefined();
    expect(c.password).toBeUndefined();
  });

  it('refuses bad settings with an InvalidInput that names fields, not values', () => {
    let error: unknown;
    try {
      parseMailerConfig({ ...good, user: undefined, port: 70000, from: 'not an address' });
    } catch (err) {
      error = err;
    }
    expect(error).toMatchObject({ type: 'InvalidInput' });
    const message = (error as Error).message;
    expect(message).toMatch(/port:/);
    expect(message).toMatch(/from: expected one e-mail address/);
    expect(message).toMatch(/user: a password needs a user/);
    expect(message).not.toContain(good.password);
  });
});
