/**
 * The whole product in one process for integration tests, replay recording and benchmarks: the
 * ConnectWise sandbox, one QuickBooks sandbox per accounting company (each its own realm) and the
 * SMTP sink on free 127.0.0.1 ports with state in a temp folder, the real clients and activities,
 * and the workers (main + one accounting queue per company) on a given Temporal connection.
 *
 * Without `companies` the stack is a single-company deployment configured by the QBO_* variables,
 * as today's quick start; with them it is configured by a companies document (LEDGERLINE_COMPANIES).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { NativeConnection } from '@temporalio/worker';
import { Worker } from '@temporalio/worker';
import { Client } from '@temporalio/client';
import type { DataConverter } from '@temporalio/common';
import pino from 'pino';
import { createDeploymentActivities, type ActivityDependencies } from '../../activities';
import { buildDeployment, type TemporalAccess } from '../../workers/dependencies';
import { FileTokenStore, QuickBooksClient, type QuickBooksLimits } from '../../integrations/quickbooks';
import { CompanyStateStore } from '../../integrations/state';
import type { QuickBooksConfig } from '../../integrations/quickbooks/config';
import type { RoutingRule } from '../../domain/routing';
import { sandboxWorkerEnv } from './sandbox-worker-env';
import { startConnectWiseSandbox } from '../sandbox/connectwise';
import { startQuickBooksSandbox, type SeedName } from '../sandbox/quickbooks';
import { DEMO_CLIENT_ID, DEMO_REALM_ID } from '../sandbox/quickbooks/demo-credentials';
import { startSmtpSink } from '../sandbox/mail/smtp-sink';
import { loadWorkerConfig, type WorkerConfig } from '../../config';
import { accountingQueueFor, batchCallQueueFor } from '../../workflows/definitions';
import { STACK_CODEC_KEYS } from './temporal';

type Psa = Awaited<ReturnType<typeof startConnectWiseSandbox>>;
type Qbo = Awaited<ReturnType<typeof startQuickBooksSandbox>>;
type Sink = Awaited<ReturnType<typeof startSmtpSink>>;
type QboKnobs = Parameters<typeof startQuickBooksSandbox>[0] extends infer O ? (O extends { knobs?: infer K } ? K : never) : never;

/** One accounting company of the stack: its name, QuickBooks sandbox and the activities' dependencies. */
export interface StackCompany {
  name: string;
  realmId: string;
  qbo: Qbo;
  deps: ActivityDependencies;
  /** Its accounting queue's rate limit (the companies document's, else ACCOUNTING_MAX_ACTIVITIES_PER_SECOND). */
  activitiesPerSecond: number;
}

export interface LedgerStack {
  dir: string;
  psa: Psa;
  /** The first company's QuickBooks sandbox and dependencies (the only ones without `companies`). */
  qbo: Qbo;
  deps: ActivityDependencies;
  companies: StackCompany[];
  mail: Sink;
  config: WorkerConfig;
  /** The environment a worker process needs to serve this stack (sandbox URLs, companies, token store). */
  workerEnv: NodeJS.ProcessEnv;
  /** Companies whose passed go-live checklist workers started on this stack record first. */
  checklistPassed: string[];
  close(): Promise<void>;
}

export interface StackCompanySpec {
  name: string;
  /** The ConnectWise locations, business units and owner levels it books. */
  routing: RoutingRule;
  qboSeed?: SeedName;
  qboKnobs?: QboKnobs;
  /** Its accounting queue's rate limit. */
  activitiesPerSecond?: number;
}

export interface LedgerStackOptions {
  psaSeed?: 'demo' | 'empty';
  /** The QuickBooks company: US manual sales tax (demo, default), Automated Sales Tax, Canadian. */
  qboSeed?: SeedName;
  psaKnobs?: Parameters<typeof startConnectWiseSandbox>[0] extends infer O ? (O extends { knobs?: infer K } ? K : never) : never;
  qboKnobs?: QboKnobs;
  env?: NodeJS.ProcessEnv;
  /** Record a passed go-live checklist when workers start, as a company that went live has (default true: every company). */
  checklistPassed?: boolean | string[];
  /** Several accounting companies, each with a QuickBooks sandbox of its own (realms ...01, ...02, ...). */
  companies?: StackCompanySpec[];
  /** Where the QuickBooks tokens live: token files in the stack's folder (default) or Temporal (needs `temporal`). */
  tokenStore?: 'file' | 'temporal';
  temporal?: TemporalAccess;
}

