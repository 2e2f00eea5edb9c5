/** QuickBooks Online sandbox: start it in-process (tests, `npm run sandbox`, `npm start`). */
export { startQuickBooksSandbox, type QuickBooksSandbox, type QuickBooksSandboxOptions, type QuickBooksKnobs, type QuickBooksTraffic } from './server';
export { DEMO_REALM_ID, DEMO_ACCESS_TOKEN, DEMO_REFRESH_TOKEN, DEMO_CLIENT_ID, DEMO_CLIENT_SECRET } from './demo-credentials';
export type { RecordPaymentInput, SandboxAdmin } from './admin';
export type { SeedName } from './seed';
