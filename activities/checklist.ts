/**
 * Go-live checklist activities: gather the facts (integrations/checklist-facts), run the pure checks
 * (domain/checklist) and hand back only the items; mail the report; keep the latest result per
 * accounting company (integrations/state), which the accounting batch's gate reads.
 */
import { Context } from '@temporalio/activity';
import { DEFAULT_STATE_DIR } from '../config';
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
import { readLatestChecklistStatus, recordLatestChecklistStatus } from '../integrations/state';

export interface ChecklistDeps extends ChecklistFactSources {
  mailer: Mailer;
  defaultTo: string;
  temporalUi: { baseUrl: string; namespace: string };
  /** Default: LEDGERLINE_STATE_DIR, else .temporal/state. */
  stateDir?: string;
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
  const stateDir = deps.stateDir ?? process.env.LEDGERLINE_STATE_DIR ?? DEFAULT_STATE_DIR;
  const realmId = deps.ledger.realmId;
  return {
    async runChecklistChecks(input: RunChecklistInput): Promise<RunChecklistResult> {
      const { facts, company } = await gatherChecklistFacts(deps, input, (phase) => Context.current().heartbeat(phase));
      return { items: runChecks(facts), realmId, company, lockDate: facts.lock.lockDate };
    },

    async sendChecklistReport(input: SendChecklistReportInput): Promise<MailSent> {
      const mail = renderChecklistReport(toChecklistReport(input.summary, input.stage, deps.temporalUi));
      const messageId = await deps.mailer.send({ to: deps.defaultTo, ...mail });
      return { messageId, to: deps.defaultTo };
    },

    async recordChecklistResult(input: RecordChecklistResultInput): Promise<LatestChecklistStatus> {
      return recordLatestChecklistStatus(stateDir, { ...input, realmId });
    },

    async latestChecklistStatus(): Promise<LatestChecklistStatus | undefined> {
      return readLatestChecklistStatus(stateDir, realmId);
    },
  };
}
