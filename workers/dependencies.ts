/**
 * Builds the activities' dependencies once per worker process from validated config: one ConnectWise
 * client and mailer for the deployment, and per accounting company (config/companies.ts) its
 * QuickBooks client, token store, matching settings and rate limit. Secrets are read here, from the
 * environment variables and secret files the configuration names, and go straight into the clients:
 * they never reach workflow inputs, results or logs.
 */
import { existsSync, readFileSync } from 'node:fs';
import type { Client } from '@temporalio/client';
import type { Logger } from 'pino';
import type { ActivityDependencies } from '../activities/dependencies';
import { connectionReporter } from '../activities/connection';
import { ConfigError, durationMs, type WorkerConfig } from '../config';
import { companyRates, DEFAULT_COMPANY, loadCompanies, readSecret, type CompanyConfig } from '../config/companies';
import { allowedRecipients } from '../domain/report-recipients';
import { ConnectWiseClient } from '../integrations/connectwise';
import { createMailer, type Mailer } from '../integrations/mail';
import { FileTokenStore, QuickBooksClient, TemporalTokenStore, type QuickBooksLimits, type QuickBooksTokens, type TokenStore } from '../integrations/quickbooks';
import { recordRouter } from '../integrations/record-routing';

/** One accounting company as a worker serves it. */
export interface CompanyWorkerSetup {
  name: string;
  deps: ActivityDependencies;
  /** Its accounting queue's rate limit, for all workers together. */
  activitiesPerSecond: number;
  /** QuickBooks' throttles for it, which its client paces within. */
  limits: QuickBooksLimits;
}

export interface DeploymentDependencies {
  psa: ConnectWiseClient;
  mailer: Mailer;
  companies: CompanyWorkerSetup[];
}

/** Where the Temporal token store reaches Temporal; without it only file token stores work. */
export interface TemporalAccess {
  client: Client;
}

/** A token file seeded from configuration the first time only (one host). */
async function fileTokenStore(path: string, connected: QuickBooksTokens | undefined, company: string): Promise<FileTokenStore> {
  if (existsSync(path)) return new FileTokenStore(path);
  if (!connected) throw new ConfigError(`QuickBooks company ${company} is not connected: ${path} does not exist and no refresh token is configured`);
  return FileTokenStore.initialise(path, connected);
}

async function tokenStoreFor(company: CompanyConfig, env: NodeJS.ProcessEnv, config: WorkerConfig, clientSecret: string, temporal: TemporalAccess | undefined): Promise<TokenStore> {
  const qb = company.quickbooks;
  const where = `company ${company.name}: quickbooks`;
  const refreshToken = qb.refreshToken && readSecret(qb.refreshToken, env, `${where}.refreshToken`);
  // Without an access token the first call answers 401 and the client refreshes.
  const connected = refreshToken ? { accessToken: qb.accessToken ? readSecret(qb.accessToken, env, `${where}.accessToken`) : 'none-yet', refreshToken } : undefined;
  if (qb.tokenStore !== 'temporal') return fileTokenStore(qb.tokenStore.file, connected, company.name);
  if (!temporal) throw new ConfigError(`${where}.tokenStore: "temporal" needs a Temporal connection`);
  // The default company's tokens may sit in the token file an earlier version kept: carried over once.
  const legacyFile = company.name === DEFAULT_COMPANY && existsSync(config.QBO_TOKEN_FILE) ? config.QBO_TOKEN_FILE : undefined;
  return new TemporalTokenStore({
    client: temporal.client,
    taskQueue: config.TEMPORAL_TASK_QUEUE,
    realmId: qb.realmId,
    clientSecret,
    connected,
    ...(legacyFile && { carriedOver: () => new FileTokenStore(legacyFile).load().catch(() => undefined) }),
  });
}

/**
 * Builds every company's clients. Secret references resolve against `env` and the validated config
 * (which holds the QBO_* values of the default company, however the config was loaded).
 */
export async function buildDeployment(config: WorkerConfig, logger: Logger, temporal?: TemporalAccess, processEnv: NodeJS.ProcessEnv = process.env): Promise<DeploymentDependencies> {
  const env: NodeJS.ProcessEnv = { ...processEnv, ...(Object.fromEntries(Object.entries(config).filter(([, v]) => typeof v === 'string')) as Record<string, string>) };
  const companies = loadCompanies(env);
  const psa = new ConnectWiseClient({
    baseUrl: config.CW_BASE_URL,
    companyId: config.CW_COMPANY_ID,
    publicKey: config.CW_PUBLIC_KEY,
    privateKey: config.CW_PRIVATE_KEY,
    clientId: config.CW_CLIENT_ID,
    apiVersion: config.CW_API_VERSION,
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
  const ttlMs = durationMs(config.LEDGER_CONTEXT_TTL);
  const router = recordRouter(psa, companies.map((c) => ({ name: c.name, routing: c.routing })), ttlMs);
  const setups: CompanyWorkerSetup[] = [];
  for (const company of companies) {
    const qb = company.quickbooks;
    const where = `company ${company.name}: quickbooks`;
    const clientSecret = readSecret(qb.clientSecret, env, `${where}.clientSecret`);
    const { limits, activitiesPerSecond } = companyRates(company, config);
    const ledger = new QuickBooksClient({
      baseUrl: qb.baseUrl,
      limits,
      realmId: qb.realmId,
      minorVersion: qb.minorVersion ?? config.QBO_MINOR_VERSION,
      clientId: readSecret(qb.clientId, env, `${where}.clientId`),
      clientSecret,
      tokenUrl: qb.tokenUrl,
      tokens: await tokenStoreFor(company, env, config, clientSecret, temporal),
      onConnection: connectionReporter(qb.realmId, logger.child({ company: company.name, component: 'connection' }), company.name),
    });
    const m = company.matching;
    const mailDefaultTo = company.mail.defaultTo ?? config.MAIL_DEFAULT_TO;
    setups.push({
      name: company.name,
      activitiesPerSecond,
      limits,
      deps: {
        psa,
        ledger,
        mailer,
        logger: logger.child({ company: company.name }),
        mailDefaultTo,
        mailAllowedRecipients: allowedRecipients(config.MAIL_ALLOWED_RECIPIENTS, mailDefaultTo),
        temporalUi: { baseUrl: config.TEMPORAL_UI_URL, namespace: config.TEMPORAL_NAMESPACE },
        preparedRecordsKept: config.PREPARED_RECORDS_KEPT,
        ledgerContext: {
          ttlMs,
          accountMatch: m.glAccountMatch ?? config.GL_ACCOUNT_MATCH,
          createMissingParties: m.createMissingParties ?? config.CREATE_MISSING_PARTIES,
          tax: {
            astTolerance: m.astTaxTolerance ?? config.AST_TAX_TOLERANCE,
            astAboveTolerance: m.astTaxAboveTolerance ?? config.AST_TAX_ABOVE_TOLERANCE,
            nonTaxableTaxCode: m.nonTaxableTaxCode ?? config.NON_TAXABLE_TAX_CODE,
          },
        },
        company: { name: company.name, router },
      },
    });
  }
  return { psa, mailer, companies: setups };
}

/** The dependencies of a deployment's first (usually only) company: tests, benchmarks, scripts. */
export async function buildActivityDependencies(config: WorkerConfig, logger: Logger, temporal?: TemporalAccess, env: NodeJS.ProcessEnv = process.env): Promise<ActivityDependencies> {
  return (await buildDeployment(config, logger, temporal, env)).companies[0]!.deps;
}
