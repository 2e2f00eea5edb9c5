/**
 * Payment sync activities: is it enabled, where did the last run stop (a small JSON watermark per
 * realm under LEDGERLINE_STATE_DIR), read one page of accounting payments, match them (domain/payments)
 * and record the matches on the PSA invoices, find payments removed after we recorded them, and mail
 * the report. Every write is preceded by a read of the invoice's payments, so a retry after a lost
 * response, or an overlapping window, finds its own earlier write and records nothing twice.
 */
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { Context } from '@temporalio/activity';
import { isLedgerError, LedgerError } from '../domain/errors';
import {
  amountOf,
  ledgerPaymentIdOf,
  planPayments,
  psaInvoiceIdFromNote,
  removedPaymentDecisions,
  type LedgerInvoiceLink,
  type LedgerPayment,
  type MatchFacts,
  type PaymentDecision,
  type PaymentSyncSummary,
  type PsaInvoiceFact,
  type RemovedPayment,
  type SkipDecision,
} from '../domain/payments';
import { cwIn, cwString, type ConnectWiseClient, type Invoice, type NewPayment } from '../integrations/connectwise';
import { renderPaymentSyncReport } from '../integrations/mail';
import type { QuickBooksClient, QuickBooksPayment, QuickBooksTransaction } from '../integrations/quickbooks';
import type { ActivityDependencies } from './dependencies';
import { recordErrorOrThrow } from './failures';

export const DEFAULT_STATE_DIR = '.temporal/state';
/** QuickBooks' IN lists and ConnectWise's conditions both stay well within limits at this size. */
const LOOKUP_CHUNK = 100;

export interface PaymentSyncCheck {
  enabled: boolean;
  /** Why not, or what is configured: shown to ops as is. */
  message: string;
  packageName?: string;
}

export interface PaymentPageInput {
  since: string;
  until: string;
  startPosition: number;
  pageSize: number;
}

export interface PaymentPageResult {
  /** One per applied invoice line or skipped part of a payment. */
  outcomes: PaymentDecision[];
  read: number;
  hasMore: boolean;
}

export interface SendPaymentReportInput {
  summary: PaymentSyncSummary;
  notify?: { member: string } | { email: string };
}

/** The activity surface the paymentSync workflow calls. */
export interface PaymentActivities {
  checkPaymentSync(): Promise<PaymentSyncCheck>;
  readPaymentWatermark(): Promise<{ watermark?: string }>;
  syncPaymentsPage(input: PaymentPageInput): Promise<PaymentPageResult>;
  findRemovedPayments(input: PaymentPageInput): Promise<{ outcomes: SkipDecision[]; read: number; hasMore: boolean }>;
  writePaymentWatermark(input: { until: string }): Promise<{ watermark: string }>;
  sendPaymentSyncReport(input: SendPaymentReportInput): Promise<{ messageId: string; to: string }>;
}

type Deps = Pick<ActivityDependencies, 'psa' | 'ledger' | 'mailer' | 'mailDefaultTo' | 'temporalUi'> & { stateDir?: string };

const chunks = <T>(items: readonly T[]): T[][] => Array.from({ length: Math.ceil(items.length / LOOKUP_CHUNK) }, (_, i) => items.slice(i * LOOKUP_CHUNK, (i + 1) * LOOKUP_CHUNK));
const heartbeat = (detail: unknown) => Context.current().heartbeat(detail);

type Applied = Extract<PaymentDecision, { action: 'apply' }>;
const appliedKey = (d: { reference: string; invoiceNumber?: string }) => `${d.reference}|${d.invoiceNumber ?? ''}`;

/**
 * What an earlier attempt of this page recorded (its last heartbeat): on a retry those payments are
 * already on the PSA invoices and plan as "alreadyRecorded", but this run applied them.
 */
function appliedByEarlierAttempt(): Map<string, Applied> {
  const details = Context.current().info.heartbeatDetails as { applied?: Applied[] } | undefined;
  return new Map((details?.applied ?? []).map((d) => [appliedKey(d), d]));
}

// ---------------------------------------------------------------- watermark file

function watermarkFile(stateDir: string, realmId: string): string {
  return join(stateDir, `payment-sync-${realmId.replace(/[^A-Za-z0-9_-]/g, '_')}.json`);
}

