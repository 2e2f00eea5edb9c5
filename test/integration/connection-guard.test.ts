/**
 * The connection guard end to end: dev server, both sandboxes, real clients, activities and mail.
 * A connection nearing QuickBooks' 5-year limit is flagged before syncing stops (the checklist
 * shows its remaining life and warns; LedgerConnection = "Expiring"; an alert mail with the
 * reconnect step); a revoked one when a sync stops on it (LedgerConnection = "Revoked"; an alert).
 */
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { WorkflowFailedError } from '@temporalio/client';
import type { ChecklistSummary } from '../../domain/checklist';
import { connectionGuardWorkflowId } from '../../domain/connection-health';
import { goLiveChecklist, paymentSync } from '../../workflows';
import { startLedgerStack, withStackWorkers, type LedgerStack } from '../../dev/stack/ledger-stack';
import { startDevServerEnv, stackDataConverter, workflowBundle } from '../../dev/stack/temporal';
import type { StoredMail } from '../../dev/sandbox/mail/mail-store';

jest.setTimeout(240_000);

let env: TestWorkflowEnvironment;
let stack: LedgerStack;
const TASK_QUEUE = 'it-guard';

beforeAll(async () => {
  env = await startDevServerEnv();
  stack = await startLedgerStack({ env: { LEDGER_CONTEXT_TTL: '0ms', MAIL_DEFAULT_TO: 'finance@msp.example' } });
});
afterAll(async () => {
  await stack?.close();
  await env?.teardown();
});

async function withWorkers<T>(fn: () => Promise<T>): Promise<T> {
  return withStackWorkers(stack, env.nativeConnection, TASK_QUEUE, stackDataConverter(), await workflowBundle(), fn);
}

async function eventually<T>(what: string, read: () => Promise<T | undefined>): Promise<T> {
  for (let i = 0; i < 300; i++) {
    const value = await read();
    if (value !== undefined) return value;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** The guard the UI finds with a search on LedgerConnection. */
async function guardsWith(status: string): Promise<string[]> {
  const ids: string[] = [];
  for await (const w of env.client.workflow.list({ query: `LedgerConnection = "${status}"` })) ids.push(w.workflowId);
  return ids;
}

/** The alert mail, its text on one line (the text part wraps at 80 columns). */
async function alertMail(subject: RegExp): Promise<StoredMail & { flat: string }> {
  const mail = await eventually(`an alert mail ${subject}`, async () => {
    const entry = (await stack.mail.list()).find((m) => subject.test(m.subject ?? ''));
    return entry && stack.mail.read(entry.id);
  });
  return { ...mail, flat: (mail.text ?? '').replace(/\s+/g, ' ') };
}

const guardId = () => connectionGuardWorkflowId(stack.config.QBO_REALM_ID!, TASK_QUEUE);

describe('connection guard', () => {
  it('before syncing stops: a connection 20 days from its 5-year limit warns in the checklist, in LedgerConnection and by mail', async () => {
    stack.qbo.admin.ageConnection(20);
    stack.qbo.admin.expireAccessTokens(true);
    await withWorkers(async () => {
      const summary: ChecklistSummary = await env.client.workflow.execute(goLiveChecklist, { taskQueue: TASK_QUEUE, workflowId: 'it-guard-checklist', args: [{ manualItems: [] }] });
      const connectivity = summary.items.find((i) => i.id === 'connectivity')!;
      expect(connectivity.result).toBe('warn');
      expect(connectivity.evidence.join('\n')).toMatch(/Connection life: The QuickBooks connection reaches its 5-year limit on \d{4}-\d{2}-\d{2} \(19 days\)/);
      expect(connectivity.fix).toMatch(/^Before \d{4}-\d{2}-\d{2}: Reconnect QuickBooks/);

      expect(await eventually('the Expiring guard', async () => ((await guardsWith('Expiring')).length ? guardsWith('Expiring') : undefined))).toEqual([guardId()]);
      const mail = await alertMail(/QuickBooks connection expiring/);
      expect(mail.to).toEqual(['finance@msp.example']);
      expect(mail.subject).toMatch(/^\[Ledgerline\] QuickBooks connection expiring on \d{4}-\d{2}-\d{2} \(19 days\) for company 9341453000000001$/);
      expect(mail.flat).toContain('Reconnect QuickBooks: authorize the app for this company again');
      expect(mail.flat).toContain('LedgerConnection != "Healthy"');
    });
  });

  it('when syncing stops: a revoked connection fails the payment sync with the reconnect step and the guard alerts', async () => {
    stack.qbo.admin.revokeConnection();
    await withWorkers(async () => {
      const err = await env.client.workflow.execute(paymentSync, { taskQueue: TASK_QUEUE, workflowId: 'it-guard-sync', args: [{ since: '2026-01-01' }] }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(WorkflowFailedError);
      const cause = (err as WorkflowFailedError).cause;
      expect(String((cause?.cause as Error | undefined)?.message ?? cause?.message)).toMatch(/invalid_grant.*Reconnect QuickBooks/);

      expect(await eventually('the Revoked guard', async () => ((await guardsWith('Revoked')).length ? guardsWith('Revoked') : undefined))).toEqual([guardId()]);
      expect(await guardsWith('Expiring')).toEqual([]);
      const mail = await alertMail(/QuickBooks connection revoked/);
      expect(mail.subject).toBe('[Ledgerline] QuickBooks connection revoked: syncing has stopped for company 9341453000000001');
      expect(mail.flat).toMatch(/QuickBooks refused the refresh token on .* \(QuickBooks POST oauth2 token \(refresh_token\) was refused \(invalid_grant\)\)/);
      expect(mail.flat).toContain("put the new refresh token in the company's refreshToken setting (QBO_REFRESH_TOKEN for the default company)");
    });
  });
});
