/** The go-live checklist e-mail: each check with its evidence and fix, and who confirmed the manual items. */
import { checklistReportSummarySchema, type ChecklistReportSummary } from '../report-types';
import { workflowRunUrl } from '../temporal-link';
import type { ReportDocument, RenderedMail, Section, Tone } from './document';
import { parseSummary, plural, subjectLine } from './format';
import { renderHtml } from './render-html';
import { renderText } from './render-text';

const RESULT_LABEL = { pass: 'PASS', fail: 'FAIL', warn: 'WARN' } as const;
const RESULT_TONE: Record<keyof typeof RESULT_LABEL, Tone> = { pass: 'success', fail: 'error', warn: 'warning' };

export function renderChecklistReport(summary: ChecklistReportSummary): RenderedMail {
  const s = parseSummary(checklistReportSummarySchema, summary, 'checklist report');
  const failed = s.items.filter((i) => i.result === 'fail').length;
  const warned = s.items.filter((i) => i.result === 'warn').length;
  const pending = s.manualItems.filter((m) => !m.confirmed).length;

  const verdict: Record<typeof s.status, { tone: Tone; text: string }> = {
    Passed: { tone: 'success', text: 'The go-live checklist passed: accounting batches may post for this company.' },
    Failed: { tone: 'error', text: `The go-live checklist did not pass: ${plural(failed, 'check')} failed. Accounting batches will not post until it passes (or run with override: true).` },
    Incomplete: { tone: 'warning', text: `Every automated check ran, but ${plural(pending, 'manual item')} ${pending === 1 ? 'is' : 'are'} not confirmed yet.` },
  };
  const banner =
    s.stage === 'reminder'
      ? { tone: 'warning' as const, text: `Reminder: ${plural(pending, 'manual item')} still ${pending === 1 ? 'waits' : 'wait'} for confirmation (CLI: checklist confirm ITEM, or the confirm update in the Temporal UI).` }
      : verdict[s.status];

  const checks: Section = {
    heading: `Automated checks (${s.items.length - failed - warned} pass, ${warned} warn, ${failed} fail)`,
    blocks: [
      {
        type: 'entries',
        entries: s.items.map((item) => {
          const lines: Array<[string, string]> = item.evidence.map((e) => ['Evidence', e]);
          if (item.result !== 'pass' && item.fix) lines.push(['Fix', item.fix]);
          return { title: `[${RESULT_LABEL[item.result]}] ${item.title}`, tone: RESULT_TONE[item.result], lines };
        }),
      },
    ],
  };

  const manual: Section[] = s.manualItems.length
    ? [
        {
          heading: 'Manual items',
          blocks: [
            {
              type: 'table',
              columns: [{ title: 'Item' }, { title: 'Confirmed' }, { title: 'By' }, { title: 'When' }, { title: 'Note' }],
              rows: s.manualItems.map((m) => [m.title, m.confirmed ? 'yes' : 'NO', m.by ?? '', m.at ?? '', m.note ?? '']),
            },
          ],
        },
      ]
    : [];

  const facts: Array<[string, string]> = [];
  if (s.company) facts.push(['Company', s.company]);
  facts.push(['Result', s.status], ['Workflow', s.workflowId], ['Run', s.runId]);

  const doc: ReportDocument = {
    title: s.stage === 'reminder' ? 'Go-live checklist: confirmation needed' : `Go-live checklist: ${s.status}`,
    banner,
    sections: [
      { heading: 'Checklist', blocks: [{ type: 'facts', rows: facts }] },
      checks,
      ...manual,
      { heading: 'In Temporal', blocks: [{ type: 'link', label: 'Open this run in the Temporal UI', url: workflowRunUrl(s.temporalUi, s.workflowId, s.runId) }] },
    ],
  };
  const subject =
    s.stage === 'reminder'
      ? subjectLine('[Ledgerline] Go-live checklist: confirmation needed,', plural(pending, 'manual item'), 'pending')
      : subjectLine('[Ledgerline] Go-live checklist:', s.status, failed ? `(${failed} failed)` : '', s.company ? `for ${s.company}` : '');
  return { subject, text: renderText(doc), html: renderHtml(doc) };
}
