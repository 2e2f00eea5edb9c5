/**
 * reconcile: read back what the accounting package holds and compare it with what the record
 * should have produced (total, tax, lines, accounts). Only confirmed records are marked exported.
 */
import { Context } from '@temporalio/activity';
import { formatMoney, parseMoney } from '../domain/money';
import type { ConnectWiseClient } from '../integrations/connectwise';
import type { QuickBooksClient, TransactionEntity } from '../integrations/quickbooks';
import type { Discrepancy, ReconcileInput, ReconcileOutcome } from '../domain/contract';
import type { LedgerContextCache } from '../integrations/ledger-context';
import { prepareRecords, type PreparedRecord } from './prepare-records';

type Body = Record<string, unknown>;
type Line = { Amount?: number; DetailType?: string } & Record<string, unknown>;

/** Lines QuickBooks adds on its own (subtotals) are not ours to compare. */
const ownLines = (body: Body): Line[] => ((body.Line as Line[] | undefined) ?? []).filter((l) => l.DetailType !== 'SubTotalLineDetail');

/** The account or item each line posts to, as a sorted list, independent of line order. */
function lineTargets(body: Body): string[] {
  return ownLines(body)
    .map((line) => {
      const detail = (line[line.DetailType ?? ''] ?? {}) as Record<string, { value?: string } | undefined>;
      const ref = detail.AccountRef ?? detail.ItemRef;
      return `${line.DetailType}:${ref?.value ?? ''}:${formatMoney(parseMoney(String(line.Amount ?? 0)))}`;
    })
    .sort();
}

const money = (n: unknown) => formatMoney(parseMoney(Number(n ?? 0).toFixed(2)));

export function compareTransaction(expected: PreparedRecord, posted: Body | undefined): Discrepancy[] {
  if (!posted) return [{ field: 'missing', expected: `${expected.payload.entity} for ${expected.draft.docNumber}`, actual: 'not found' }];
  const out: Discrepancy[] = [];
  const total = money(posted.TotalAmt);
  if (total !== formatMoney(parseMoney(expected.draft.total))) out.push({ field: 'total', expected: expected.draft.total, actual: total });
  const expectedTax = formatMoney(expected.draft.taxLines.reduce((sum, t) => sum + parseMoney(t.amount), 0n));
  const postedTax = money((posted.TxnTaxDetail as Body | undefined)?.TotalTax);
  if (expected.draft.taxLines.length > 0 && postedTax !== expectedTax) out.push({ field: 'tax', expected: expectedTax, actual: postedTax });
  const want = lineTargets(expected.payload.body);
  const got = lineTargets(posted);
  if (want.length !== got.length) out.push({ field: 'lines', expected: String(want.length), actual: String(got.length) });
  else if (want.join('|') !== got.join('|')) {
    const missing = want.filter((w) => !got.includes(w));
    const extra = got.filter((g) => !want.includes(g));
    out.push({ field: 'account', expected: missing.join(', '), actual: extra.join(', ') });
  }
  return out;
}

export function reconcileActivities(deps: { psa: ConnectWiseClient; ledger: QuickBooksClient; realmId: string; ledgerContext: LedgerContextCache }) {
  return {
    async reconcileRecords(input: ReconcileInput): Promise<ReconcileOutcome[]> {
      const context = await deps.ledgerContext.get();
      const prepared = await prepareRecords(input.posted.map((p) => p.ref), input.glSource, deps, context);
      Context.current().heartbeat('prepared');

      const postedById = new Map<string, Body>();
      for (const entity of [...new Set(input.posted.map((p) => p.entity))]) {
        const ids = input.posted.filter((p) => p.entity === entity).map((p) => p.txnId);
        const rows = (await deps.ledger.queryAll(entity as TransactionEntity, { where: [{ field: 'Id', op: 'IN', value: ids }] })) as unknown as Body[];
        for (const row of rows) postedById.set(`${entity}:${row.Id}`, row);
      }

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
        const discrepancies = compareTransaction(expected, postedById.get(`${p.entity}:${p.txnId}`));
        return { ref: p.ref, confirmed: discrepancies.length === 0, glEntryIds: expected.draft.glEntryIds, discrepancies };
      });
    },
  };
}
