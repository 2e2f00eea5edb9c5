/** The e-mail the accounting batch sends when it ends: what was posted, what failed and how to fix it. */
import { SKIPPED_ROWS_FIX } from '../../../domain/checklist/owner-mappings';
import { RECORD_KINDS, type RecordKind } from '../../../domain/contract/record-kinds';
import { batchReportSummarySchema, type BatchReportSummary, type KindTally } from '../report-types';
import { workflowRunUrl } from '../temporal-link';
import type { Block, ReportDocument, RenderedMail, Section } from './document';
import { formatAmount, kindLabel, parseSummary, plural, subjectLine } from './format';
import { renderHtml } from './render-html';
import { renderText } from './render-text';

type Parsed = ReturnType<typeof parse>;
const parse = (summary: BatchReportSummary) => parseSummary(batchReportSummarySchema, summary, 'batch report');

function sum(s: Parsed, field: 'posted' | 'alreadyPosted' | 'failed'): number {
  return RECORD_KINDS.reduce((n, kind) => n + (s.byKind[kind]?.[field] ?? 0), 0);
}

function banner(s: Parsed): ReportDocument['banner'] {
  const posted = sum(s, 'posted');
  const already = sum(s, 'alreadyPosted');
  const failed = sum(s, 'failed');
  const alreadyNote = already ? ` (${already} already there from an earlier attempt)` : '';
  switch (s.status) {
    case 'Completed':
      return { tone: 'success', text: `Every record was posted: ${plural(posted, 'new transaction')}${alreadyNote}.` };
    case 'PartiallyFailed':
      return {
        tone: 'warning',
        text: `${plural(posted, 'record')} posted${alreadyNote}; ${plural(failed, 'record')} failed and stay unposted in ConnectWise. Fix them as listed below, then retry the failed records (CLI: batch retry ${s.batchId}) or let the next batch pick them up.`,
      };
    case 'Failed':
      return { tone: 'error', text: `The batch stopped: ${s.fatalError ?? 'see the run in Temporal for the error'}. ${plural(posted, 'record')} had been posted before it stopped.` };
    case 'DryRun':
      return { tone: 'info', text: `Dry run: nothing was written to QuickBooks or ConnectWise. ${plural(s.wouldCreate.length + (s.omitted.wouldCreate ?? 0), 'transaction')} would be created.` };
  }
}

function tallyCell(count: number, total: string): string {
  return `${count} / ${formatAmount(total)}`;
}

function totalsSection(s: Parsed): Section {
  const kinds = RECORD_KINDS.filter((kind) => s.byKind[kind]);
  if (kinds.length === 0) return { heading: 'Totals by record type', blocks: [{ type: 'paragraph', text: 'No record types were included in this batch.' }] };
  const row = (kind: RecordKind, t: KindTally) => [
    kindLabel(kind, true),
    tallyCell(t.posted, t.totals.posted),
    tallyCell(t.alreadyPosted, t.totals.alreadyPosted),
    tallyCell(t.failed, t.totals.failed),
  ];
  return {
    heading: 'Totals by record type',
    blocks: [
      {
        type: 'table',
        columns: [{ title: 'Record type' }, { title: 'Posted', align: 'right' }, { title: 'Already posted', align: 'right' }, { title: 'Failed', align: 'right' }],
        rows: kinds.map((kind) => row(kind, s.byKind[kind]!)),
      },
      { type: 'paragraph', text: 'Each cell: number of records / their total amount.' },
    ],
  };
}

function moreNote(omitted: number, what: string): Block[] {
  return omitted > 0 ? [{ type: 'paragraph', text: `...and ${plural(omitted, `more ${what}`)} not listed here; the run in Temporal has them all.` }] : [];
}

function failuresSection(s: Parsed): Section {
  if (s.failures.length === 0) return { heading: 'Failures', blocks: [{ type: 'paragraph', text: 'None.' }] };
  // Lists are capped; the tallies still count every failure.
  const omitted = Math.max(s.omitted.failures ?? 0, sum(s, 'failed') - s.failures.length);
  return {
    heading: `Failures (${s.failures.length + omitted})`,
    blocks: [
      {
        type: 'entries',
        entries: s.failures.map((f) => ({
          title: `${kindLabel(f.kind)} ${f.number} (${f.type})`,
          tone: 'error' as const,
          lines: [
            ['Reason', f.message],
            ['Fix', f.fix],
          ] as Array<[string, string]>,
        })),
      },
      ...moreNote(omitted, 'failure'),
    ],
  };
}

