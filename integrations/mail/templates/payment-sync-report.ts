/** The payment sync e-mail: payments recorded on PSA invoices, and the ones skipped with the reason. */
import { paymentSyncReportSummarySchema, type PaymentSyncReportSummary, type SkipReason } from '../report-types';
import { workflowRunUrl } from '../temporal-link';
import type { Block, ReportDocument, RenderedMail, Section } from './document';
import { formatAmount, parseSummary, plural, subjectLine } from './format';
import { renderHtml } from './render-html';
import { renderText } from './render-text';

const REASONS: Record<SkipReason, string> = {
  alreadyRecorded: 'already on the PSA invoice',
  unknownInvoice: 'invoice not known to the PSA',
  voided: 'voided in the accounting package',
  deleted: 'deleted in the accounting package',
  reversed: 'voided or deleted in the accounting package; reversed in the PSA',
  overpayment: 'overpayment (unapplied amount)',
  partialPayment: 'partial payment',
  other: 'other',
};

export function renderPaymentSyncReport(summary: PaymentSyncReportSummary): RenderedMail {
  const s = parseSummary(paymentSyncReportSummarySchema, summary, 'payment sync report');
  const appliedCount = s.applied.length + (s.omitted.applied ?? 0);
  const skippedCount = s.skipped.length + (s.omitted.skipped ?? 0);
  const more = (n: number, what: string): Block[] =>
    n > 0 ? [{ type: 'paragraph', text: `...and ${plural(n, `more ${what}`)} not listed here; the run in Temporal has them all.` }] : [];

  const banner: ReportDocument['banner'] =
    s.status === 'Failed'
      ? { tone: 'error', text: `The payment sync stopped: ${s.fatalError ?? 'see the run in Temporal for the error'}.` }
      : { tone: skippedCount ? 'warning' : 'success', text: `${plural(appliedCount, 'payment')} recorded in the PSA (total ${formatAmount(s.appliedTotal)}); ${skippedCount} skipped.` };

  const applied: Section = {
    heading: `Applied (${appliedCount})`,
    blocks: s.applied.length
      ? [
          {
            type: 'table',
            columns: [{ title: 'Invoice' }, { title: 'Payment' }, { title: 'Date' }, { title: 'Amount', align: 'right' }, { title: 'Note' }],
            rows: s.applied.map((p) => [p.invoiceNumber, p.paymentRef, p.date, formatAmount(p.amount), p.note ?? '']),
          },
          ...more(s.omitted.applied ?? 0, 'payment'),
        ]
      : [{ type: 'paragraph', text: 'None.' }],
  };

  const skipped: Section = {
    heading: `Skipped (${skippedCount})`,
    blocks: s.skipped.length
      ? [
          {
            type: 'entries',
            entries: s.skipped.map((p) => {
              const lines: Array<[string, string]> = [
                ['Why', `${REASONS[p.reason]}: ${p.detail}`],
                ['Amount', formatAmount(p.amount)],
              ];
              if (p.fix) lines.push(['Fix', p.fix]);
              const invoice = p.invoiceNumber ? ` for invoice ${p.invoiceNumber}` : '';
              return { title: `Payment ${p.paymentRef}${invoice}`, tone: p.reason === 'alreadyRecorded' ? 'info' : 'warning', lines };
            }),
          },
          ...more(s.omitted.skipped ?? 0, 'skipped payment'),
        ]
      : [{ type: 'paragraph', text: 'None.' }],
  };

  const facts: Array<[string, string]> = [];
  if (s.company) facts.push(['Company', s.company]);
  facts.push(['Payments updated', `${s.window.since} to ${s.window.until}`], ['Workflow', s.workflowId], ['Run', s.runId]);

  const doc: ReportDocument = {
    title: `Payment sync: ${s.status}`,
    banner,
    sections: [
      { heading: 'Sync', blocks: [{ type: 'facts', rows: facts }] },
      applied,
      skipped,
      { heading: 'In Temporal', blocks: [{ type: 'link', label: 'Open this run in the Temporal UI', url: workflowRunUrl(s.temporalUi, s.workflowId, s.runId) }] },
    ],
  };
  const subject = subjectLine('[Ledgerline] Payment sync:', `${s.status},`, `${appliedCount} applied, ${skippedCount} skipped`);
  return { subject, text: renderText(doc), html: renderHtml(doc) };
}
