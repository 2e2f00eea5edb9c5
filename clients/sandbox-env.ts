/**
 * Worker environment for the embedded sandboxes: their base URLs and the documented demo
 * credentials. Only `npm start`, tests and benchmarks use it; production sets CW_*, QBO_* and SMTP_*.
 */
export const DEMO_CONNECTWISE = { companyId: 'ledgerline', publicKey: 'demo-public', privateKey: 'demo-private', clientId: 'ledgerline-demo' };
export const DEMO_QUICKBOOKS = {
  realmId: '9341453000000001',
  clientId: 'ledgerline-demo-client',
  clientSecret: 'ledgerline-demo-secret',
  accessToken: 'demo-access-token',
  refreshToken: 'demo-refresh-token',
};

export function sandboxWorkerEnv(urls: { psaBaseUrl: string; qboBaseUrl: string; smtpPort: number }): NodeJS.ProcessEnv {
  return {
    CW_BASE_URL: urls.psaBaseUrl,
    CW_COMPANY_ID: DEMO_CONNECTWISE.companyId,
    CW_PUBLIC_KEY: DEMO_CONNECTWISE.publicKey,
    CW_PRIVATE_KEY: DEMO_CONNECTWISE.privateKey,
    CW_CLIENT_ID: DEMO_CONNECTWISE.clientId,
    QBO_BASE_URL: urls.qboBaseUrl,
    QBO_REALM_ID: DEMO_QUICKBOOKS.realmId,
    QBO_CLIENT_ID: DEMO_QUICKBOOKS.clientId,
    QBO_CLIENT_SECRET: DEMO_QUICKBOOKS.clientSecret,
    QBO_TOKEN_URL: `${urls.qboBaseUrl}/oauth2/v1/tokens/bearer`,
    QBO_ACCESS_TOKEN: DEMO_QUICKBOOKS.accessToken,
    QBO_REFRESH_TOKEN: DEMO_QUICKBOOKS.refreshToken,
    SMTP_HOST: '127.0.0.1',
    SMTP_PORT: String(urls.smtpPort),
    SMTP_SECURE: 'false',
  };
}
