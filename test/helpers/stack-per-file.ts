/** A Temporal dev server and the ledger stack for one test file: started before its tests, stopped after them. */
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { startLedgerStack, type LedgerStack, type LedgerStackOptions } from '../../dev/stack/ledger-stack';
import { startDevServerEnv } from '../../dev/stack/temporal';

export interface FileStack {
  env: TestWorkflowEnvironment;
  stack: LedgerStack;
}

export function stackPerFile(options: LedgerStackOptions = { env: { LEDGER_CONTEXT_TTL: '0ms' } }): FileStack {
  const held = {} as FileStack;
  beforeAll(async () => {
    held.env = await startDevServerEnv();
    held.stack = await startLedgerStack(options);
  });
  afterAll(async () => {
    await held.stack?.close();
    await held.env?.teardown();
  });
  return held;
}
