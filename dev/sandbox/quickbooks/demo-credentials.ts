/**
 * Fixed demo credentials of the QuickBooks sandbox (documented in the README). They only work
 * against the sandbox; never use them for a real company.
 */
export const DEMO_REALM_ID = '9341453000000001';
/** Never expires in the sandbox, so the demo works without a refresh. */
export const DEMO_ACCESS_TOKEN = 'demo-access-token';
/** The first refresh token; it rotates on use like a real one. */
export const DEMO_REFRESH_TOKEN = 'demo-refresh-token';
export const DEMO_CLIENT_ID = 'ledgerline-demo-client';
export const DEMO_CLIENT_SECRET = 'ledgerline-demo-secret';
