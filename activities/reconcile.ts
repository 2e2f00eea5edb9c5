/**
 * reconcile: read back what the accounting package holds and compare it with what post sent for
 * the record (held on the worker that posted; elsewhere the record is read again): total, tax,
 * customer or vendor, date, document number, and each line's account (a sales line's is its item's
 * income account, which must be the line's ConnectWise GL account). Only confirmed records are
 * marked exported.
 */
import { Context } from '@temporalio/activity';
import { formatMoney, parseMoney } from '../domain/money';
import type { ConnectWiseClient } from '../integrations/connectwise';
import type { QuickBooksClient, TransactionEntity } from '../integrations/quickbooks';
import type { Discrepancy, ReconcileInput, ReconcileOutcome } from '../domain/contract';
import type { LedgerContext, LedgerContextCache } from '../integrations/ledger-context';
import type { LineOrigins } from '../integrations/line-origins';
import { prepareRecords, type Preparation, type PreparedRecord } from './prepare-records';
import { keptOrRead, type PreparedRecords } from './prepared-records';
import { firstRecordsLines, ownLines as ownLinesOf, partyRef } from '../domain/posting';

type Body = Record<string, unknown>;
type Line = { Amount?: number; DetailType?: string } & Record<string, unknown>;

/** Lines QuickBooks adds on its own (subtotals) are not ours to compare. */
const ownLines = (body: Body): Line[] => ownLinesOf(body) as Line[];

/** Where a posted sales line's amount went: QuickBooks posts it to its item's income account. */
export type IncomeAccountOf = (itemId: string) => { value: string; name?: string } | undefined;

type Ref = { value?: string; name?: string } | undefined;
/** A line's account and amount; `line` is its 1-based position among the record's own lines. */
type Target = { key: string; line: number; detailType: string; account: string; amount: string };

const target = (line: number, detailType: string | undefined, ref: Ref, amount: unknown): Target => {
  const cents = formatMoney(parseMoney(String(amount ?? 0)));
  return { key: `${detailType}:${ref?.value ?? ''}:${cents}`, line, detailType: detailType ?? '', account: ref?.name ?? ref?.value ?? 'none', amount: cents };
};

const described = (t: Target) => `line ${t.line} (${t.amount}) in "${t.account}"`;

/**
 * One discrepancy per line that did not land where it should: the expected line and account, and
 * the posted line it most likely became (same kind and amount first, else the next one left).
 */
function accountDiscrepancies(want: Target[], got: Target[]): Discrepancy[] {
  // Multiset difference, independent of line order, so two equal lines against one are reported too.
  const left = [...got];
  const missing = want.filter((w) => {
    const at = left.findIndex((g) => g.key === w.key);
    if (at < 0) return true;
    left.splice(at, 1);
    return false;
  });
  return missing.map((w) => {
    const same = left.findIndex((g) => g.detailType === w.detailType && g.amount === w.amount);
    const [actual] = left.splice(same >= 0 ? same : 0, 1);
    return { field: 'account', expected: described(w), actual: actual === undefined ? 'none' : described(actual) };
  });
}

/**
 * The account each line posts to with its amount, independent of line order: a sales line's is its
 * item's income account (the posted one), other lines name their account (or item) themselves.
 */
function postedTargets(body: Body, incomeAccountOf: IncomeAccountOf): Target[] {
  return ownLines(body).map((line, i) => {
    const detail = (line[line.DetailType ?? ''] ?? {}) as Record<string, Ref>;
    if (line.DetailType === 'SalesItemLineDetail') {
      const item = detail.ItemRef?.value;
      const income = item === undefined ? undefined : incomeAccountOf(item);
      return target(i + 1, line.DetailType, income ?? { value: `item ${item ?? ''} without an income account` }, line.Amount);
    }
    return target(i + 1, line.DetailType, detail.AccountRef ?? detail.ItemRef, line.Amount);
  });
}

/** What the record should have produced: a sales line's target is its ConnectWise GL account. */
function expectedTargets(expected: PreparedRecord): Target[] {
  return ownLines(expected.payload.body).map((line, i) => {
    if (line.DetailType === 'SalesItemLineDetail') {
      const gl = expected.draft.lines[i]?.account;
      return target(i + 1, line.DetailType, gl === undefined ? undefined : { ...expected.refs.accounts[gl], name: gl }, line.Amount);
    }
    const detail = (line[line.DetailType ?? ''] ?? {}) as Record<string, Ref>;
    return target(i + 1, line.DetailType, detail.AccountRef ?? detail.ItemRef, line.Amount);
  });
}

const partyOf = (body: Body): Ref => partyRef(body) as Ref;

const money = (n: unknown) => formatMoney(parseMoney(Number(n ?? 0).toFixed(2)));

