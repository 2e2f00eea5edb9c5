/**
 * Builds the activities' dependencies once per worker process from validated config. Secrets go
 * straight from config into the clients: they never reach workflow inputs, results or logs.
 */
import { existsSync, readFileSync } from 'node:fs';
import type { Logger } from 'pino';
import type { ActivityDependencies } from '../activities/dependencies';
import { connectionReporter } from '../activities/connection';
import { durationMs, type WorkerConfig } from '../config';
import { allowedRecipients } from '../domain/report-recipients';
import { ConnectWiseClient } from '../integrations/connectwise';
import { createMailer } from '../integrations/mail';
import { FileTokenStore, QuickBooksClient } from '../integrations/quickbooks';

/** The token file holds the rotating refresh token; seed it from config the first time only. */
async function tokenStore(config: WorkerConfig): Promise<FileTokenStore> {
  if (existsSync(config.QBO_TOKEN_FILE)) return new FileTokenStore(config.QBO_TOKEN_FILE);
  if (!config.QBO_REFRESH_TOKEN) {
    throw new Error(`QuickBooks is not connected: ${config.QBO_TOKEN_FILE} does not exist and QBO_REFRESH_TOKEN is not set`);
  }
  return FileTokenStore.initialise(config.QBO_TOKEN_FILE, {
    // Without an access token the first call answers 401 and the client refreshes.
    accessToken: config.QBO_ACCESS_TOKEN ?? 'none-yet',
    refreshToken: config.QBO_REFRESH_TOKEN,
  });
}

export async function buildActivityDependencies(config: WorkerConfig, logger: Logger): Promise<ActivityDependencies> {
  const psa = new ConnectWiseClient({
    baseUrl: config.CW_BASE_URL,
    companyId: config.CW_COMPANY_ID,
    publicKey: config.CW_PUBLIC_KEY,
    privateKey: config.CW_PRIVATE_KEY,
    clientId: config.CW_CLIENT_ID,
    apiVersion: config.CW_API_VERSION,
  });
  const ledger = new QuickBooksClient({
    baseUrl: config.QBO_BASE_URL,
    realmId: config.QBO_REALM_ID,
    minorVersion: config.QBO_MINOR_VERSION,
    clientId: config.QBO_CLIENT_ID,
    clientSecret: config.QBO_CLIENT_SECRET,
    tokenUrl: config.QBO_TOKEN_URL,
    tokens: await tokenStore(config),
    onConnection: connectionReporter(config.QBO_REALM_ID, logger.child({ component: 'connection' })),
  });
  const mailer = createMailer(
    {
      host: config.SMTP_HOST,
      port: config.SMTP_PORT,
      secure: config.SMTP_SECURE,
      user: config.SMTP_USER,
      password: config.SMTP_PASSWORD,
      from: config.MAIL_FROM,
      tlsCa: config.SMTP_TLS_CA_FILE === undefined ? undefined : readFileSync(config.SMTP_TLS_CA_FILE, 'utf8'),
    },
    logger.child({ component: 'mail' }),
  );
  return {
    psa,
    ledger,
    mailer,
    logger,
    mailDefaultTo: config.MAIL_DEFAULT_TO,
    mailAllowedRecipients: allowedRecipients(config.MAIL_ALLOWED_RECIPIENTS, config.MAIL_DEFAULT_TO),
    temporalUi: { baseUrl: config.TEMPORAL_UI_URL, namespace: config.TEMPORAL_NAMESPACE },
    ledgerContext: {
      ttlMs: durationMs(config.LEDGER_CONTEXT_TTL),
      accountMatch: config.GL_ACCOUNT_MATCH,
      createMissingParties: config.CREATE_MISSING_PARTIES,
      tax: { astTolerance: config.AST_TAX_TOLERANCE, astAboveTolerance: config.AST_TAX_ABOVE_TOLERANCE, nonTaxableTaxCode: config.NON_TAXABLE_TAX_CODE },
    },
  };
}
