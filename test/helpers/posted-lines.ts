/**
 * Reading posted invoices and credit memos back from QuickBooks: every line's account (its item's
 * income account, where QuickBooks posted it) with its amount, against the record's GL entries.
 */
import type { LedgerStack } from '../../dev/stack/ledger-stack';
import { glExportRequest, glExportToRecords, kindMapper } from '../../integrations/connectwise';
import type { PsaGlRecord } from '../../domain/posting';

/** The unposted invoices and credit memos with the GL entries ConnectWise computed for them. */
export async function unpostedInvoiceRecords(stack: LedgerStack): Promise<PsaGlRecord[]> {
  const refs = (await stack.deps.psa.unpostedInvoices.all()).map((row) => kindMapper('invoice').toRef(row));
  return glExportToRecords(await stack.deps.psa.exportGl(glExportRequest('invoice', refs, 'ledgerline-preview')), { transferExpensesAsBill: false });
}

const cents = (amount: unknown) => Math.abs(Number(amount)).toFixed(2);

export async function postedSalesTransaction(stack: LedgerStack, r: PsaGlRecord): Promise<Record<string, unknown> | undefined> {
  const entity = r.recordType === 'CreditMemo' ? 'CreditMemo' : 'Invoice';
  const [txn] = (await stack.deps.ledger.queryAll(entity, { where: [{ field: 'DocNumber', op: '=', value: r.number }] })) as unknown as Array<Record<string, unknown>>;
  return txn;
}

export async function postedLineAccounts(stack: LedgerStack, records: readonly PsaGlRecord[]): Promise<{ expected: string[]; posted: string[] }> {
  const ledger = stack.deps.ledger;
  const accounts = await ledger.listAccounts({ includeInactive: true });
  const accountName = new Map(accounts.map((a) => [String(a.Id), String(a.FullyQualifiedName ?? a.Name)]));
  const incomeOf = new Map((await ledger.listItems()).map((i) => [String(i.Id), (i.IncomeAccountRef as { value: string } | undefined)?.value ?? '']));
  const expected: string[] = [];
  const posted: string[] = [];
  for (const r of records) {
    for (const l of r.lines) {
      if (l.accountType !== 'Accounts Receivable' && l.accountType !== 'Sales Tax Payable' && Number(l.amount) !== 0) expected.push(`${r.number} ${l.account} ${cents(l.amount)}`);
    }
    const txn = await postedSalesTransaction(stack, r);
    for (const line of (txn?.Line as Array<Record<string, unknown>> | undefined) ?? []) {
      const detail = line.SalesItemLineDetail as { ItemRef: { value: string } } | undefined;
      if (detail) posted.push(`${r.number} ${accountName.get(incomeOf.get(detail.ItemRef.value) ?? '') ?? '?'} ${cents(line.Amount)}`);
    }
  }
  return { expected: expected.sort(), posted: posted.sort() };
}
