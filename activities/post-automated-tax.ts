/**
 * Automated Sales Tax: the invoice went out with ConnectWise's tax as the override; what QuickBooks
 * computed is read from the posted transaction and compared with the tolerance. Within it, or
 * above it with "warn", the record is posted and its delta reported; above it with "refuse", the
 * transaction is deleted again and the record fails with the fix, so no posting with a tax
 * QuickBooks disputes is left behind.
 */
import { LedgerError, toRecordError } from '../domain/errors';
import type { PostOutcome } from '../domain/contract';
import { astTaxCheck, type TaxRegime } from '../domain/posting';
import type { QuickBooksClient, TransactionEntity } from '../integrations/quickbooks';
import type { PreparedRecord } from './prepare-records';

type Posted = Extract<PostOutcome, { status: 'posted' | 'alreadyPosted' }>;

export async function automatedTaxOutcome(
  ledger: QuickBooksClient,
  regime: TaxRegime | undefined,
  p: PreparedRecord,
  body: Record<string, unknown>,
  posted: Posted,
): Promise<PostOutcome> {
  if (regime?.kind !== 'usAutomated' || (posted.entity !== 'Invoice' && posted.entity !== 'CreditMemo')) return posted;
  const sent = (p.payload.body.TxnTaxDetail as { TotalTax?: number } | undefined)?.TotalTax ?? 0;
  const check = astTaxCheck(body, Number(sent).toFixed(2), regime);
  if (!check.aboveTolerance || regime.aboveTolerance === 'warn') return { ...posted, taxDelta: check };
  const what = `${p.draft.recordLabel}: ConnectWise's tax ${check.sent} differs from QuickBooks' automated sales tax ${check.computed} by ${check.delta}, more than the tolerance ${regime.tolerance}`;
  const fix =
    "Check the customer's tax code and address in ConnectWise against the invoice's shipping address in QuickBooks, correct and reopen and close the invoice, then retry it; or raise AST_TAX_TOLERANCE, or set AST_TAX_ABOVE_TOLERANCE=warn to post ConnectWise's tax anyway.";
  const syncToken = String(body.SyncToken ?? '0');
  try {
    await ledger.delete(posted.entity as TransactionEntity, { Id: posted.txnId, SyncToken: syncToken });
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    return {
      ref: posted.ref,
      status: 'failed',
      error: toRecordError(new LedgerError('ValidationRejected', `${what}; deleting ${posted.entity} ${posted.txnId} failed (${reason})`, { fix: `Delete ${posted.entity} ${posted.txnId} in QuickBooks. ${fix}` })),
    };
  }
  return { ref: posted.ref, status: 'failed', error: toRecordError(new LedgerError('ValidationRejected', `${what}; nothing was left posted`, { fix })) };
}
