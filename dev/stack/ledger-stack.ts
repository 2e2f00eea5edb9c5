/**
 * The whole product in one process for integration tests, replay recording and benchmarks: both
 * sandboxes and the SMTP sink on free 127.0.0.1 ports with state in a temp folder, the real
 * clients and activities, and the two workers on a given Temporal connection.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { NativeConnection } from '@temporalio/worker';
import { Worker } from '@temporalio/worker';
import { Client } from '@temporalio/client';
import type { DataConverter } from '@temporalio/common';
import pino from 'pino';
import { createActivities, type ActivityDependencies } from '../../activities';
import { buildActivityDependencies } from '../../workers/dependencies';
import { FileTokenStore, QuickBooksClient } from '../../integrations/quickbooks';
import { CompanyStateStore } from '../../integrations/state';
import type { QuickBooksConfig } from '../../integrations/quickbooks/config';
import { sandboxWorkerEnv } from './sandbox-worker-env';
import { startConnectWiseSandbox } from '../sandbox/connectwise';
import { startQuickBooksSandbox, type SeedName } from '../sandbox/quickbooks';
import { startSmtpSink } from '../sandbox/mail/smtp-sink';
import { loadWorkerConfig, type WorkerConfig } from '../../config';
import { accountingQueueFor } from '../../workflows/definitions';
import { STACK_CODEC_KEYS } from './temporal';

type Psa = Awaited<ReturnType<typeof startConnectWiseSandbox>>;
type Qbo = Awaited<ReturnType<typeof startQuickBooksSandbox>>;
type Sink = Awaited<ReturnType<typeof startSmtpSink>>;

export interface LedgerStack {
  dir: string;
  psa: Psa;
  qbo: Qbo;
  mail: Sink;
  config: WorkerConfig;
  deps: ActivityDependencies;
  /** Whether workers started on this stack first record a passed go-live checklist. */
  checklistPassed: boolean;
  close(): Promise<void>;
}

export interface LedgerStackOptions {
  psaSeed?: 'demo' | 'empty';
  /** The QuickBooks company: US manual sales tax (demo, default), Automated Sales Tax, Canadian. */
  qboSeed?: SeedName;
  psaKnobs?: Parameters<typeof startConnectWiseSandbox>[0] extends infer O ? (O extends { knobs?: infer K } ? K : never) : never;
  qboKnobs?: Parameters<typeof startQuickBooksSandbox>[0] extends infer O ? (O extends { knobs?: infer K } ? K : never) : never;
  env?: NodeJS.ProcessEnv;
  /** Record a passed go-live checklist when workers start, as a company that went live has (default true). */
  checklistPassed?: boolean;
}

export async function startLedgerStack(options: LedgerStackOptions = {}): Promise<LedgerStack> {
  const dir = mkdtempSync(join(tmpdir(), 'ledgerline-stack-'));
  const psa = await startConnectWiseSandbox({ host: '127.0.0.1', port: 0, dataDir: join(dir, 'connectwise'), seed: options.psaSeed ?? 'demo', knobs: options.psaKnobs });
  const qbo = await startQuickBooksSandbox({ host: '127.0.0.1', port: 0, dataDir: join(dir, 'quickbooks'), seed: options.qboSeed ?? 'demo', knobs: options.qboKnobs });
  const mail = await startSmtpSink({ host: '127.0.0.1', port: 0, dir: join(dir, 'mail') });
  const config = loadWorkerConfig({
    ...sandboxWorkerEnv({ psaBaseUrl: psa.baseUrl, qboBaseUrl: qbo.baseUrl, smtpPort: mail.port }),
    QBO_TOKEN_FILE: join(dir, 'qbo-tokens.json'),
    LEDGERLINE_CODEC_KEYS: STACK_CODEC_KEYS,
    NODE_ENV: 'test',
    ...options.env,
  });
  const deps = await buildActivityDependencies(config, pino({ level: 'silent' }));
  return {
    dir,
    psa,
    qbo,
    mail,
    config,
    deps,
    checklistPassed: options.checklistPassed !== false,
    async close() {
      await Promise.allSettled([psa.close(), qbo.close(), mail.close()]);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Runs `fn` while a main worker (workflows + activities) and an accounting worker poll `taskQueue`. */
export async function withStackWorkers<T>(
  stack: LedgerStack,
  connection: NativeConnection,
  taskQueue: string,
  dataConverter: DataConverter,
  workflowBundle: { code: string },
  fn: () => Promise<T>,
  workerOptions: { maxTaskQueueActivitiesPerSecond?: number } = {},
): Promise<T> {
  const activities = createActivities(stack.deps);
  const main = await Worker.create({ connection, taskQueue, workflowBundle, activities, dataConverter });
  const accounting = await Worker.create({
    connection,
    taskQueue: accountingQueueFor(taskQueue),
    activities,
    dataConverter,
    maxTaskQueueActivitiesPerSecond: workerOptions.maxTaskQueueActivitiesPerSecond,
  });
  const run = (async () => {
    if (stack.checklistPassed) await recordPassedChecklist(new Client({ connection, dataConverter }), taskQueue, stack.config.QBO_REALM_ID);
    return fn();
  })();
  await Promise.all([main.runUntil(run), accounting.runUntil(run)]);
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
 * A QuickBooks client on the stack's sandbox and token file, like the workers', with test-specific
 * options (a fetch that loses answers, no in-call retries) on top.
 */
export function stackLedgerClient(stack: LedgerStack, overrides: Partial<QuickBooksConfig> = {}): QuickBooksClient {
  const c = stack.config;
  return new QuickBooksClient({
    baseUrl: c.QBO_BASE_URL,
    realmId: c.QBO_REALM_ID,
    minorVersion: c.QBO_MINOR_VERSION,
    clientId: c.QBO_CLIENT_ID,
    clientSecret: c.QBO_CLIENT_SECRET,
    tokenUrl: c.QBO_TOKEN_URL,
    tokens: new FileTokenStore(c.QBO_TOKEN_FILE),
    ...overrides,
  });
}
