/** The batch reversal e-mail: what was (or a dry run would be) voided, deleted and returned to unposted, and what was refused and why. */
import { reversalReportSummarySchema, type ReversalLineReport, type ReversalReportSummary } from '../report-types';
import { workflowRunUrl } from '../temporal-link';
import type { Block, ReportDocument, RenderedMail, Section } from './document';
import { formatAmount, kindLabel, parseSummary, plural, subjectLine } from './format';
import { renderHtml } from './render-html';
import { renderText } from './render-text';

type Parsed = ReturnType<typeof parse>;
const parse = (summary: ReversalReportSummary) => parseSummary(reversalReportSummarySchema, summary, 'reversal report');

const PLANNED: Record<ReversalLineReport['action'], string> = {
  void: 'void it',
  delete: 'delete it',
  none: 'nothing in QuickBooks; return the record to unposted',
  refuse: 'refused: stays posted',
};

const DONE: Record<NonNullable<ReversalLineReport['result']>, string> = {
  voided: 'voided',
  deleted: 'deleted',
  alreadyGone: 'already gone from QuickBooks',
  refused: 'refused: stays posted',
  failed: 'failed',
};

const transaction = (r: ReversalLineReport) => (r.txn ? `${r.txn.entity} ${r.txn.docNumber ?? ''} (Id ${r.txn.id})`.replace('  ', ' ') : 'none');

function banner(s: Parsed): ReportDocument['banner'] {
  const { reversed, refused, failed, alreadyGone, records } = s.counts;
  switch (s.status) {
    case 'DryRun':
      return {
        tone: 'info',
        text: `Dry run: nothing was changed. Reversing would void or delete ${plural(reversed, 'transaction')} and return ${plural(reversed + alreadyGone, 'record')} to unposted in ConnectWise; ${refused} would be refused. Start reverseBatch with "dryRun": false (CLI: batch reverse ${s.batch.workflowId} --execute) to reverse.`,
      };
    case 'Completed':
      return { tone: 'success', text: `Batch ${s.batch.batchId} was reversed: ${plural(reversed, 'transaction')} voided or deleted, ${plural(records, 'record')} back to unposted in ConnectWise.` };
    case 'PartiallyReversed':
      return {
        tone: 'warning',
        text: `${plural(reversed, 'transaction')} voided or deleted; ${plural(refused + failed, 'record')} refused and stay posted and exported. Fix them as listed below, then reverse the batch again: what is done is skipped.`,
      };
    case 'Failed':
      return { tone: 'error', text: `The reversal stopped: ${s.fatalError ?? 'see the run in Temporal for the error'}. Start it again: it continues from what ConnectWise and QuickBooks hold now.` };
  }
}

function recordsSection(s: Parsed): Section {
  const omitted = s.counts.records - s.records.length;
  const rows = s.records.map((r) => [
    `${kindLabel(r.kind)} ${r.number}`,
    transaction(r),
    r.txn ? formatAmount(r.txn.total) : formatAmount(r.total),
    r.result ? DONE[r.result] : PLANNED[r.action],
  ]);
  const blocks: Block[] = [
    { type: 'table', columns: [{ title: 'Record' }, { title: 'QuickBooks transaction' }, { title: 'Amount', align: 'right' }, { title: s.dryRun ? 'Would' : 'Result' }], rows },
  ];
  if (omitted > 0) blocks.push({ type: 'paragraph', text: `...and ${plural(omitted, 'more record')} not listed here; the run in Temporal has them all.` });
  return { heading: `Records (${s.counts.records})`, blocks };
}

function refusedSection(s: Parsed): Section[] {
  const refused = s.records.filter((r) => r.result === 'refused' || r.result === 'failed' || (!r.result && r.action === 'refuse'));
  if (refused.length === 0) return [];
  return [
    {
      heading: `Refused (${refused.length})`,
      blocks: [
        {
          type: 'entries',
          entries: refused.map((r) => ({
            title: `${kindLabel(r.kind)} ${r.number} (${transaction(r)})`,
            tone: 'warning' as const,
            lines: [
              ['Why', r.reason ?? 'see the run in Temporal'],
              ['Fix', r.fix ?? 'See the reason.'],
            ] as Array<[string, string]>,
          })),
        },
      ],
    },
  ];
}

function psaSection(s: Parsed): Section {
  const rows = s.psaBatches.map((b) => [
    b.identifier ?? b.source,
    b.problem
      ? `left as it is: ${b.problem}`
      : b.returned
        ? `${b.returned.deleted ? 'deleted' : 'unchanged'}: ${plural(b.returned.returned, 'record')} unposted again${b.returned.kept ? `, ${b.returned.kept} kept exported in ${b.returned.keptIdentifier ?? b.identifier ?? b.source}` : ''}`
        : b.psaBatchId === undefined
          ? 'no longer in ConnectWise (returned to unposted already)'
          : s.dryRun
            ? 'would be deleted (records kept posted are marked exported again)'
            : 'not returned',
  ]);
  return { heading: 'ConnectWise accounting batches', blocks: [{ type: 'facts', rows: rows.map(([batch, what]) => [batch!, what!] as [string, string]) }] };
}

export function renderReversalReport(summary: ReversalReportSummary): RenderedMail {
  const parsed = parse(summary);
  // Stopped before the batch was read: it is known by its workflow id only.
  const s = { ...parsed, batch: { ...parsed.batch, batchId: parsed.batch.batchId || parsed.batch.workflowId } };
  const facts: Array<[string, string]> = [
    ['Batch reversed', s.batch.batchId === s.batch.workflowId ? s.batch.workflowId : `${s.batch.batchId} (${s.batch.workflowId})`],
    ['Status', s.status],
    ['Records', String(s.counts.records)],
    ['Voided or deleted', String(s.counts.reversed)],
    ['Already gone from QuickBooks', String(s.counts.alreadyGone)],
    ['Refused', String(s.counts.refused + s.counts.failed)],
    ['Workflow', s.workflowId],
    ['Run', s.runId],
  ];
  const doc: ReportDocument = {
    title: `Reversal of batch ${s.batch.batchId}: ${s.status}`,
    banner: banner(s),
    sections: [
      { heading: 'Reversal', blocks: [{ type: 'facts', rows: facts }] },
      recordsSection(s),
      ...refusedSection(s),
      psaSection(s),
      { heading: 'In Temporal', blocks: [{ type: 'link', label: 'Open this run in the Temporal UI', url: workflowRunUrl(s.temporalUi, s.workflowId, s.runId) }] },
    ],
  };
  const counts = s.dryRun ? `${s.counts.reversed} would be reversed, ${s.counts.refused} refused` : `${s.counts.reversed} reversed, ${s.counts.refused + s.counts.failed} refused`;
  const subject = subjectLine('[Ledgerline]', `Reversal of batch ${s.batch.batchId}:`, s.dryRun ? 'Dry run,' : `${s.status},`, counts);
  return { subject, text: renderText(doc), html: renderHtml(doc) };
}
