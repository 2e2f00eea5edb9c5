/**
 * The Ledgerline workers (main + one accounting queue per company) in a child process, so a test or
 * benchmark can SIGKILL them mid-batch (a real crash: no drain, no activity completion), read their
 * peak RSS without counting the sandboxes and the test runner, or run several as separate hosts
 * (`cwd`: a working directory of their own, nothing shared on disk).
 *
 * Parent side: `spawnStackWorkers(...)`. Child side: this file run as a script; it reads its
 * settings from the environment the parent built and prints one JSON line per event on stdout.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createInterface } from 'node:readline';
import type { LedgerStack } from './ledger-stack';

export interface StackWorkerProcess {
  child: ChildProcess;
  /** Highest RSS the child reported (it samples every 200 ms), in bytes. */
  peakRss(): number;
  /** SIGKILL: no graceful shutdown, in-flight activities are simply gone. */
  kill(): Promise<void>;
  /** Graceful stop (SIGTERM -> worker.shutdown), resolves with the final peak RSS. */
  stop(): Promise<number>;
}

export interface SpawnOptions {
  temporalAddress: string;
  namespace?: string;
  taskQueue: string;
  /** Workflow bundle code; written to a file the child loads (no webpack in the child). */
  bundleCode: string;
  maxTaskQueueActivitiesPerSecond?: number;
  /** Extra worker env (e.g. LEDGER_CONTEXT_TTL). */
  env?: NodeJS.ProcessEnv;
  /** The child's working directory (default the parent's): a host of its own has one of its own. */
  cwd?: string;
}

/**
 * The worker's heap budget, as the production image sets it (Dockerfile NODE_OPTIONS): a worker's
 * memory is bounded by it and by MAX_CACHED_WORKFLOWS and MAX_CONCURRENT_ACTIVITIES, not by batch size.
 */
export const WORKER_HEAP_OPTION = '--max-old-space-size=256';

/** tsx's loader by path, so a child in another working directory finds it. */
function tsxLoader(): string {
  return pathToFileURL(require.resolve('tsx')).href;
}

export async function spawnStackWorkers(stack: LedgerStack, options: SpawnOptions): Promise<StackWorkerProcess> {
  const bundlePath = join(stack.dir, `bundle-${options.taskQueue}.js`);
  writeFileSync(bundlePath, options.bundleCode);
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    // The stack's own worker environment: sandbox URLs, companies, token store (a file store is the
    // same token file as the parent's clients; it serialises refreshes across processes).
    ...stack.workerEnv,
    LEDGER_CONTEXT_TTL: stack.config.LEDGER_CONTEXT_TTL,
    NODE_OPTIONS: [process.env.NODE_OPTIONS, WORKER_HEAP_OPTION].filter(Boolean).join(' '),
    ...options.env,
    TEMPORAL_TASK_QUEUE: options.taskQueue,
    TEMPORAL_NAMESPACE: options.namespace ?? 'default',
    LL_CHILD_TEMPORAL_ADDRESS: options.temporalAddress,
    LL_CHILD_BUNDLE: bundlePath,
    LL_CHILD_RATE: options.maxTaskQueueActivitiesPerSecond === undefined ? '' : String(options.maxTaskQueueActivitiesPerSecond),
    LL_CHILD_RECORD_CHECKLIST: stack.checklistPassed.join(','),
  };
  const child = spawn(process.execPath, ['--import', tsxLoader(), __filename], { env, cwd: options.cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  let peak = 0;
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => {
    stderr = (stderr + d.toString()).slice(-4000);
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const ready = new Promise<void>((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! });
    lines.on('line', (line) => {
      let msg: { event?: string; rss?: number; message?: string };
      try {
        msg = JSON.parse(line);
      } catch {
        return;
      }
      if (typeof msg.rss === 'number') peak = Math.max(peak, msg.rss);
      if (msg.event === 'ready') resolve();
      if (msg.event === 'error') reject(new Error(`worker process: ${msg.message}`));
    });
    child.once('exit', (code, signal) => reject(new Error(`worker process exited before ready (${code ?? signal}): ${stderr}`)));
  });
  await ready;
  return {
    child,
    peakRss: () => peak,
    async kill() {
      child.kill('SIGKILL');
      await exited;
    },
    async stop() {
      child.kill('SIGTERM');
      await exited;
      return peak;
    },
  };
}

// ------------------------------------------------------------------------------------------ child

async function childMain(): Promise<void> {
  const { NativeConnection } = await import('@temporalio/worker');
  const { Client } = await import('@temporalio/client');
  const pino = (await import('pino')).default;
  const { createDeploymentActivities } = await import('../../activities');
  const { buildDeployment } = await import('../../workers/dependencies');
  const { createLedgerWorkers } = await import('../../workers/worker');
  const { loadWorkerConfig } = await import('../../config');
  const { createDataConverter } = await import('../../integrations/codec/data-converter');

  const say = (msg: Record<string, unknown>) => process.stdout.write(`${JSON.stringify(msg)}\n`);
  let peak = 0;
  const sample = () => {
    peak = Math.max(peak, process.memoryUsage().rss);
    say({ rss: peak });
  };
  setInterval(sample, 200).unref();

  const env = process.env;
  const config = loadWorkerConfig(env);
  const connection = await NativeConnection.connect({ address: env.LL_CHILD_TEMPORAL_ADDRESS! });
  const dataConverter = createDataConverter({ inlineKeys: env.LEDGERLINE_CODEC_KEYS! });
  const taskQueue = config.TEMPORAL_TASK_QUEUE;
  const namespace = config.TEMPORAL_NAMESPACE;
  const client = new Client({ connection, namespace, dataConverter });
  const logger = pino({ level: 'silent' });
  const deployment = await buildDeployment(config, logger, { client });
  const activities = createDeploymentActivities(deployment.companies.map((c) => c.deps));
  // The product's workers, as workers/main.ts builds them (cache, concurrency and rate settings).
  const rate = env.LL_CHILD_RATE ? Number(env.LL_CHILD_RATE) : undefined;
  const queues = deployment.companies.map((c) => ({ ...c, activitiesPerSecond: rate ?? c.activitiesPerSecond }));
  const built = await createLedgerWorkers(config, connection, activities, queues, dataConverter, logger, env.LL_CHILD_BUNDLE!);
  const workers = built.all;
  process.once('SIGTERM', () => {
    for (const w of workers) w.shutdown();
  });
  const running = Promise.all(workers.map((w) => w.run()));
  const passed = new Set((env.LL_CHILD_RECORD_CHECKLIST ?? '').split(',').filter(Boolean));
  if (passed.size > 0) {
    const { recordPassedChecklist } = await import('./ledger-stack');
    for (const c of deployment.companies) if (passed.has(c.name)) await recordPassedChecklist(client, taskQueue, c.deps.ledger.realmId);
  }
  sample();
  say({ event: 'ready' });
  await running;
  sample();
  await connection.close();
  process.exit(0);
}

if (require.main === module) {
  childMain().catch((err: Error) => {
    process.stdout.write(`${JSON.stringify({ event: 'error', message: err.stack ?? err.message })}\n`);
    process.exit(1);
  });
}
