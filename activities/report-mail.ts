/** Emails the batch report to the member who asked (by PSA member identifier or address). */
import { Context } from '@temporalio/activity';
import type { BatchSummary } from '../domain/batch-summary';
import { RECORD_KINDS, type CheckReportRecipientInput, type MailSent, type ReportRecipient, type SendBatchReportInput } from '../domain/contract';
import type { ConnectWiseClient } from '../integrations/connectwise';
import { renderBatchReport, type BatchReportSummary, type Mailer } from '../integrations/mail';
import { reportRecipient, type Recipients } from './recipient';

export interface ReportMailDeps {
  psa: ConnectWiseClient;
  mailer: Mailer;
  recipients: Recipients;
  temporalUi: { baseUrl: string; namespace: string };
  /** Today's GL setup rows left out of the resolver (the report lists them); none when not given. */
  glSetupProblems?: () => Promise<string[]>;
}

/** The workflow's summary in the mail template's shape (only kinds that had records). */
export function toReportSummary(summary: BatchSummary, temporalUi: ReportMailDeps['temporalUi'], glSetupProblems: string[] = []): BatchReportSummary {
  const byKind: BatchReportSummary['byKind'] = {};
  for (const kind of RECORD_KINDS) {
    const t = summary.byKind[kind];
    if (t.collected === 0 && t.posted + t.alreadyPosted + t.failed === 0) continue;
    byKind[kind] = { posted: t.posted, alreadyPosted: t.alreadyPosted, failed: t.failed, totals: t.totals };
  }
  const failedCount = RECORD_KINDS.reduce((n, k) => n + summary.byKind[k].failed, 0);
  return {
    workflowId: summary.workflowId,
    runId: summary.runId,
    temporalUi,
    batchId: summary.batchId,
    ...(summary.company !== undefined && { company: summary.company }),
    // A report is mailed once a round has ended (a refused batch mails nothing): still running is a failure.
    status: summary.status === 'Running' || summary.status === 'Refused' ? 'Failed' : summary.status,
    thruDate: summary.thruDate,
    byKind,
    failures: summary.failures.map((f) => ({ kind: f.kind, number: f.number, id: f.id, type: f.type, message: f.message, fix: f.fix })),
    discrepancies: summary.discrepancies,
    drift: summary.drift.map((d) => ({ kind: d.kind, number: d.number, accountType: d.accountType, exported: d.exported, current: d.current, line: d.line, why: d.why })),
    stale: (summary.stale ?? []).map((s) => ({ kind: s.kind, number: s.number, agreement: s.agreement, change: s.change, fix: s.fix })),
    agreementCheckError: summary.agreementCheckError,
    glSetupProblems: glSetupProblems.slice(0, 100),
    taxDeltas: summary.taxDeltas ?? [],
    warnings: (summary.warnings ?? []).map((w) => ({ kind: w.kind, number: w.number, warning: w.warning })),
    wouldCreate: summary.wouldCreate,
    postedLines: summary.postedLines ?? [],
    missingParties: summary.missingParties ?? [],
    edits: summary.edits ?? [],
    ledgerChanges: summary.ledgerChanges ?? [],
    ledgerCheckNote: summary.ledgerCheckNote,
    ledgerCheckError: summary.ledgerCheckError,
    omitted: { failures: Math.max(0, failedCount - summary.failures.length), ...(summary.driftOmitted && { drift: summary.driftOmitted }) },
    exportedBatches: summary.exportedBatches.slice(0, 100),
    overrideChecklist: summary.overrideChecklist,
    fatalError: summary.fatalError,
  };
}

export function reportMailActivities(deps: ReportMailDeps) {
  return {
    /** Refuses, before anything is written, a recipient a report may not go to (InvalidInput). */
    async checkReportRecipient(input: CheckReportRecipientInput): Promise<ReportRecipient> {
      return { to: await reportRecipient(deps.psa, input.notify, deps.recipients) };
    },

    async sendBatchReport(input: SendBatchReportInput): Promise<MailSent> {
      const to = await reportRecipient(deps.psa, input.notify, deps.recipients);
      // The setup notes are read at report time; a report is never withheld for want of them.
      const setupProblems = deps.glSetupProblems ? await deps.glSetupProblems().catch(() => []) : [];
      const mail = renderBatchReport(toReportSummary(input.summary, deps.temporalUi, setupProblems));
      Context.current().heartbeat();
      const messageId = await deps.mailer.send({ to, ...mail });
      return { messageId, to };
    },
  };
}