/** Realm ids of the stack's QuickBooks sandboxes: the demo realm, then its neighbours. */
export const stackRealmId = (index: number): string => (BigInt(DEMO_REALM_ID) + BigInt(index)).toString();

export async function startLedgerStack(options: LedgerStackOptions = {}): Promise<LedgerStack> {
  const dir = mkdtempSync(join(tmpdir(), 'ledgerline-stack-'));
  const psa = await startConnectWiseSandbox({ host: '127.0.0.1', port: 0, dataDir: join(dir, 'connectwise'), seed: options.psaSeed ?? 'demo', knobs: options.psaKnobs });
  const specs = options.companies;
  const qbos: Qbo[] = [];
  for (const [i, spec] of (specs ?? [{ name: 'default', routing: {}, qboSeed: options.qboSeed, qboKnobs: options.qboKnobs }]).entries()) {
    qbos.push(
      await startQuickBooksSandbox({ host: '127.0.0.1', port: 0, dataDir: join(dir, `quickbooks-${spec.name}`), seed: spec.qboSeed ?? options.qboSeed ?? 'demo', knobs: spec.qboKnobs ?? options.qboKnobs, realmId: stackRealmId(i) }),
    );
  }
  const mail = await startSmtpSink({ host: '127.0.0.1', port: 0, dir: join(dir, 'mail') });
  const tokenStore = options.tokenStore ?? 'file';
  const workerEnv: NodeJS.ProcessEnv = {
    ...sandboxWorkerEnv({ psaBaseUrl: psa.baseUrl, qboBaseUrl: qbos[0]!.baseUrl, smtpPort: mail.port }),
    ...limitsEnv(options.qboKnobs),
    QBO_TOKEN_STORE: tokenStore,
    QBO_TOKEN_FILE: join(dir, 'qbo-tokens.json'),
    ...(specs && { LEDGERLINE_COMPANIES: JSON.stringify(companiesDocument(specs, qbos, dir, tokenStore)) }),
    LEDGERLINE_CODEC_KEYS: STACK_CODEC_KEYS,
    NODE_ENV: 'test',
    ...options.env,
  };
  const config = loadWorkerConfig(workerEnv);
  const deployment = await buildDeployment(config, pino({ level: 'silent' }), options.temporal, workerEnv);
  const companies = deployment.companies.map((c, i) => ({ name: c.name, realmId: c.deps.ledger.realmId, qbo: qbos[i]!, deps: c.deps, activitiesPerSecond: c.activitiesPerSecond }));
  const passed = options.checklistPassed ?? true;
  return {
    dir,
    psa,
    qbo: qbos[0]!,
    deps: companies[0]!.deps,
    companies,
    mail,
    config,
    workerEnv,
    checklistPassed: passed === true ? companies.map((c) => c.name) : passed === false ? [] : passed,
    async close() {
      await Promise.allSettled([psa.close(), ...qbos.map((q) => q.close()), mail.close()]);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The throttles a sandbox was started with, as the company's configured QuickBooks limits. */
function limitsOf(knobs: QboKnobs | undefined): Partial<QuickBooksLimits> {
  return {
    ...(knobs?.requestsPerMinute !== undefined && { requestsPerMinute: knobs.requestsPerMinute }),
    ...(knobs?.batchRequestsPerMinute !== undefined && { batchCallsPerMinute: knobs.batchRequestsPerMinute }),
    ...(knobs?.concurrentRequests !== undefined && { concurrentRequests: knobs.concurrentRequests }),
  };
}

function limitsEnv(knobs: QboKnobs | undefined): NodeJS.ProcessEnv {
  const l = limitsOf(knobs);
  return {
    ...(l.requestsPerMinute !== undefined && { QBO_REQUESTS_PER_MINUTE: String(l.requestsPerMinute) }),
    ...(l.batchCallsPerMinute !== undefined && { QBO_BATCH_CALLS_PER_MINUTE: String(l.batchCallsPerMinute) }),
    ...(l.concurrentRequests !== undefined && { QBO_CONCURRENT_REQUESTS: String(l.concurrentRequests) }),
  };
}

/** The stack's companies as a deployment lists them: secrets by reference to the sandbox's demo variables. */
function companiesDocument(specs: StackCompanySpec[], qbos: Qbo[], dir: string, tokenStore: 'file' | 'temporal') {
  return {
    companies: specs.map((spec, i) => ({
      name: spec.name,
      quickbooks: {
        baseUrl: qbos[i]!.baseUrl,
        realmId: qbos[i]!.realmId,
        tokenUrl: qbos[i]!.tokenUrl,
        clientId: DEMO_CLIENT_ID,
        clientSecret: { env: 'QBO_CLIENT_SECRET' },
        refreshToken: { env: 'QBO_REFRESH_TOKEN' },
        accessToken: { env: 'QBO_ACCESS_TOKEN' },
        tokenStore: tokenStore === 'temporal' ? 'temporal' : { file: join(dir, `qbo-tokens-${spec.name}.json`) },
      },
      routing: spec.routing,
      rateLimit: {
        ...limitsOf(spec.qboKnobs),
        ...(spec.activitiesPerSecond !== undefined && { accountingActivitiesPerSecond: spec.activitiesPerSecond }),
      },
    })),
  };
}

/**
 * Runs `fn` while a main worker (workflows + activities) polls `taskQueue` and accounting workers
 * poll each company's accounting and batch-call queues.
 */
export async function withStackWorkers<T>(
  stack: LedgerStack,
  connection: NativeConnection,
  taskQueue: string,
  dataConverter: DataConverter,
  workflowBundle: { code: string },
  fn: () => Promise<T>,
  workerOptions: { maxTaskQueueActivitiesPerSecond?: number } = {},
): Promise<T> {
  const activities = createDeploymentActivities(stack.companies.map((c) => c.deps));
  const main = await Worker.create({ connection, taskQueue, workflowBundle, activities, dataConverter });
  const accounting = await Promise.all(
    stack.companies.flatMap((c) => {
      const queue = accountingQueueFor(taskQueue, c.name);
      return [
        Worker.create({ connection, taskQueue: queue, activities, dataConverter, maxTaskQueueActivitiesPerSecond: workerOptions.maxTaskQueueActivitiesPerSecond }),
        Worker.create({ connection, taskQueue: batchCallQueueFor(queue), activities, dataConverter }),
      ];
    }),
  );
  const run = (async () => {
    const client = new Client({ connection, dataConverter });
    for (const c of stack.companies) if (stack.checklistPassed.includes(c.name)) await recordPassedChecklist(client, taskQueue, c.realmId);
    return fn();
  })();
  await Promise.all([main, ...accounting].map((w) => w.runUntil(run)));
  return run;
}

/**
 * Records a passed go-live checklist in the company's state on `taskQueue`, as a company that went
 * live has; workers must be polling the queue (the state workflow answers the read-back).
 */
export async function recordPassedChecklist(client: Client, taskQueue: string, realmId: string): Promise<void> {
  await new CompanyStateStore(client, taskQueue, realmId).recordChecklist({
    passed: true,
    status: 'Passed',
    at: new Date().toISOString(),
    workflowId: 'stack-checklist',
    runId: 'stack',
    realmId,
    failed: [],
    unconfirmed: [],
  });
}

/**
 * A QuickBooks client on the stack's first sandbox and token file, like the workers', with
 * test-specific options (a fetch that loses answers, no in-call retries) on top.
 */
export function stackLedgerClient(stack: LedgerStack, overrides: Partial<QuickBooksConfig> = {}): QuickBooksClient {
  const c = stack.config;
  return new QuickBooksClient({
    baseUrl: stack.qbo.baseUrl,
    realmId: stack.qbo.realmId,
    minorVersion: c.QBO_MINOR_VERSION,
    clientId: DEMO_CLIENT_ID,
    clientSecret: c.QBO_CLIENT_SECRET!,
    tokenUrl: stack.qbo.tokenUrl,
    tokens: new FileTokenStore(c.QBO_TOKEN_FILE),
    ...overrides,
  });
}