async function readWatermark(file: string): Promise<string | undefined> {
  try {
    const json = JSON.parse(await readFile(file, 'utf8')) as { watermark?: unknown };
    return typeof json.watermark === 'string' && !Number.isNaN(Date.parse(json.watermark)) ? json.watermark : undefined;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new LedgerError('InvalidInput', `The payment sync state file ${file} is unreadable: ${(err as Error).message}`, {
      fix: 'Delete the file (the next run then reads the default lookback) or pass `since` explicitly.',
    });
  }
}

/** Atomic: write a sibling and rename, so a crash never leaves half a file. Only moves forward. */
async function writeWatermark(file: string, realmId: string, until: string): Promise<string> {
  const current = await readWatermark(file);
  const watermark = current !== undefined && Date.parse(current) > Date.parse(until) ? current : until;
  await mkdir(dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  await writeFile(tmp, JSON.stringify({ realmId, watermark, writtenAt: new Date().toISOString() }, null, 2) + '\n', { mode: 0o600 });
  await rename(tmp, file);
  return watermark;
}

// ---------------------------------------------------------------- reading both sides

export function toLedgerPayment(p: QuickBooksPayment): LedgerPayment {
  const lines = (p.Line ?? []).flatMap((line) =>
    (line.LinkedTxn ?? []).map((link) => ({ amount: amountOf(line.Amount), txnType: link.TxnType, txnId: link.TxnId })),
  );
  // QuickBooks keeps a voided payment with every amount zeroed (and "Voided" in its memo).
  const zeroed = p.TotalAmt === 0 && (p.Line ?? []).every((l) => l.Amount === 0);
  const voided = zeroed && ((p.Line ?? []).length > 0 || /^Voided\b/.test(p.PrivateNote ?? ''));
  return {
    id: p.Id,
    txnDate: p.TxnDate ?? '',
    total: amountOf(p.TotalAmt),
    unapplied: amountOf(p.UnappliedAmt ?? 0),
    ...(p.PaymentRefNum && { refNum: p.PaymentRefNum }),
    ...(p.CustomerRef?.name && { customer: p.CustomerRef.name }),
    voided,
    lines,
  };
}

function toInvoiceLink(inv: QuickBooksTransaction): LedgerInvoiceLink {
  const psaInvoiceId = psaInvoiceIdFromNote(inv.PrivateNote);
  return { txnId: inv.Id, ...(inv.DocNumber !== undefined && { docNumber: inv.DocNumber }), ...(psaInvoiceId !== undefined && { psaInvoiceId }) };
}

async function ledgerInvoices(ledger: QuickBooksClient, ids: string[]): Promise<QuickBooksTransaction[]> {
  const out: QuickBooksTransaction[] = [];
  for (const part of chunks(ids)) out.push(...(await ledger.queryAll('Invoice', { where: [{ field: 'Id', op: 'IN', value: part }] })));
  return out;
}

async function psaInvoicesWhere(psa: ConnectWiseClient, field: 'id' | 'invoiceNumber', values: Array<number | string>): Promise<Invoice[]> {
  const out: Invoice[] = [];
  for (const part of chunks([...new Set(values)])) out.push(...(await psa.invoices.all({ conditions: `${field} in ${cwIn(part)}` })));
  return out;
}

async function psaInvoiceFact(psa: ConnectWiseClient, invoice: Invoice): Promise<PsaInvoiceFact> {
  const payments = await psa.invoicePayments(invoice.id).all();
  const paid = payments.reduce((sum, p) => sum + Math.round(p.amount * 100), 0);
  return {
    id: invoice.id,
    number: invoice.invoiceNumber,
    total: amountOf(invoice.total),
    balance: amountOf(invoice.balance ?? invoice.total - paid / 100),
    payments: payments.map((p) => ({ id: p.id, amount: amountOf(p.amount), ...(p.source && { reference: p.source }) })),
  };
}

/** Everything planPayments looks at for these payments: their invoices on both sides and PSA payments. */
async function gatherFacts(deps: Deps, payments: LedgerPayment[], beat: () => void): Promise<MatchFacts> {
  const txnIds = [...new Set(payments.flatMap((p) => p.lines.filter((l) => l.txnType === 'Invoice').map((l) => l.txnId)))];
  const links = (await ledgerInvoices(deps.ledger, txnIds)).map(toInvoiceLink);
  beat();

  const byId = await psaInvoicesWhere(deps.psa, 'id', links.flatMap((l) => (l.psaInvoiceId !== undefined ? [l.psaInvoiceId] : [])));
  const known = new Set(byId.map((i) => i.id));
  const numbers = links.filter((l) => l.docNumber !== undefined && (l.psaInvoiceId === undefined || !known.has(l.psaInvoiceId))).map((l) => l.docNumber!);
  const byNumber = await psaInvoicesWhere(deps.psa, 'invoiceNumber', numbers);
  beat();

  const facts: MatchFacts = { ledgerInvoices: {}, psaInvoicesById: {}, psaIdsByNumber: {} };
  for (const link of links) facts.ledgerInvoices[link.txnId] = link;
  for (const invoice of [...byId, ...byNumber]) {
    if (facts.psaInvoicesById[invoice.id]) continue;
    facts.psaInvoicesById[invoice.id] = await psaInvoiceFact(deps.psa, invoice);
  }
  for (const invoice of byNumber) {
    const ids = (facts.psaIdsByNumber[invoice.invoiceNumber] ??= []);
    if (!ids.includes(invoice.id)) ids.push(invoice.id);
  }
  return facts;
}

// ---------------------------------------------------------------- writing

/**
 * Records one planned payment. The invoice's payments are read again first: if this reference is
 * there (an earlier attempt whose response was lost, or a concurrent run), nothing is written.
 */
async function recordPayment(psa: ConnectWiseClient, d: Extract<PaymentDecision, { action: 'apply' }>): Promise<PaymentDecision> {
  const present = (await psa.invoicePayments(d.psaInvoiceId).all()).find((p) => p.source === d.reference);
  if (present) {
    return { action: 'skip', paymentId: d.paymentId, reference: d.reference, invoiceNumber: d.invoiceNumber, amount: d.amount, reason: 'alreadyRecorded', detail: `PSA payment id ${present.id} already records it` };
  }
  const body: NewPayment & { source: string } = {
    type: 'P',
    amount: Number(d.amount),
    paymentDate: `${d.date}T00:00:00Z`,
    invoice: { id: d.psaInvoiceId },
    source: d.reference,
  };
  try {
    await psa.createInvoicePayment(d.psaInvoiceId, body);
    return d;
  } catch (err) {
    const error = recordErrorOrThrow(err);
    return { action: 'skip', paymentId: d.paymentId, reference: d.reference, invoiceNumber: d.invoiceNumber, amount: d.amount, reason: 'other', detail: `the PSA refused it: ${error.message}`, fix: error.fix };
  }
}

// ---------------------------------------------------------------- the activities

/** One page of entities last updated inside the sync window, in Id order for stable paging. */
function changedInWindow(input: PaymentPageInput) {
  return {
    where: [
      { field: 'MetaData.LastUpdatedTime', op: '>=' as const, value: input.since },
      { field: 'MetaData.LastUpdatedTime', op: '<=' as const, value: input.until },
    ],
    orderBy: { field: 'Id' },
    startPosition: input.startPosition,
    maxResults: input.pageSize,
  };
}

export function paymentActivities(deps: Deps): PaymentActivities {
  // LEDGERLINE_STATE_DIR from the worker config (ActivityDependencies.stateDir).
  const stateDir = deps.stateDir ?? DEFAULT_STATE_DIR;
  const file = () => watermarkFile(stateDir, deps.ledger.realmId);

  return {
    async checkPaymentSync(): Promise<PaymentSyncCheck> {
      const setup = await deps.psa.accountingPackageSetup();
      const packageName = setup.accountingPackage?.name ?? setup.accountingPackage?.identifier ?? 'none';
      if (!/quickbooks/i.test(`${setup.accountingPackage?.name ?? ''} ${setup.accountingPackage?.identifier ?? ''}`)) {
        return {
          enabled: false,
          packageName,
          message: `The PSA's accounting package is "${packageName}". Ledgerline syncs payments back only from QuickBooks Online (ConnectWise also supports Dynamics GP, which Ledgerline does not connect to).`,
        };
      }
      if (!setup.syncPaymentInfoFlag) {
        return {
          enabled: false,
          packageName,
          message: 'Payment sync is turned off in the PSA. Turn on System > Setup Tables > Accounting Package > Direct Transfer and "Sync Payment Info From Accounting Package", then run it again.',
        };
      }
      return { enabled: true, packageName, message: `Payment sync is enabled for ${packageName}.` };
    },

    async readPaymentWatermark() {
      const watermark = await readWatermark(file());
      return watermark === undefined ? {} : { watermark };
    },

    async writePaymentWatermark(input: { until: string }) {
      return { watermark: await writeWatermark(file(), deps.ledger.realmId, input.until) };
    },

    async syncPaymentsPage(input: PaymentPageInput): Promise<PaymentPageResult> {
      const page = await deps.ledger.query('Payment', changedInWindow(input));
      const payments = page.rows.map(toLedgerPayment);
      // Every heartbeat carries what this page has applied so far, for a retry to report (above).
      const earlier = appliedByEarlierAttempt();
      const applied: Applied[] = [...earlier.values()];
      const decisions = planPayments(payments, await gatherFacts(deps, payments, () => heartbeat({ applied })));
      const outcomes: PaymentDecision[] = [];
      for (const decision of decisions) {
        const outcome = decision.action === 'apply' ? await recordPayment(deps.psa, decision) : decision;
        if (outcome.action === 'apply') applied.push(outcome);
        const mine = outcome.action === 'skip' && outcome.reason === 'alreadyRecorded' ? earlier.get(appliedKey(outcome)) : undefined;
        outcomes.push(mine ?? outcome);
        heartbeat({ applied });
      }
      return { outcomes, read: page.rows.length, hasMore: page.rows.length === input.pageSize };
    },

    async findRemovedPayments(input: PaymentPageInput) {
      const page = await deps.ledger.query('Invoice', changedInWindow(input));
      const removed: RemovedPayment[] = [];
      for (const inv of page.rows) {
        const psaId = psaInvoiceIdFromNote(inv.PrivateNote);
        if (psaId === undefined) continue;
        const linked = new Set((inv.LinkedTxn ?? []).filter((l) => l.TxnType === 'Payment').map((l) => l.TxnId));
        const ours = (await deps.psa.invoicePayments(psaId).all()).filter((p) => {
          const id = ledgerPaymentIdOf(p.source);
          return id !== undefined && !linked.has(id);
        });
        for (const p of ours) {
          const ledgerPaymentId = ledgerPaymentIdOf(p.source)!;
          const state = await paymentState(deps.ledger, ledgerPaymentId, inv.Id);
          if (state === 'voided' || state === 'linked') continue; // voids are reported from the payment itself
          removed.push({
            invoice: { id: psaId, number: inv.DocNumber ?? String(psaId) },
            psaPayment: { id: p.id, amount: amountOf(p.amount), reference: p.source ?? undefined },
            ledgerPaymentId,
            state,
          });
        }
        heartbeat(`checked invoice ${inv.Id}`);
      }
      return { outcomes: removedPaymentDecisions(removed), read: page.rows.length, hasMore: page.rows.length === input.pageSize };
    },

    async sendPaymentSyncReport(input: SendPaymentReportInput) {
      const to = await recipient(deps.psa, input.notify, deps.mailDefaultTo);
      const s = input.summary;
      const mail = renderPaymentSyncReport({
        workflowId: s.workflowId,
        runId: s.runId,
        temporalUi: deps.temporalUi,
        status: s.status === 'Completed' ? 'Completed' : 'Failed',
        window: { since: s.window?.since ?? '', until: s.window?.until ?? '' },
        applied: s.applied,
        appliedTotal: s.appliedTotal,
        skipped: s.skipped,
        omitted: { applied: s.appliedCount - s.applied.length, skipped: s.skippedCount - s.skipped.length },
        ...(s.fatalError && { fatalError: s.fatalError }),
      });
      heartbeat('rendered');
      return { messageId: await deps.mailer.send({ to, ...mail }), to };
    },
  };
}

/** Where the payment stands on the accounting side relative to one invoice. */
async function paymentState(ledger: QuickBooksClient, id: string, invoiceTxnId: string): Promise<'deleted' | 'voided' | 'unlinked' | 'linked'> {
  try {
    const payment = toLedgerPayment(await ledger.getPayment(id));
    if (payment.voided) return 'voided';
    return payment.lines.some((l) => l.txnType === 'Invoice' && l.txnId === invoiceTxnId) ? 'linked' : 'unlinked';
  } catch (err) {
    if (isLedgerError(err) && err.type === 'NotFound') return 'deleted';
    throw err;
  }
}

async function recipient(psa: ConnectWiseClient, notify: SendPaymentReportInput['notify'], defaultTo: string): Promise<string> {
  if (!notify) return defaultTo;
  if ('email' in notify) return notify.email;
  const [member] = (await psa.members.list({ conditions: `identifier=${cwString(notify.member)}`, pageSize: 1 })).items;
  const address = member?.primaryEmail ?? member?.officeEmail;
  if (!address) {
    throw new LedgerError('NotFound', `PSA member "${notify.member}" has no e-mail address`, {
      fix: 'Give the member a primary or office e-mail in System > Members, or pass notify.email.',
    });
  }
  return address;
}