function discrepanciesSection(s: Parsed): Section {
  if (s.discrepancies.length === 0) {
    return { heading: 'Reconciliation', blocks: [{ type: 'paragraph', text: 'No discrepancies: every posted transaction matched its PSA record.' }] };
  }
  return {
    heading: `Reconciliation discrepancies (${s.discrepancies.length + (s.omitted.discrepancies ?? 0)})`,
    blocks: [
      { type: 'paragraph', text: 'These transactions were posted but read back differently; they were not marked exported in ConnectWise.', tone: 'warning' },
      {
        type: 'table',
        columns: [{ title: 'Record' }, { title: 'Field' }, { title: 'Expected' }, { title: 'Posted' }],
        rows: s.discrepancies.map((d) => [`${kindLabel(d.kind)} ${d.number}`, d.field, d.expected, d.actual]),
      },
      ...moreNote(s.omitted.discrepancies ?? 0, 'discrepancy'),
    ],
  };
}

function glSetupSection(s: Parsed): Section[] {
  return tableSection(
    'GL setup rows left out',
    `Today's GL setup in ConnectWise has rows Ledgerline cannot use; drift and glSource "current" resolved without them. ${SKIPPED_ROWS_FIX}`,
    ['Row'],
    s.glSetupProblems.map((p) => [p]),
  );
}

/** A section of one explaining paragraph and one table, left out when there are no rows. */
function tableSection(heading: string, text: string, titles: string[], rows: string[][], more: Block[] = []): Section[] {
  if (rows.length === 0) return [];
  return [{ heading, blocks: [{ type: 'paragraph', text }, { type: 'table', columns: titles.map((title) => ({ title })), rows }, ...more] }];
}

function warningsSection(s: Parsed): Section[] {
  return tableSection(
    'Warnings',
    'These records post, but matching noticed something a finance user should check (an account of an unexpected type, GL classes QuickBooks does not track).',
    ['Record', 'Warning'],
    s.warnings.map((w) => [`${kindLabel(w.kind)} ${w.number}`, w.warning]),
  );
}

function taxDeltaSection(s: Parsed): Section[] {
  return tableSection(
    "Automated Sales Tax: ConnectWise's tax against QuickBooks'",
    "Each invoice was sent with ConnectWise's tax as the override; the delta is that minus what QuickBooks computed. Rows above the tolerance need the customer's tax code or address checked.",
    ['Record', 'ConnectWise tax', 'QuickBooks computed', 'Delta', 'Above tolerance'],
    s.taxDeltas.map((d) => [`${kindLabel(d.kind)} ${d.number}`, d.sent, d.computed, d.delta, d.aboveTolerance ? 'yes' : 'no']),
  );
}

function driftSection(s: Parsed): Section[] {
  if (s.drift.length === 0) return [];
  const omitted = s.omitted.drift ?? 0;
  return [
    {
      heading: `GL mapping changed since the record closed (${s.drift.length + omitted})`,
      blocks: [
        {
          type: 'paragraph',
          text: "Today's GL setup would map these lines differently from what ConnectWise exported. To use today's mapping, reopen and close the record in ConnectWise (or run with glSource \"current\").",
        },
        {
          type: 'entries',
          entries: s.drift.map((d) => ({
            title: `${kindLabel(d.kind)} ${d.number}${d.line ? `, ${d.line}` : ''}`,
            lines: [
              ['Account type', d.accountType],
              ['ConnectWise used', d.exported],
              ['Today', d.current],
              ...(d.why ? [['Why', d.why]] : []),
            ] as Array<[string, string]>,
          })),
        },
        ...(omitted > 0 ? [{ type: 'paragraph' as const, text: `...and ${plural(omitted, 'more changed line')} (counted, not listed).` }] : []),
      ],
    },
  ];
}

function staleSection(s: Parsed): Section[] {
  if (s.stale.length === 0 && !s.agreementCheckError) return [];
  const notChecked = s.agreementCheckError
    ? [{ type: 'paragraph' as const, text: `Invoices posted by earlier batches were not checked for agreement changes: ${s.agreementCheckError}. The next batch checks them again.`, tone: 'warning' as const }]
    : [];
  return [
    {
      heading: `Agreements changed after their invoices closed (${s.stale.length + (s.omitted.stale ?? 0)})`,
      blocks: [
        ...notChecked,
        { type: 'paragraph', text: 'These invoices post (or were posted) as ConnectWise closed them, but their agreement was cancelled or changed afterwards, so they may no longer match it.', tone: 'warning' },
        {
          type: 'entries',
          entries: s.stale.map((r) => ({
            title: `${kindLabel(r.kind)} ${r.number}`,
            tone: 'warning' as const,
            lines: [
              ['Agreement', r.agreement],
              ['Changed', r.change],
              ['Fix', r.fix],
            ] as Array<[string, string]>,
          })),
        },
        ...moreNote(s.omitted.stale ?? 0, 'changed agreement'),
      ],
    },
  ];
}

