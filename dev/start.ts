/**
 * `npm start`: the whole system on the embedded default, as one process tree.
 * Temporal dev server (SQLite in .temporal/dev.db, Web UI) + codec server + ConnectWise and
 * QuickBooks sandboxes + SMTP sink (in this process) + the worker (a child process).
 * Ctrl-C stops the worker first (it drains), then the server and the rest.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Connection } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { z } from 'zod';
import { locateTemporalBinaries, PROJECT_ROOT, TEMPORAL_HOME } from '../scripts/temporal-binaries';
import { loadKeyRing } from '../integrations/codec/key-ring';
import { keySourcesFromConfig } from '../integrations/codec/data-converter';
import { EncryptionCodec } from '../integrations/codec/encryption-codec';
import { codecServerAccess, startCodecServer } from '../integrations/codec/codec-server';
import { ConfigError, loadCodecServerConfig, parseEnvironment } from '../config';
import { startConnectWiseSandbox } from './sandbox/connectwise';
import { startQuickBooksSandbox } from './sandbox/quickbooks';
import { startSmtpSink } from './sandbox/mail/smtp-sink';
import { accountingQueueFor, batchCallQueueFor } from '../workflows/definitions';
import { registerSearchAttributes } from '../workers/search-attributes';
import { sandboxWorkerEnv } from './stack/sandbox-worker-env';

const port = (fallback: number) => z.coerce.number().int().min(1).max(65535).default(fallback);
const startSchema = z.object({
  TEMPORAL_PORT: port(7233),
  TEMPORAL_UI_PORT: port(8233),
  CODEC_SERVER_PORT: port(8734),
  SANDBOX_PSA_PORT: port(8701),
  SANDBOX_QBO_PORT: port(8702),
  /** The QuickBooks sandbox company when no state exists: US manual tax, Automated Sales Tax, Canadian. */
  SANDBOX_QBO_SEED: z.enum(['demo', 'demo-ast', 'demo-ca']).default('demo'),
  SMTP_SINK_PORT: port(8725),
  TEMPORAL_NAMESPACE: z.string().default('default'),
  TEMPORAL_TASK_QUEUE: z.string().default('ledgerline'),
  /** "false" runs against real systems configured by CW_* / QBO_* / SMTP_* variables instead. */
  LEDGERLINE_SANDBOXES: z.enum(['true', 'false']).default('true'),
});

type Stoppable = { name: string; stop: () => Promise<unknown> };

function waitForExit(child: ChildProcess, ms: number): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      resolve();
    }, ms);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

async function waitForServer(address: string, namespace: string, timeoutMs: number): Promise<Connection> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const connection = await Connection.connect({ address, connectTimeout: 1000 });
      await connection.workflowService.describeNamespace({ namespace });
      return connection;
    } catch (err) {
      if (Date.now() > deadline) throw new Error(`Temporal dev server did not answer on ${address}: ${(err as Error).message}`, { cause: err });
      await new Promise((r) => setTimeout(r, 300));
    }
  }
}

/** Resolves once a worker polls the main task queue, so the banner's next steps work at once. */
async function waitForPoller(connection: Connection, namespace: string, taskQueue: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const { pollers } = await connection.workflowService.describeTaskQueue({
      namespace,
      taskQueue: { name: taskQueue },
      taskQueueType: temporal.api.enums.v1.TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW,
    });
    if ((pollers ?? []).length > 0) return;
    await new Promise((r) => setTimeout(r, 300));
  }
  throw new Error(`No worker polled task queue ${taskQueue} within ${timeoutMs / 1000} s`);
}

