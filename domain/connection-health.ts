/**
 * The accounting connection's life, judged from what the OAuth token store knows: QuickBooks
 * refresh tokens roll (each refresh gives about 100 more days) under a hard cap (5 years for every
 * token), and a revoked connection answers invalid_grant. Pure: the clock comes in as `now`.
 */

/** What a person does when the connection is revoked, expired or keeps failing. */
export const QUICKBOOKS_RECONNECT_STEP =
  "Reconnect QuickBooks: authorize the app for this company again (Intuit's connect flow gives a new refresh token), " +
  'then stop the workers, delete QBO_TOKEN_FILE on each worker host, set QBO_REFRESH_TOKEN to the new refresh token and start the workers.';
