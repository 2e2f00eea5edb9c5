/**
 * Temporal for the local stack (tests, benchmarks, history recording): a dev server from the
 * project-local binaries (never downloaded), started with retries because the SDK gives a spawned
 * server only ~5 s to answer and these machines have 2 cores; the workflow bundle; a fixed codec key.
 */
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { bundleWorkflowCode, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import type { DataConverter } from '@temporalio/common';
import { locateTemporalBinaries } from '../../scripts/temporal-binaries';
import { createDataConverter, FAILURE_CONVERTER_PATH } from '../../integrations/codec/data-converter';
import { SEARCH_ATTRIBUTES } from '../../workflows/definitions';

/** A fixed, public key: histories recorded for replay tests are encrypted with it. Never for real data. */
export const STACK_CODEC_KEYS = 'test-key-1:' + Buffer.alloc(32, 7).toString('base64');

export function stackDataConverter(): DataConverter {
  return createDataConverter({ inlineKeys: STACK_CODEC_KEYS });
}

/** Starts a Temporal server, retrying: a first start on a busy machine can miss the SDK's deadline. */
export async function startWithRetries<T>(what: string, start: () => Promise<T>, attempts = 4): Promise<T> {
  let lastError: unknown;
  for (let attempt = 1; attempt <= attempts; attempt++) {
    try {
      return await start();
    } catch (err) {
      lastError = err;
      await new Promise((r) => setTimeout(r, 500 * attempt));
    }
  }
  throw new Error(`Could not start ${what} after ${attempts} attempts: ${(lastError as Error)?.message}`);
}

/** A dev server; `bare: true` starts it without the project's search attributes, as a new deployment's. */
export function startDevServerEnv(extraArgs: string[] = [], options: { bare?: boolean } = {}): Promise<TestWorkflowEnvironment> {
  const { cli } = locateTemporalBinaries({ install: false });
  return startWithRetries('the Temporal dev server', () =>
    TestWorkflowEnvironment.createLocal({
      server: {
        executable: { type: 'existing-path', path: cli },
        ip: '127.0.0.1',
        searchAttributes: options.bare ? [] : SEARCH_ATTRIBUTES,
        extraArgs,
      },
      client: { dataConverter: stackDataConverter() },
    }),
  );
}

let bundlePromise: Promise<WorkflowBundleWithSourceMap> | undefined;

/** The workflow bundle, built once per test file (webpack takes about a second). */
export function workflowBundle(): Promise<WorkflowBundleWithSourceMap> {
  bundlePromise ??= bundleWorkflowCode({
    workflowsPath: require.resolve('../../workflows'),
    // Same as workers: failure messages are encrypted too.
    failureConverterPath: FAILURE_CONVERTER_PATH,
    logger: quietBundlerLogger,
  });
  return bundlePromise;
}

const noop = () => undefined;
const quietBundlerLogger = { log: noop, trace: noop, debug: noop, info: noop, warn: noop, error: console.error };