async function main(): Promise<void> {
  const started = Date.now();
  const env = parseEnvironment(startSchema, process.env);
  const { cli } = locateTemporalBinaries({ install: true });
  const stack: Stoppable[] = [];
  let stopping = false;

  const stopAll = async (code: number) => {
    if (stopping) return;
    stopping = true;
    console.log('\nStopping Ledgerline...');
    for (const item of stack.reverse()) {
      await item.stop().catch((err) => console.error(`  ${item.name}: ${(err as Error).message}`));
      console.log(`  stopped ${item.name}`);
    }
    process.exit(code);
  };
  process.on('SIGINT', () => void stopAll(0));
  process.on('SIGTERM', () => void stopAll(0));

  try {
    mkdirSync(TEMPORAL_HOME, { recursive: true });
    // The same keys the worker and the ops CLI find by themselves (the development key by default).
    const keyRing = loadKeyRing(keySourcesFromConfig(process.env));
    const uiUrl = `http://localhost:${env.TEMPORAL_UI_PORT}`;

    const codec = await startCodecServer({
      host: '127.0.0.1',
      port: env.CODEC_SERVER_PORT,
      // People open the UI by either name; both may decode.
      uiOrigin: [uiUrl, `http://127.0.0.1:${env.TEMPORAL_UI_PORT}`],
      // Development by default: no credentials, callers on this machine only (CODEC_SERVER_* settings apply).
      ...codecServerAccess(loadCodecServerConfig({ ...process.env, TEMPORAL_NAMESPACE: env.TEMPORAL_NAMESPACE })),
      codec: new EncryptionCodec(keyRing),
    });
    stack.push({ name: 'codec server', stop: () => codec.close() });

    let workerEnv: NodeJS.ProcessEnv = {};
    const lines: string[] = [];
    if (env.LEDGERLINE_SANDBOXES === 'true') {
      const dataRoot = join(PROJECT_ROOT, '.sandbox');
      const psa = await startConnectWiseSandbox({ host: '127.0.0.1', port: env.SANDBOX_PSA_PORT, dataDir: join(dataRoot, 'connectwise'), seed: 'demo' });
      stack.push({ name: 'ConnectWise sandbox', stop: () => psa.close() });
      const qbo = await startQuickBooksSandbox({ host: '127.0.0.1', port: env.SANDBOX_QBO_PORT, dataDir: join(dataRoot, 'quickbooks'), seed: env.SANDBOX_QBO_SEED });
      stack.push({ name: 'QuickBooks sandbox', stop: () => qbo.close() });
      const mail = await startSmtpSink({ host: '127.0.0.1', port: env.SMTP_SINK_PORT, dir: join(dataRoot, 'mail') });
      stack.push({ name: 'SMTP sink', stop: () => mail.close() });
      workerEnv = sandboxWorkerEnv({ psaBaseUrl: psa.baseUrl, qboBaseUrl: qbo.baseUrl, smtpPort: mail.port });
      lines.push(
        `  ConnectWise sandbox  ${psa.baseUrl}  (company ledgerline, keys demo-public / demo-private)`,
        `  QuickBooks sandbox   ${qbo.baseUrl}  (realm ${qbo.realmId}, token demo-access-token)`,
        `  SMTP sink            127.0.0.1:${mail.port}  (messages in .sandbox/mail/, list: npm run mail)`,
      );
    }

    const address = `127.0.0.1:${env.TEMPORAL_PORT}`;
    const server = spawn(
      cli,
      [
        'server', 'start-dev',
        '--ip', '127.0.0.1',
        '--port', String(env.TEMPORAL_PORT),
        '--ui-port', String(env.TEMPORAL_UI_PORT),
        '--db-filename', join(TEMPORAL_HOME, 'dev.db'),
        '--namespace', env.TEMPORAL_NAMESPACE,
        '--ui-codec-endpoint', codec.url,
        '--log-level', 'warn',
      ],
      { stdio: ['ignore', 'ignore', 'inherit'] },
    );
    stack.push({ name: 'Temporal dev server', stop: async () => { server.kill('SIGINT'); await waitForExit(server, 15_000); } });
    server.once('exit', (code) => { if (!stopping) { console.error(`Temporal dev server exited (${code})`); void stopAll(1); } });

    const connection = await waitForServer(address, env.TEMPORAL_NAMESPACE, 60_000);
    await registerSearchAttributes(connection, env.TEMPORAL_NAMESPACE);

    const tsxCli = require.resolve('tsx/cli');
    const worker = spawn(process.execPath, [tsxCli, join(PROJECT_ROOT, 'workers', 'main.ts')], {
      stdio: 'inherit',
      env: {
        ...process.env,
        ...workerEnv,
        TEMPORAL_ADDRESS: address,
        TEMPORAL_NAMESPACE: env.TEMPORAL_NAMESPACE,
        TEMPORAL_TASK_QUEUE: env.TEMPORAL_TASK_QUEUE,
        TEMPORAL_UI_URL: uiUrl,
      },
    });
    stack.push({ name: 'worker', stop: async () => { worker.kill('SIGINT'); await waitForExit(worker, 40_000); } });
    worker.once('exit', (code) => { if (!stopping) { console.error(`Worker exited (${code})`); void stopAll(1); } });
    await waitForPoller(connection, env.TEMPORAL_NAMESPACE, env.TEMPORAL_TASK_QUEUE, 120_000);
    await connection.close();

    const bold = (text: string) => (process.stdout.isTTY ? `\x1b[1m${text}\x1b[0m` : text);
    console.log(
      [
        '',
        bold(`Ledgerline is running (ready in ${((Date.now() - started) / 1000).toFixed(1)} s)`),
        `  Temporal UI          ${uiUrl}`,
        `  Temporal gRPC        ${address}  (namespace ${env.TEMPORAL_NAMESPACE})`,
        `  Worker               task queues ${env.TEMPORAL_TASK_QUEUE}, ${accountingQueueFor(env.TEMPORAL_TASK_QUEUE)}, ${batchCallQueueFor(accountingQueueFor(env.TEMPORAL_TASK_QUEUE))}`,
        `  Codec server         ${codec.url}  (the UI decodes payloads through it)`,
        ...lines,
        `  Temporal CLI         ${cli} workflow list --address ${address} --codec-endpoint ${codec.url}`,
        '',
        bold('Next, in a second terminal:'),
        '  npm run cli -- checklist run                             the go-live checklist (automated checks)',
        '  npm run cli -- checklist confirm test-invoices --by you  its two manual items',
        '  npm run cli -- checklist confirm chart-signoff --by you',
        '  npm run cli -- batch start --follow                      post the demo records, with a progress bar',
        `  Then open ${uiUrl} to read the batch's history, decrypted.`,
        'Press Ctrl-C to stop everything.',
        '',
      ].join('\n'),
    );
  } catch (err) {
    console.error(`npm start failed: ${(err as Error).message}`);
    await stopAll(1);
  }
}

main().catch((err: unknown) => {
  // A bad setting is said in one line per variable; nothing was started yet.
  console.error(err instanceof ConfigError ? err.message : `npm start failed: ${(err as Error).message}`);
  process.exit(1);
});