function wouldCreateSection(s: Parsed): Section[] {
  if (s.status !== 'DryRun' && s.wouldCreate.length === 0) return [];
  return [
    {
      heading: 'Transactions that would be created',
      blocks: [
        s.wouldCreate.length === 0
          ? { type: 'paragraph', text: 'None.' }
          : {
              type: 'table',
              columns: [{ title: 'Record' }, { title: 'Doc number' }, { title: 'Customer / vendor' }, { title: 'Lines', align: 'right' }, { title: 'Total', align: 'right' }],
              rows: s.wouldCreate.map((w) => [`${kindLabel(w.kind)} ${w.number}`, w.docNumber, w.entity, String(w.lineCount), formatAmount(w.total)]),
            },
        ...moreNote(s.omitted.wouldCreate ?? 0, 'transaction'),
      ],
    },
    ...lineAccountsSection('Where each line posts', s.wouldCreate.filter((w) => w.lines !== undefined), s.wouldCreate.length + (s.omitted.wouldCreate ?? 0)),
  ];
}

type ListedLines = Pick<Parsed['postedLines'][number], 'kind' | 'number'> & { lines?: Parsed['postedLines'][number]['lines']; linesOmitted?: number };

/** Where each line of the listed transactions posts in QuickBooks (the batch lists its first records). */
function lineAccountsSection(heading: string, listed: readonly ListedLines[], total: number): Section[] {
  if (listed.length === 0) return [];
  const unlisted = total - listed.length;
  const omittedLines = listed.reduce((n, w) => n + (w.linesOmitted ?? 0), 0);
  return [
    {
      heading,
      blocks: [
        {
          type: 'table',
          columns: [
            { title: 'Record' },
            { title: 'Line', align: 'right' },
            { title: 'ConnectWise GL account' },
            { title: 'QuickBooks account' },
            { title: 'Amount', align: 'right' },
            { title: 'Side' },
          ],
          rows: listed.flatMap((w) => (w.lines ?? []).map((l) => [`${kindLabel(w.kind)} ${w.number}`, String(l.line), l.glAccount, l.quickBooksAccount, formatAmount(l.amount), l.side])),
        },
        ...(omittedLines > 0 ? [{ type: 'paragraph' as const, text: `${plural(omittedLines, 'more line')} of long records not listed here.` }] : []),
        ...(unlisted > 0 ? [{ type: 'paragraph' as const, text: `Lines are listed for the first ${plural(listed.length, 'transaction')}; ${plural(unlisted, 'more transaction')} not listed.` }] : []),
      ],
    },
  ];
}

function missingPartiesSection(s: Parsed): Section[] {
  if (s.missingParties.length === 0) return [];
  return [
    {
      heading: 'Customers and vendors missing in QuickBooks',
      blocks: [
        {
          type: 'table',
          columns: [{ title: 'Party' }, { title: 'ConnectWise id', align: 'right' }, { title: 'What happens' }, { title: 'Records' }],
          rows: s.missingParties.map((p) => [
            `${p.role === 'customer' ? 'Customer' : 'Vendor'} ${p.name}`,
            p.psaId === undefined ? '' : String(p.psaId),
            p.willCreate ? (s.status === 'DryRun' ? 'would be created' : 'created') : 'missing: its records fail until it exists',
            p.records.join(', '),
          ]),
        },
      ],
    },
  ];
}

function editsSection(s: Parsed): Section[] {
  if (s.edits.length === 0) return [];
  const change = (c: Parsed['edits'][number]['changes'][number]) => [c.line === undefined ? 'header' : `line ${c.line}`, c.field, c.before, c.after];
  return [
    {
      heading: `Reopened and closed again in ConnectWise (${s.edits.length})`,
      blocks: [
        {
          type: 'paragraph',
          text: 'These records had posted before; the new revision updated their QuickBooks transaction in place (nothing was posted twice), or changed nothing QuickBooks holds, so nothing was written.',
        },
        ...s.edits.flatMap((e): Block[] => [
          {
            type: 'paragraph',
            tone: e.outcome === 'updated' ? 'info' : 'success',
            text:
              `${kindLabel(e.kind)} ${e.number}: QuickBooks ${e.entity} ${e.docNumber ?? ''} (Id ${e.txnId}) `.replace('  ', ' ') +
              (e.outcome === 'updated' ? `updated from revision ${e.fromRevision} to ${e.toRevision}.` : `unchanged by revision ${e.toRevision}: nothing written.`),
          },
          ...(e.changes.length
            ? [{ type: 'table' as const, columns: [{ title: 'Where' }, { title: 'What' }, { title: 'Before' }, { title: 'After' }], rows: e.changes.map(change) }]
            : []),
          ...(e.changesOmitted ? [{ type: 'paragraph' as const, text: `...and ${plural(e.changesOmitted, 'more change')}.` }] : []),
        ]),
      ],
    },
  ];
}

