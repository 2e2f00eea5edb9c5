/**
 * What the go-live checklist's checks look at, fetched from ConnectWise and QuickBooks: setup tables,
 * unposted records, the chart through the batch's own matcher. A system that does not answer is a
 * fact for check 1; failures after both answered are thrown (the activity is retried).
 */
import { chunk } from '../domain/chunk';
import {
  countByKind,
  findGlReload,
  noneUnposted,
  type ChecklistFacts,
  type DatedRecordFact,
  type LedgerFacts,
  type LockDateFacts,
  type PartyFact,
  type Probe,
  type PsaFacts,
} from '../domain/checklist';
import { RECORD_KINDS, type RecordKind, type RunChecklistInput } from '../domain/contract';
import { isLedgerError } from '../domain/errors';
import { cwIn, kindMapper, readGlSetup, type BillingStatus, type ConnectWiseClient, type UnpostedRowOf } from './connectwise';
import { ledgerContextCache } from './ledger-context';
import type { QuickBooksClient } from './quickbooks';
import type { RecordRouter } from './record-routing';

export interface ChecklistFactSources {
  psa: ConnectWiseClient;
  ledger: QuickBooksClient;
  /** How GL Account strings match the chart (GL_ACCOUNT_MATCH), as the batch does; default name. */
  accountMatch?: 'name' | 'number';
  /** CREATE_MISSING_PARTIES, as the batch has it. */
  createMissingParties?: boolean;
  /** The company checked and the deployment's routing: only the records it books count. */
  company?: { name: string; router: RecordRouter };
}

/** Called between phases with what is done, so a long gathering shows it is alive. */
export type Heartbeat = (phase: string) => void;

/** ConnectWise `in (...)` lists of at most this many values keep the URL short. */
const CW_IN_LIST_SIZE = 100;

/** Every unposted record of every kind the company books (all of them for a deployment's only company). */
async function allUnposted(psa: ConnectWiseClient, company: ChecklistFactSources['company']): Promise<{ [K in RecordKind]: UnpostedRowOf<K>[] }> {
  const lists: unknown[][] = await Promise.all(RECORD_KINDS.map((kind) => kindMapper(kind).unposted(psa).all()));
  if (company) {
    for (const [i, kind] of RECORD_KINDS.entries()) {
      const routes = await company.router.routes(lists[i]!.map((row) => kindMapper(kind).toRef(row)));
      lists[i] = lists[i]!.filter((_, r) => {
        const route = routes[r]!;
        return 'to' in route && route.to === company.name;
      });
    }
  }
  return Object.fromEntries(RECORD_KINDS.map((kind, i) => [kind, lists[i]])) as { [K in RecordKind]: UnpostedRowOf<K>[] };
}

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
  for (const part of chunk(ids, CW_IN_LIST_SIZE)) out.push(...(await fetch(cwIn(part))));
  return out;
}

const billingStatusFact = (s: BillingStatus) => ({ id: s.id, name: s.name, inactive: s.inactiveFlag === true, closed: s.closedFlag, sent: s.sentFlag === true });

const day = (iso: string | null | undefined) => (iso ? iso.slice(0, 10) : undefined);

