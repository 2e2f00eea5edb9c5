/** Reports go only to recipients MAIL_ALLOWED_RECIPIENTS allows (default: MAIL_DEFAULT_TO's domain). */
import { loadWorkerConfig } from '../../../config';
import { allowedRecipients, recipientAllowed, recipientProblem } from '../../../domain/report-recipients';
import { reportRecipient } from '../../../activities/recipient';
import type { ConnectWiseClient } from '../../../integrations/connectwise';
import { sandboxWorkerEnv } from '../../../dev/stack/sandbox-worker-env';

describe('report recipients', () => {
  it('allows listed addresses, listed domains (with or without @) and * ; nothing else', () => {
    const allowed = ['controller@acme.example', 'msp.example', '@books.example'];
    expect(recipientAllowed('Controller@ACME.example', allowed)).toBe(true);
    expect(recipientAllowed('someone@acme.example', allowed)).toBe(false);
    expect(recipientAllowed('ap@msp.example', allowed)).toBe(true);
    expect(recipientAllowed('ap@evil-msp.example', allowed)).toBe(false);
    expect(recipientAllowed('ap@sub.msp.example', allowed)).toBe(false);
    expect(recipientAllowed('Finance <ar@books.example>', allowed)).toBe(true);
    expect(recipientAllowed('x@msp.example.evil.test', allowed)).toBe(false);
    expect(recipientAllowed('anyone@anywhere.test', ['*'])).toBe(true);
  });

  it('defaults to the domain of MAIL_DEFAULT_TO', () => {
    expect(allowedRecipients(undefined, 'Finance <finance@msp.example>')).toEqual(['msp.example']);
    expect(allowedRecipients([], 'finance@localhost')).toEqual(['localhost']);
    expect(allowedRecipients(['a@b.example'], 'finance@msp.example')).toEqual(['a@b.example']);
  });

  it('a refusal names the field, the address, the setting and the fix', () => {
    expect(recipientProblem('notify.email', 'x@gmail.example', ['msp.example'])).toEqual({
      message: 'notify.email: x@gmail.example is not an allowed report recipient (MAIL_ALLOWED_RECIPIENTS: msp.example)',
      fix: 'Name a recipient MAIL_ALLOWED_RECIPIENTS allows, or add the address or its domain to MAIL_ALLOWED_RECIPIENTS on the workers and restart them.',
    });
  });

  it("checks a PSA member's e-mail too", async () => {
    const psa = { members: { list: async () => ({ items: [{ primaryEmail: 'jsmith@home.example' }] }) } } as unknown as ConnectWiseClient;
    await expect(reportRecipient(psa, { member: 'jsmith' }, { defaultTo: 'finance@msp.example', allowed: ['msp.example'] })).rejects.toMatchObject({
      type: 'InvalidInput',
      message: "notify.member (jsmith's e-mail): jsmith@home.example is not an allowed report recipient (MAIL_ALLOWED_RECIPIENTS: msp.example)",
    });
    await expect(reportRecipient(psa, { member: 'jsmith' }, { defaultTo: 'finance@msp.example', allowed: ['home.example'] })).resolves.toBe('jsmith@home.example');
    await expect(reportRecipient(psa, undefined, { defaultTo: 'finance@msp.example', allowed: [] })).resolves.toBe('finance@msp.example');
  });

  it('MAIL_ALLOWED_RECIPIENTS entries must be addresses, domains or *', () => {
    const env = sandboxWorkerEnv({ psaBaseUrl: 'http://127.0.0.1:1/x', qboBaseUrl: 'http://127.0.0.1:2', smtpPort: 3 });
    expect(loadWorkerConfig({ ...env, MAIL_ALLOWED_RECIPIENTS: ' a@b.example, msp.example ,@c.example' }).MAIL_ALLOWED_RECIPIENTS).toEqual(['a@b.example', 'msp.example', '@c.example']);
    expect(() => loadWorkerConfig({ ...env, MAIL_ALLOWED_RECIPIENTS: 'msp.example, not an address!' })).toThrow(
      /MAIL_ALLOWED_RECIPIENTS.1: each entry is an address \(jane@example.com\), a domain \(example.com\) or \* \(any recipient\)/,
    );
  });
});
