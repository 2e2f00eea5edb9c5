/**
 * No key or token fragment in anything printed: corrupt codec key files make every process (worker,
 * codec server, ops CLI, `npm start`) stop with a message naming the file and where it is broken,
 * never quoting it; a corrupt QuickBooks token file fails the sync at its first QuickBooks call, at
 * once (one attempt, not retried) and clearly, and the token file is left as it was. Everything the
 * processes print, the CLI's answer and the run's decrypted history are scanned for any 8
 * characters of the secrets.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { sandboxWorkerEnv } from '../../dev/stack/sandbox-worker-env';
import { startLedgerStack, type LedgerStack } from '../../dev/stack/ledger-stack';
import { startDevServerEnv, STACK_CODEC_KEYS } from '../../dev/stack/temporal';

jest.setTimeout(300_000);

const ROOT = resolve(__dirname, '../..');
const TSX = join(ROOT, 'node_modules', '.bin', 'tsx');
const dir = mkdtempSync(join(tmpdir(), 'secrets-printed-'));

const KEY = randomBytes(32).toString('base64');
const ACCESS = `at-${randomBytes(24).toString('base64url')}`;
const REFRESH = `rt-${randomBytes(24).toString('base64url')}`;

/** Every 8-character window of the secrets: none may appear in anything printed. */
function leaks(text: string, secrets: string[]): string[] {
  const found = new Set<string>();
  for (const secret of secrets) for (let i = 0; i + 8 <= secret.length; i++) if (text.includes(secret.slice(i, i + 8))) found.add(secret.slice(i, i + 8));
  return [...found];
}

interface Ran {
  code: number | null;
  out: string;
}

function run(args: string[], env: NodeJS.ProcessEnv, timeoutMs = 120_000): Promise<Ran> {
  return new Promise((done, fail) => {
    const child = spawn(TSX, args, { cwd: ROOT, env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env } });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', fail);
    child.on('close', (code) => {
      clearTimeout(timer);
      done({ code, out });
    });
  });
}

let env: TestWorkflowEnvironment;
let stack: LedgerStack;
beforeAll(async () => {
  env = await startDevServerEnv();
  stack = await startLedgerStack();
});
afterAll(async () => {
  await stack?.close();
  await env?.teardown();
});

const workerEnv = (): NodeJS.ProcessEnv => ({
  ...sandboxWorkerEnv({ psaBaseUrl: stack.psa.baseUrl, qboBaseUrl: stack.qbo.baseUrl, smtpPort: stack.mail.port }),
  TEMPORAL_ADDRESS: env.address,
  NODE_ENV: 'development',
});

describe('a codec key file with a syntax error', () => {
  const files: Array<[string, string]> = [
    ['an unquoted key', `{"currentKeyId": "k1", "keys": {"k1": ${KEY}}}`],
    ['a key cut off', `{"currentKeyId": "k1", "keys": {"k1": "${KEY}`],
    ['single quotes', `{'currentKeyId': 'k1', 'keys': {'k1': '${KEY}'}}`],
  ];
  const processes: Array<[string, string[]]> = [
    ['the worker', ['workers/main.ts']],
    ['the codec server', ['workers/codec-server.ts']],
    ['the ops CLI', ['clients/cli/main.ts', 'batch', 'list']],
    ['npm start', ['dev/start.ts']],
  ];

  it.each(files)('with %s stops every process with the file and the place named, never a fragment of the key', async (_what, content) => {
    const keyFile = join(dir, `keys-${randomBytes(4).toString('hex')}.json`);
    writeFileSync(keyFile, content, { mode: 0o600 });
    for (const [name, args] of processes) {
      const ran = await run(args, { ...workerEnv(), LEDGERLINE_CODEC_KEY_FILE: keyFile, TEMPORAL_PORT: '1' });
      expect({ name, code: ran.code }).toEqual({ name, code: 1 });
      expect({ name, leaks: leaks(ran.out, [KEY]) }).toEqual({ name, leaks: [] });
      expect({ name, says: ran.out }).toEqual({ name, says: expect.stringMatching(new RegExp(`Codec key file ${keyFile} is not valid JSON \\(a syntax error( at line 1, column \\d+)?\\): fix it to the shape`)) });
    }
  });
});

describe('a QuickBooks token file that is not JSON', () => {
  let worker: ChildProcess;
  let printed = '';

  afterAll(async () => {
    if (worker && worker.exitCode === null) {
      worker.kill('SIGTERM');
      await new Promise((r) => worker.once('exit', r));
    }
  });

  it('fails the sync at once with the file named and the reconnect step, writes nothing and prints no token', async () => {
    const taskQueue = 'secrets-token-file';
    const tokenFile = join(dir, 'qbo-tokens.json');
    const content = `{"accessToken": "${ACCESS}", "refreshToken": ${REFRESH}}`;
    writeFileSync(tokenFile, content, { mode: 0o600 });
    const env2 = { ...workerEnv(), TEMPORAL_TASK_QUEUE: taskQueue, QBO_TOKEN_STORE: 'file', QBO_TOKEN_FILE: tokenFile, LEDGERLINE_CODEC_KEYS: STACK_CODEC_KEYS };
    worker = spawn(TSX, ['workers/main.ts'], { cwd: ROOT, env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env2 } });
    const ready = new Promise<void>((resolve, reject) => {
      const onData = (d: Buffer) => {
        printed += d.toString();
        if (/Worker polling task queues/.test(printed)) resolve();
      };
      worker.stdout!.on('data', onData);
      worker.stderr!.on('data', onData);
      worker.once('exit', (code) => reject(new Error(`worker exited (${code}): ${printed}`)));
    });
    await ready;

    const cli = await run(['clients/cli/main.ts', 'payments', 'sync', '--id', 'secrets-sync'], env2);
    expect(cli.code).toBe(1);
    expect(cli.out).toMatch(new RegExp(`The workflow failed: QuickBooks token file ${tokenFile} is not valid JSON \\(a syntax error\\) Fix: .*Reconnect QuickBooks`));

    // One attempt: a business error, not retried for minutes.
    const history = await env.client.workflow.getHandle('secrets-sync').fetchHistory();
    const events = history.events ?? [];
    const started = events.filter((e) => e.activityTaskStartedEventAttributes && /syncPaymentsPage/.test(JSON.stringify(events.find((s) => s.eventId?.toString() === e.activityTaskStartedEventAttributes!.scheduledEventId?.toString())?.activityTaskScheduledEventAttributes?.activityType)));
    expect(started.map((e) => e.activityTaskStartedEventAttributes!.attempt)).toEqual([1]);
    const failure = events.find((e) => e.activityTaskFailedEventAttributes)!.activityTaskFailedEventAttributes!.failure!;
    expect(failure.applicationFailureInfo).toMatchObject({ type: 'AuthenticationFailed', nonRetryable: true });

    worker.kill('SIGTERM');
    await new Promise((r) => worker.once('exit', r));
    expect(readFileSync(tokenFile, 'utf8')).toBe(content);
    const decoded = JSON.stringify(await env.client.workflow.getHandle('secrets-sync').describe()) + JSON.stringify(history);
    expect(leaks(printed + cli.out + decoded, [ACCESS, REFRESH])).toEqual([]);
    expect(printed).toMatch(/QuickBooks token file .* is not valid JSON/);
  });
});