async function fetchPsaFacts(psa: ConnectWiseClient, company: ChecklistFactSources['company'], lockDate: string | undefined, heartbeat: Heartbeat): Promise<{ facts: PsaFacts; lock: Omit<LockDateFacts, 'source'> }> {
  const [security, terms, statuses, glRows, mappedTypes, captions, setups, taxCodes, unposted] = await Promise.all([
    psa.mySecurity(),
    psa.billingTerms.all(),
    psa.billingStatuses.all(),
    psa.glAccounts.all(),
    psa.glMappedTypes.all(),
    psa.glCaptions.all(),
    psa.accountingPackageSetups.all(),
    psa.taxCodes.all(),
    allUnposted(psa, company),
  ]);
  const { invoice: invoices, expense: expenses, procurement } = unposted;
  heartbeat('psa setup read');

  const companyIds = [...new Set(invoices.map((i) => i.company.id))];
  const reimbursers = [...new Set(expenses.filter((e) => e.classification === 'Reimbursable' && e.member?.identifier).map((e) => e.member!.identifier!))];
  const statusFacts = statuses.map(billingStatusFact);
  const glReload = findGlReload(statusFacts);
  const [companies, members, levels, glReloadInvoices] = await Promise.all([
    inChunks(companyIds, (list) => psa.companies.all({ conditions: `id in ${list}` })),
    inChunks(reimbursers, (list) => psa.members.all({ conditions: `identifier in ${list}` })),
    Promise.all(taxCodes.map((c) => psa.taxCodeLevels(c.id).all())),
    glReload ? psa.invoices.count({ conditions: `status/id=${glReload.id}` }) : Promise.resolve(0),
  ]);
  heartbeat('psa records read');

  const dated: DatedRecordFact[] = RECORD_KINDS.flatMap((kind) => {
    const mapper = kindMapper(kind);
    return (unposted[kind] as unknown[]).map((row) => ({ kind, number: mapper.toRef(row).number, date: mapper.dateOf(row) }));
  })
    .filter((r) => r.date)
    .sort((a, b) => a.date.localeCompare(b.date));
  const before = lockDate ? dated.filter((r) => r.date.slice(0, 10) < lockDate) : [];
  const setup = setups[0];
  const gl = readGlSetup(glRows, mappedTypes, captions);

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
    billingStatuses: statusFacts,
    glMappings: gl.mappings,
    glSequences: gl.sequences,
    glSetupProblems: gl.problems,
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
    unbatched: { counts: countByKind(dated), oldest: day(dated[0]?.date), newest: day(dated[dated.length - 1]?.date), glReloadInvoices },
    expenseMembers: reimbursers.map((identifier) => {
      const m = members.find((x) => x.identifier === identifier);
      const name = [m?.firstName, m?.lastName].filter(Boolean).join(' ');
      return { identifier, name: name || identifier, vendorNumber: m?.vendorNumber ?? undefined };
    }),
    parties: [
      ...invoices.map((i) => ({
        role: 'customer' as const,
        name: i.company.name ?? i.company.identifier ?? String(i.company.id),
        source: 'company' as const,
        psaId: i.company.id,
        records: [`Invoice ${i.invoiceNumber}`],
      })),
      ...procurement
        .filter((p) => p.procurementType === 'Purchase' && p.vendor?.id !== undefined)
        .map((p) => ({
          role: 'vendor' as const,
          name: p.vendor!.name ?? p.vendor!.identifier ?? String(p.vendor!.id),
          accountNumber: p.vendorAccountNumber ?? undefined,
          source: 'company' as const,
          psaId: p.vendor!.id,
          records: [`Procurement ${p.purchaseOrder?.name ?? p.unpostedProductId}`],
        })),
      ...(setup?.transferExpensesAsBillFlag === true
        ? expenses
            .filter((e) => e.classification === 'Reimbursable' && e.member?.id !== undefined)
            .map((e) => {
              const m = members.find((x) => x.identifier === e.member?.identifier);
              const name = [m?.firstName, m?.lastName].filter(Boolean).join(' ');
              return { role: 'vendor' as const, name: e.member?.name ?? (name || e.member!.identifier!), accountNumber: m?.vendorNumber ?? undefined, source: 'member' as const, psaId: e.member!.id!, records: [`Expense ${e.id}`] };
            })
        : []),
    ].reduce<PartyFact[]>((list, p) => {
      const same = list.find((x) => x.role === p.role && x.psaId === p.psaId);
      if (same) same.records.push(...p.records);
      else list.push(p);
      return list;
    }, []),
  };
  return { facts, lock: { lockDate, before: countByKind(before), examples: before.slice(0, 5) } };
}

async function fetchLedgerFacts(deps: ChecklistFactSources, heartbeat: Heartbeat): Promise<LedgerFacts> {
  const accountMatch = deps.accountMatch ?? 'name';
  // A fresh context (no caching): the checklist must see a fix made a minute ago.
  const context = (match: 'name' | 'number') => ledgerContextCache(deps, { ttlMs: 0, accountMatch: match, createMissingParties: deps.createMissingParties }).get();
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
    createMissingParties: deps.createMissingParties === true,
  };
}

/** Everything the checks need. Connectivity failures are facts; later failures are thrown (retried). */
export async function gatherChecklistFacts(
  deps: ChecklistFactSources,
  input: RunChecklistInput,
  heartbeat: Heartbeat = () => {},
): Promise<{ facts: ChecklistFacts; company?: string }> {
  const [psaProbe, ledgerProbe] = await Promise.all([
    probe(async () => {
      const info = await deps.psa.systemInfo();
      return { version: info.version, companyId: deps.psa.config.companyId, baseUrl: deps.psa.config.baseUrl };
    }),
    probe(async () => {
      const [company, prefs] = await Promise.all([deps.ledger.read('CompanyInfo', deps.ledger.realmId), deps.ledger.getPreferences()]);
      const name = (company as Record<string, unknown>).CompanyName;
      // Read after the calls: a refresh they needed has just renewed the dates.
      const connection = await deps.ledger.connectionLife();
      return { realmId: deps.ledger.realmId, companyName: typeof name === 'string' ? name : undefined, closingDate: day(prefs.AccountingInfoPrefs?.BookCloseDate), connection };
    }),
  ]);
  heartbeat('connectivity probed');
  const closingDate = ledgerProbe.ok ? ledgerProbe.value.closingDate : undefined;
  const lockDate = input.lockDate ?? closingDate;
  const source: LockDateFacts['source'] = input.lockDate ? 'input' : closingDate ? 'QuickBooks closing date' : 'none';

  const psa = psaProbe.ok ? await fetchPsaFacts(deps.psa, deps.company, lockDate, heartbeat) : undefined;
  const ledger = psaProbe.ok && ledgerProbe.ok ? await fetchLedgerFacts(deps, heartbeat) : undefined;
  const facts: ChecklistFacts = {
    connectivity: {
      psa: psaProbe,
      ledger: ledgerProbe.ok
        ? { ok: true, value: { realmId: ledgerProbe.value.realmId, companyName: ledgerProbe.value.companyName, connection: ledgerProbe.value.connection } }
        : ledgerProbe,
      checkedAt: new Date().toISOString(),
    },
    psa: psa?.facts,
    ledger,
    lock: { lockDate, source, before: psa?.lock.before ?? noneUnposted(), examples: psa?.lock.examples ?? [] },
  };
  return { facts, company: ledgerProbe.ok ? ledgerProbe.value.companyName : undefined };
}