function ledgerChangesSection(s: Parsed): Section[] {
  if (s.ledgerChanges.length === 0 && !s.ledgerCheckError && !s.ledgerCheckNote) return [];
  const notes: Block[] = [
    ...(s.ledgerCheckError ? [{ type: 'paragraph' as const, tone: 'warning' as const, text: `QuickBooks was not checked for changes to posted transactions: ${s.ledgerCheckError}. The next batch checks the same period again.` }] : []),
    ...(s.ledgerCheckNote ? [{ type: 'paragraph' as const, tone: 'warning' as const, text: s.ledgerCheckNote }] : []),
  ];
  const batches = [...new Set(s.ledgerChanges.map((c) => c.batch))];
  return [
    {
      heading: `Changed in QuickBooks after posting (${s.ledgerChanges.length})`,
      blocks: [
        ...notes,
        ...(s.ledgerChanges.length
          ? [{ type: 'paragraph' as const, tone: 'warning' as const, text: 'These transactions Ledgerline posted were edited, voided or deleted in QuickBooks since the last check. Ledgerline does not write over them; each says what to do.' }]
          : []),
        ...batches.flatMap((batch): Block[] => [
          { type: 'paragraph', text: batch ? `Posted by batch ${batch}:` : 'Posting batch not known:' },
          {
            type: 'entries',
            entries: s.ledgerChanges
              .filter((c) => c.batch === batch)
              .map((c) => ({
                title: `${c.record}: QuickBooks ${c.entity}${c.docNumber ? ` ${c.docNumber}` : ''}${c.txnId ? ` (Id ${c.txnId})` : ''} ${c.change}`,
                tone: 'warning' as const,
                lines: [
                  ['What', c.detail],
                  ...(c.at ? [['When', c.at] as [string, string]] : []),
                  ['Fix', c.fix],
                ] as Array<[string, string]>,
              })),
          },
        ]),
      ],
    },
  ];
}

function overrideSection(s: Parsed): Section[] {
  if (!s.overrideChecklist) return [];
  return [
    {
      heading: 'Go-live checklist overridden',
      blocks: [{ type: 'paragraph', tone: 'warning', text: 'This batch ran with override: true although the latest go-live checklist for this company had not passed. The override is recorded in the run history.' }],
    },
  ];
}

function buildBatchReport(summary: BatchReportSummary): { subject: string; doc: ReportDocument } {
  const s = parse(summary);
  const facts: Array<[string, string]> = [['Batch', s.batchId], ['Status', s.status]];
  if (s.company) facts.push(['Company', s.company]);
  if (s.thruDate) facts.push(['Records dated up to', s.thruDate]);
  if (s.exportedBatches.length) facts.push(['Marked exported in ConnectWise', s.exportedBatches.join(', ')]);
  facts.push(['Workflow', s.workflowId], ['Run', s.runId]);

  const doc: ReportDocument = {
    title: `Accounting batch ${s.batchId}: ${s.status}`,
    banner: banner(s),
    sections: [
      ...overrideSection(s),
      { heading: 'Batch', blocks: [{ type: 'facts', rows: facts }] },
      totalsSection(s),
      failuresSection(s),
      ...(s.status === 'DryRun' ? [] : [discrepanciesSection(s)]),
      ...driftSection(s),
      ...editsSection(s),
      ...ledgerChangesSection(s),
      ...staleSection(s),
      ...missingPartiesSection(s),
      ...glSetupSection(s),
      ...taxDeltaSection(s),
      ...warningsSection(s),
      ...wouldCreateSection(s),
      ...lineAccountsSection('Where each line posted', s.postedLines, sum(s, 'posted') + sum(s, 'alreadyPosted')),
      { heading: 'In Temporal', blocks: [{ type: 'link', label: 'Open this run in the Temporal UI', url: workflowRunUrl(s.temporalUi, s.workflowId, s.runId) }] },
    ],
  };

  const failed = sum(s, 'failed');
  const counts =
    s.status === 'DryRun'
      ? `${s.wouldCreate.length + (s.omitted.wouldCreate ?? 0)} would be created`
      : `${sum(s, 'posted')} posted${failed ? `, ${failed} failed` : ''}`;
  const subject = subjectLine('[Ledgerline]', `Batch ${s.batchId}:`, s.status === 'DryRun' ? 'Dry run,' : `${s.status},`, counts);
  return { subject, doc };
}

export function renderBatchReport(summary: BatchReportSummary): RenderedMail {
  const { subject, doc } = buildBatchReport(summary);
  return { subject, text: renderText(doc), html: renderHtml(doc) };
}