export function compareTransaction(expected: PreparedRecord, posted: Body | undefined, incomeAccountOf: IncomeAccountOf): Discrepancy[] {
  if (!posted) return [{ field: 'missing', expected: `${expected.payload.entity} for ${expected.draft.docNumber}`, actual: 'not found' }];
  const out: Discrepancy[] = [];
  const sent = expected.payload.body;
  const total = money(posted.TotalAmt);
  if (total !== formatMoney(parseMoney(expected.draft.total))) out.push({ field: 'total', expected: expected.draft.total, actual: total });
  const expectedTax = formatMoney(expected.draft.taxLines.reduce((sum, t) => sum + parseMoney(t.amount), 0n));
  const postedTax = money((posted.TxnTaxDetail as Body | undefined)?.TotalTax);
  if (expected.draft.taxLines.length > 0 && postedTax !== expectedTax) out.push({ field: 'tax', expected: expectedTax, actual: postedTax });
  const wantParty = partyOf(sent);
  const gotParty = partyOf(posted);
  if (wantParty?.value !== gotParty?.value) out.push({ field: 'party', expected: wantParty?.name ?? wantParty?.value ?? 'none', actual: gotParty?.name ?? gotParty?.value ?? 'none' });
  if (posted.TxnDate !== expected.draft.txnDate) out.push({ field: 'date', expected: expected.draft.txnDate, actual: String(posted.TxnDate ?? 'none') });
  // An expense posted when Ledgerline knew it by its row id (its GL entry) carries that as its number.
  const formerNumber = expected.record.rowId !== undefined && posted.DocNumber === expected.record.rowId;
  if (sent.DocNumber !== undefined && posted.DocNumber !== sent.DocNumber && !formerNumber) out.push({ field: 'docNumber', expected: String(sent.DocNumber), actual: String(posted.DocNumber ?? 'none') });
  const want = expectedTargets(expected);
  const got = postedTargets(posted, incomeAccountOf);
  if (want.length !== got.length) out.push({ field: 'lines', expected: String(want.length), actual: String(got.length) });
  else out.push(...accountDiscrepancies(want, got));
  return out;
}

type ReconcileDeps = { psa: ConnectWiseClient; ledger: QuickBooksClient; realmId: string; ledgerContext: LedgerContextCache; origins?: LineOrigins; prepared?: PreparedRecords };

/**
 * What each transaction was meant to be: as post sent it, when this worker still has it; otherwise
 * the record read from the PSA again (what it should produce now), in input order.
 */
function expectedOf(input: ReconcileInput, deps: ReconcileDeps, context: LedgerContext): Promise<Preparation[]> {
  return keptOrRead(
    input.posted,
    (p) => deps.prepared?.takePosted(input.glSource, p.ref, p.entity, p.txnId),
    (missing) => prepareRecords(missing.map((p) => p.ref), input.glSource, deps, context),
  );
}

export function reconcileActivities(deps: ReconcileDeps) {
  return {
    async reconcileRecords(input: ReconcileInput): Promise<ReconcileOutcome[]> {
      const context = await deps.ledgerContext.get();
      const prepared = await expectedOf(input, deps, context);
      Context.current().heartbeat('prepared');

      const postedById = new Map<string, Body>();
      for (const entity of [...new Set(input.posted.map((p) => p.entity))]) {
        const ids = input.posted.filter((p) => p.entity === entity).map((p) => p.txnId);
        const rows = (await deps.ledger.queryAll(entity as TransactionEntity, { where: [{ field: 'Id', op: 'IN', value: ids }] })) as unknown as Body[];
        for (const row of rows) postedById.set(`${entity}:${row.Id}`, row);
      }

      // Confirmed, a record's lines posted where its draft says: the first records list them.
      const linesOf = firstRecordsLines(input.lineAccounts ?? 0, (id) => context.matcher.itemById(id));
      const incomeAccountOf: IncomeAccountOf = (itemId) => context.matcher.itemById(itemId)?.IncomeAccountRef;
      return input.posted.map((p, i) => {
        const expected = prepared[i];
        if (!expected.ok) {
          return {
            ref: p.ref,
            confirmed: false,
            glEntryIds: [],
            discrepancies: [{ field: 'missing' as const, expected: 'a postable record', actual: `${expected.error.type}: ${expected.error.message}` }],
          };
        }
        const discrepancies = compareTransaction(expected, postedById.get(`${p.entity}:${p.txnId}`), incomeAccountOf);
        const confirmed = discrepancies.length === 0;
        return { ref: p.ref, confirmed, glEntryIds: expected.draft.glEntryIds, discrepancies, ...(confirmed && linesOf(expected.draft, expected.refs)) };
      });
    },
  };
}
