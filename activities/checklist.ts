/**
 * Go-live checklist activities: fetch the facts from ConnectWise and QuickBooks, run the pure checks
 * (domain/checklist) and hand back only the items; mail the report; keep the latest result per
 * accounting company in a small JSON file the accounting batch's gate reads.
 *
 * The latest result lives in `${LEDGERLINE_STATE_DIR:-.temporal/state}/checklist-<realmId>.json`:
 * finding the latest run through Temporal visibility from inside an activity would need a client
 * and a search attribute; a file written at the end of each run is simpler and survives restarts.
 * It is per host: workers on several hosts need the directory on shared storage.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Context } from '@temporalio/activity';
import { isLedgerError } from '../domain/errors';
import {
  runChecks,
  findGlReload,
  type ChecklistFacts,
  type ChecklistSummary,
  type DatedRecordFact,
  type LatestChecklistStatus,
  type LedgerFacts,
  type LockDateFacts,
  type PsaFacts,
  type Probe,
  type RecordChecklistResultInput,
  type RunChecklistInput,
  type RunChecklistResult,
  type SendChecklistReportInput,
  type UnpostedCounts,
} from '../domain/checklist';
import { cwIn, glAccountsToMappings, type ConnectWiseClient } from '../integrations/connectwise';
import { renderChecklistReport, type ChecklistReportSummary, type Mailer } from '../integrations/mail';
import type { QuickBooksClient } from '../integrations/quickbooks';
import { ledgerContextCache } from './ledger-context';

export const DEFAULT_STATE_DIR = join('.temporal', 'state');

export interface ChecklistDeps {
  psa: ConnectWiseClient;
  ledger: QuickBooksClient;
  mailer: Mailer;
  defaultTo: string;
  temporalUi: { baseUrl: string; namespace: string };
  /** Default: LEDGERLINE_STATE_DIR, else .temporal/state. */
  stateDir?: string;
  /** How GL Account strings match the chart (GL_ACCOUNT_MATCH), as the batch does; default name. */
  accountMatch?: 'name' | 'number';
}

const heartbeat = (phase: string) => Context.current().heartbeat(phase);

async function probe<T>(call: () => Promise<T>): Promise<Probe<T>> {
  try {
    return { ok: true, value: await call() };
  } catch (err) {
    return { ok: false, error: { type: isLedgerError(err) ? err.type : 'Unexpected', message: err instanceof Error ? err.message : String(err) } };
  }
}

/** ConnectWise `in (...)` lists stay short: the URL has a length limit. */
async function inChunks<T>(ids: ReadonlyArray<number | string>, fetch: (list: string) => Promise<T[]>): Promise<T[]> {
  const out: T[] = [];
  for (let i = 0; i < ids.length; i += 100) out.push(...(await fetch(cwIn(ids.slice(i, i + 100)))));
  return out;
}

const day = (iso: string | null | undefined) => (iso ? iso.slice(0, 10) : undefined);

