/**
 * Go-live checklist activities: gather the facts (integrations/checklist-facts), run the pure checks
 * (domain/checklist) and hand back only the items; mail the report; keep the latest result per
 * accounting company in Temporal (integrations/state), which the accounting batch's gate reads.
 */
import { Context } from '@temporalio/activity';
import { runChecks, type ChecklistSummary } from '../domain/checklist';
import type {
  LatestChecklistStatus,
  MailSent,
  RecordChecklistResultInput,
  RunChecklistInput,
  RunChecklistResult,
  SendChecklistReportInput,
} from '../domain/contract';
import { gatherChecklistFacts, type ChecklistFactSources } from '../integrations/checklist-facts';
import { renderChecklistReport, type ChecklistReportSummary, type Mailer } from '../integrations/mail';
import { latestChecklistOf } from '../domain/company-state';
import { CompanyStateStore } from '../integrations/state';
import { guardOfCurrentActivity } from './connection';

export interface ChecklistDeps extends ChecklistFactSources {
  mailer: Mailer;
  defaultTo: string;
  temporalUi: { baseUrl: string; namespace: string };
}

/** The workflow's summary in the mail template's shape. */
export function toChecklistReport(summary: ChecklistSummary, stage: 'reminder' | 'final', temporalUi: ChecklistDeps['temporalUi']): ChecklistReportSummary {
  return {
    workflowId: summary.workflowId,
    runId: summary.runId,
    temporalUi,
    company: summary.company,
    status: summary.status,
    stage,
    items: summary.items.map((i) => ({ id: i.id, title: i.title, result: i.result, evidence: i.evidence, fix: i.fix })),
    manualItems: summary.manualItems.map((m) => ({ id: m.id, title: m.title, confirmed: m.confirmed, by: m.by, at: m.at, note: m.note })),
  };
}

export function checklistActivities(deps: ChecklistDeps) {
  const realmId = deps.ledger.realmId;
  // Called on the main queue, whose workers serve the company state workflow.
  const store = () => new CompanyStateStore(Context.current().client, Context.current().info.taskQueue, realmId);
  return {
    async runChecklistChecks(input: RunChecklistInput): Promise<RunChecklistResult> {
      const { facts, company } = await gatherChecklistFacts(deps, input, (phase) => Context.current().heartbeat(phase));
      // The connection guard learns the connection's dates at go-live, before any sync refreshes them.
      const ledger = facts.connectivity.ledger;
      if (ledger.ok && ledger.value.connection) {
        const report = { kind: 'life' as const, at: new Date().toISOString(), refreshed: false, life: ledger.value.connection };
        await guardOfCurrentActivity(realmId, deps.company?.name)?.report(report).catch(() => undefined);
      }
      return { items: runChecks(facts), realmId, company, lockDate: facts.lock.lockDate };
    },

    async sendChecklistReport(input: SendChecklistReportInput): Promise<MailSent> {
      const mail = renderChecklistReport(toChecklistReport(input.summary, input.stage, deps.temporalUi));
      const messageId = await deps.mailer.send({ to: deps.defaultTo, ...mail });
      return { messageId, to: deps.defaultTo };
    },

    async recordChecklistResult(input: RecordChecklistResultInput): Promise<LatestChecklistStatus> {
      return store().recordChecklist({ ...input, realmId });
    },

    async latestChecklistStatus(): Promise<LatestChecklistStatus | undefined> {
      return latestChecklistOf(await store().read(), realmId);
    },
  };
}
