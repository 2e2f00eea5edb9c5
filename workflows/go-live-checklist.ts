/**
 * goLiveChecklist: run the thirteen automated checks, then wait for a person to
 * confirm the manual items (`confirm` update), e-mailing a reminder after `reminderAfter` and giving
 * up after `confirmTimeout`. The summary is queryable throughout (`checklistResult`), e-mailed at the
 * end, recorded as the company's latest checklist (the accounting batch's gate) and returned.
 *
 * When an automated check fails the run does not wait: the checklist cannot pass, and a fixed setup
 * is checked by a new run.
 */
import { ApplicationFailure, allHandlersFinished, condition, log, setHandler, workflowInfo } from '@temporalio/workflow';
import { msToNumber } from '@temporalio/common/lib/time';
import { checklistStatus, confirmProblem, resolveManualItems } from '../domain/checklist/manual-items';
import type { ChecklistSummary, ConfirmManualItemInput } from '../domain/checklist/types';
import { goLiveChecklistInputSchema, type GoLiveChecklistInput } from '../domain/schemas';
import { checklistResultQuery, confirmManualItemUpdate } from './definitions';
import { companyActivities, parseWorkflowInput } from './helpers';
import { runCompany } from './run-company';

/** "2d" -> ms; the schema allows s, m, h and d, which is what the SDK's duration parser reads. */
const durationMs = (d: string) => msToNumber(d as Parameters<typeof msToNumber>[0]);

export async function goLiveChecklist(rawInput?: GoLiveChecklistInput): Promise<ChecklistSummary> {
  const info = workflowInfo();
  const options = parseWorkflowInput('goLiveChecklist', goLiveChecklistInputSchema, rawInput);
  const summary: ChecklistSummary = {
    workflowId: info.workflowId,
    runId: info.runId,
    stage: 'checking',
    status: 'Incomplete',
    items: [],
    manualItems: resolveManualItems(options.manualItems),
    lockDate: options.lockDate,
    reminderSent: false,
  };
  const pending = () => summary.manualItems.filter((m) => !m.confirmed);

  setHandler(checklistResultQuery, () => summary);
  setHandler(
    confirmManualItemUpdate,
    (input: ConfirmManualItemInput) => {
      const target = summary.manualItems.find((m) => m.id === input.item)!;
      Object.assign(target, { confirmed: true, by: input.by.trim(), at: new Date().toISOString() }, input.note ? { note: input.note } : {});
      summary.status = checklistStatus(summary.items, summary.manualItems);
      log.info('Manual item confirmed', { item: target.id, by: target.by });
      return summary;
    },
    {
      validator: (input: ConfirmManualItemInput) => {
        const problem = confirmProblem(summary.manualItems, input, summary.stage !== 'done');
        if (problem) throw ApplicationFailure.nonRetryable(problem, 'InvalidInput');
      },
    },
  );
  const company = await runCompany('goLiveChecklist', options.company, info.taskQueue);
  const psaActivity = (summary: string) => companyActivities(company).psa(summary);

  const checked = await psaActivity(`run the 12 go-live checks${options.lockDate ? ` (lock date ${options.lockDate})` : ''}`).runChecklistChecks({ lockDate: options.lockDate });
  Object.assign(summary, { items: checked.items, realmId: checked.realmId, company: checked.company, lockDate: checked.lockDate });
  summary.status = checklistStatus(summary.items, summary.manualItems);
  log.info('Automated checks done', { failed: summary.items.filter((i) => i.result === 'fail').map((i) => i.id) });

  if (summary.status !== 'Failed' && pending().length > 0) {
    summary.stage = 'awaitingConfirmation';
    const started = Date.now();
    const reminderAt = durationMs(options.reminderAfter);
    const timeout = durationMs(options.confirmTimeout);
    if (reminderAt < timeout && !(await condition(() => pending().length === 0, reminderAt))) {
      await psaActivity(`e-mail a reminder: ${pending().length} manual item(s) unconfirmed`).sendChecklistReport({ summary, stage: 'reminder' });
      summary.reminderSent = true;
    }
    const left = timeout - (Date.now() - started);
    if (left > 0) await condition(() => pending().length === 0, left);
  }

  // Confirmations are closed from here on (the validator checks the stage).
  summary.stage = 'done';
  summary.status = checklistStatus(summary.items, summary.manualItems);
  summary.completedAt = new Date().toISOString();
  await psaActivity(`record the latest checklist: ${summary.status}`).recordChecklistResult({
    passed: summary.status === 'Passed',
    status: summary.status,
    at: summary.completedAt,
    workflowId: summary.workflowId,
    runId: summary.runId,
    failed: summary.items.filter((i) => i.result === 'fail').map((i) => i.id),
    unconfirmed: pending().map((m) => m.id),
  });
  await psaActivity(`e-mail the checklist report: ${summary.status}`).sendChecklistReport({ summary, stage: 'final' });
  await condition(allHandlersFinished);
  return summary;
}