async function fetchPsaFacts(psa: ConnectWiseClient, lockDate: string | undefined): Promise<{ facts: PsaFacts; lock: Omit<LockDateFacts, 'source'> }> {
  const [security, terms, statuses, glRows, setups, taxCodes, invoices, expenses, procurement] = await Promise.all([
    psa.mySecurity(),
    psa.billingTerms.all(),
    psa.billingStatuses.all(),
    psa.glAccounts.all(),
    psa.accountingPackageSetups.all(),
    psa.taxCodes.all(),
    psa.unpostedInvoices.all(),
    psa.unpostedExpenses.all(),
    psa.unpostedProcurement.all(),
  ]);
  heartbeat('psa setup read');

  const companyIds = [...new Set(invoices.map((i) => i.company.id))];
  const reimbursers = [...new Set(expenses.filter((e) => e.classification === 'Reimbursable' && e.member?.identifier).map((e) => e.member!.identifier!))];
  const glReload = findGlReload(statuses.map((s) => ({ id: s.id, name: s.name, inactive: s.inactiveFlag === true })));
  const [companies, members, levels, glReloadInvoices] = await Promise.all([
    inChunks(companyIds, (list) => psa.companies.all({ conditions: `id in ${list}` })),
    inChunks(reimbursers, (list) => psa.members.all({ conditions: `identifier in ${list}` })),
    Promise.all(taxCodes.map((c) => psa.taxCodeLevels(c.id).all())),
    glReload ? psa.invoices.count({ conditions: `status/id=${glReload.id}` }) : Promise.resolve(0),
  ]);
  heartbeat('psa records read');

  const dated: DatedRecordFact[] = [
    ...invoices.map((i) => ({ kind: 'invoice' as const, number: i.invoiceNumber, date: i.invoiceDate })),
    ...expenses.map((e) => ({ kind: 'expense' as const, number: `EXP-${e.id}`, date: e.dateExpense })),
    ...procurement.map((p) => ({ kind: 'procurement' as const, number: p.purchaseOrder?.name ?? p.unpostedProductId, date: p.purchaseDate ?? p.dateClosed ?? '' })),
  ]
    .filter((r) => r.date)
    .sort((a, b) => a.date.localeCompare(b.date));
  const count = (rows: DatedRecordFact[]): UnpostedCounts => ({
    invoice: rows.filter((r) => r.kind === 'invoice').length,
    expense: rows.filter((r) => r.kind === 'expense').length,
    procurement: rows.filter((r) => r.kind === 'procurement').length,
  });
  const before = lockDate ? dated.filter((r) => r.date.slice(0, 10) < lockDate) : [];
  const setup = setups[0];

  const facts: PsaFacts = {
    security: security.map((r) => ({
      functionIdentifier: r.moduleFunctionIdentifier,
      functionName: r.moduleFunctionName ?? undefined,
      add: r.addLevel,
      edit: r.editLevel,
      delete: r.deleteLevel,
      inquire: r.inquireLevel,
    })),
    memberIdentifier: security.find((r) => r.member?.identifier)?.member?.identifier ?? undefined,
    billingTerms: terms.map((t) => ({ id: t.id, name: t.name, termsXref: t.termsXref ?? undefined })),
    unpostedInvoices: invoices.map((i) => ({
      id: i.id,
      invoiceNumber: i.invoiceNumber,
      date: i.invoiceDate,
      companyId: i.company.id,
      companyName: i.company.name ?? i.company.identifier ?? String(i.company.id),
      billingTermsId: i.billingTerms?.id,
      billingTermsName: i.billingTerms?.name ?? undefined,
    })),
    customers: companies.map((c) => ({
      id: c.id,
      identifier: c.identifier,
      name: c.name,
      primaryContact: c.defaultContact ? (c.defaultContact.name ?? String(c.defaultContact.id)) : undefined,
      billingContact: c.billingContact ? (c.billingContact.name ?? String(c.billingContact.id)) : undefined,
    })),
    billingStatuses: statuses.map((s) => ({ id: s.id, name: s.name, inactive: s.inactiveFlag === true })),
    glMappings: glAccountsToMappings(glRows),
    packageSetup: setup && {
      packageName: setup.accountingPackage?.name ?? setup.accountingPackage?.identifier ?? undefined,
      directTransfer: setup.directTransferFlag === true,
      includeInvoices: setup.includeInvoicesFlag === true,
      includeExpenses: setup.includeExpensesFlag === true,
      transferExpensesAsBill: setup.transferExpensesAsBillFlag === true,
      syncPaymentInfo: setup.syncPaymentInfoFlag === true,
      includeItems: setup.includeItemsFlag === true,
      includeCogsEntries: setup.includeCogsEntriesFlag === true,
    },
    taxCodes: taxCodes.map((c, i) => ({
      identifier: c.identifier,
      levels: levels[i]!.map((l) => ({ level: l.taxLevel, xref: l.taxCodeXref ?? undefined, caption: l.caption ?? undefined })),
    })),
    unbatched: { counts: count(dated), oldest: day(dated[0]?.date), newest: day(dated[dated.length - 1]?.date), glReloadInvoices },
    expenseMembers: reimbursers.map((identifier) => {
      const m = members.find((x) => x.identifier === identifier);
      const name = [m?.firstName, m?.lastName].filter(Boolean).join(' ');
      return { identifier, name: name || identifier, vendorNumber: m?.vendorNumber ?? undefined };
    }),
  };
  return { facts, lock: { lockDate, before: count(before), examples: before.slice(0, 5) } };
}

async function fetchLedgerFacts(deps: ChecklistDeps): Promise<LedgerFacts> {
  const accountMatch = deps.accountMatch ?? 'name';
  // A fresh context (no caching): the checklist must see a fix made a minute ago.
  const context = (match: 'name' | 'number') => ledgerContextCache(deps, { ttlMs: 0, accountMatch: match }).get();
  const [loaded, taxCodes, taxRates] = await Promise.all([
    context(accountMatch).then(
      (c) => ({ matcher: c.matcher, problem: undefined }),
      (err: unknown) => ({ matcher: undefined, problem: err }),
    ),
    deps.ledger.listTaxCodes(),
    deps.ledger.queryAll('TaxRate'),
  ]);
  heartbeat('ledger read');
  let { matcher } = loaded;
  let accountMatchProblem: LedgerFacts['accountMatchProblem'];
  if (!matcher) {
    // Number matching without account numbers in QuickBooks: a setup fact for check 8, not a crash.
    const err = loaded.problem;
    if (!isLedgerError(err) || err.type !== 'InvalidInput') throw err;
    accountMatchProblem = { message: err.message, fix: err.fix ?? 'Match GL accounts by name.' };
    matcher = (await context('name')).matcher;
  }
  return {
    matcher,
    accountMatch,
    accountMatchProblem,
    taxCodeNames: taxCodes.map((t) => t.Name),
    taxRateNames: taxRates.map((r) => String((r as Record<string, unknown>).Name ?? '')).filter(Boolean),
  };
}

