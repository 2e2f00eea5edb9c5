/**
 * Worker environment for the local sandboxes: their base URLs and their published demo
 * credentials. Only dev tooling (`npm start`, the stack) and tests use it; production sets CW_*,
 * QBO_* and SMTP_*.
 */
import { DEMO_CREDENTIALS } from '../sandbox/connectwise/auth';
import { DEMO_ACCESS_TOKEN, DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, DEMO_REALM_ID, DEMO_REFRESH_TOKEN } from '../sandbox/quickbooks/demo-credentials';

/** The ConnectWise sandbox takes any non-empty clientId. */
export const DEMO_CONNECTWISE = { ...DEMO_CREDENTIALS, clientId: 'ledgerline-demo' };

export function sandboxWorkerEnv(urls: { psaBaseUrl: string; qboBaseUrl: string; smtpPort: number }): NodeJS.ProcessEnv {
  return {
    CW_BASE_URL: urls.psaBaseUrl,
    CW_COMPANY_ID: DEMO_CONNECTWISE.companyId,
    CW_PUBLIC_KEY: DEMO_CONNECTWISE.publicKey,
    CW_PRIVATE_KEY: DEMO_CONNECTWISE.privateKey,
    CW_CLIENT_ID: DEMO_CONNECTWISE.clientId,
    QBO_BASE_URL: urls.qboBaseUrl,
    QBO_REALM_ID: DEMO_REALM_ID,
    QBO_CLIENT_ID: DEMO_CLIENT_ID,
    QBO_CLIENT_SECRET: DEMO_CLIENT_SECRET,
    QBO_TOKEN_URL: `${urls.qboBaseUrl}/oauth2/v1/tokens/bearer`,
    QBO_ACCESS_TOKEN: DEMO_ACCESS_TOKEN,
    QBO_REFRESH_TOKEN: DEMO_REFRESH_TOKEN,
    SMTP_HOST: '127.0.0.1',
    SMTP_PORT: String(urls.smtpPort),
    SMTP_SECURE: 'false',
    // The SMTP sink keeps every message on this machine: reports may name any recipient.
    MAIL_ALLOWED_RECIPIENTS: '*',
  };
}