/** Everything the checks need. Connectivity failures are facts; later failures are thrown (retried). */
export async function gatherChecklistFacts(deps: ChecklistDeps, input: RunChecklistInput): Promise<{ facts: ChecklistFacts; company?: string }> {
  const [psaProbe, ledgerProbe] = await Promise.all([
    probe(async () => {
      const info = await deps.psa.systemInfo();
      return { version: info.version, companyId: deps.psa.config.companyId, baseUrl: deps.psa.config.baseUrl };
    }),
    probe(async () => {
      const [company, prefs] = await Promise.all([deps.ledger.read('CompanyInfo', deps.ledger.realmId), deps.ledger.getPreferences()]);
      const name = (company as Record<string, unknown>).CompanyName;
      return { realmId: deps.ledger.realmId, companyName: typeof name === 'string' ? name : undefined, closingDate: day(prefs.AccountingInfoPrefs?.BookCloseDate) };
    }),
  ]);
  heartbeat('connectivity probed');
  const closingDate = ledgerProbe.ok ? ledgerProbe.value.closingDate : undefined;
  const lockDate = input.lockDate ?? closingDate;
  const source: LockDateFacts['source'] = input.lockDate ? 'input' : closingDate ? 'QuickBooks closing date' : 'none';

  const psa = psaProbe.ok ? await fetchPsaFacts(deps.psa, lockDate) : undefined;
  const ledger = psaProbe.ok && ledgerProbe.ok ? await fetchLedgerFacts(deps) : undefined;
  const facts: ChecklistFacts = {
    connectivity: {
      psa: psaProbe,
      ledger: ledgerProbe.ok ? { ok: true, value: { realmId: ledgerProbe.value.realmId, companyName: ledgerProbe.value.companyName } } : ledgerProbe,
    },
    psa: psa?.facts,
    ledger,
    lock: { lockDate, source, before: psa?.lock.before ?? { invoice: 0, expense: 0, procurement: 0 }, examples: psa?.lock.examples ?? [] },
  };
  return { facts, company: ledgerProbe.ok ? ledgerProbe.value.companyName : undefined };
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

export function checklistStateFile(stateDir: string, realmId: string): string {
  return join(stateDir, `checklist-${realmId.replace(/[^A-Za-z0-9_-]/g, '_')}.json`);
}

export function readLatestChecklistStatus(stateDir: string, realmId: string): LatestChecklistStatus | undefined {
  const file = checklistStateFile(stateDir, realmId);
  if (!existsSync(file)) return undefined;
  const value = JSON.parse(readFileSync(file, 'utf8')) as LatestChecklistStatus;
  return typeof value.passed === 'boolean' && value.realmId === realmId ? value : undefined;
}

function writeLatestChecklistStatus(stateDir: string, status: LatestChecklistStatus): void {
  mkdirSync(stateDir, { recursive: true });
  const file = checklistStateFile(stateDir, status.realmId);
  // Write then rename: a reader never sees half a file.
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(status, null, 2)}\n`);
  renameSync(tmp, file);
}

export function checklistActivities(deps: ChecklistDeps) {
  const stateDir = deps.stateDir ?? process.env.LEDGERLINE_STATE_DIR ?? DEFAULT_STATE_DIR;
  const realmId = deps.ledger.realmId;
  return {
    async runChecklistChecks(input: RunChecklistInput): Promise<RunChecklistResult> {
      const { facts, company } = await gatherChecklistFacts(deps, input);
      return { items: runChecks(facts), realmId, company, lockDate: facts.lock.lockDate };
    },

    async sendChecklistReport(input: SendChecklistReportInput): Promise<{ messageId: string; to: string }> {
      const mail = renderChecklistReport(toChecklistReport(input.summary, input.stage, deps.temporalUi));
      const messageId = await deps.mailer.send({ to: deps.defaultTo, ...mail });
      return { messageId, to: deps.defaultTo };
    },

    async recordChecklistResult(input: RecordChecklistResultInput): Promise<LatestChecklistStatus> {
      const status: LatestChecklistStatus = { ...input, realmId };
      // A late retry of an older run must not replace a newer result.
      const current = readLatestChecklistStatus(stateDir, realmId);
      if (current && current.at > status.at) return current;
      writeLatestChecklistStatus(stateDir, status);
      return status;
    },

    async latestChecklistStatus(): Promise<LatestChecklistStatus | undefined> {
      return readLatestChecklistStatus(stateDir, realmId);
    },
  };
}
