/**
 * Which accounting company a batch, payment sync or checklist works for: the one its input names,
 * or the deployment's only one. Asked once, at the start, of the workers (which hold the
 * configuration), and shown in the UI as the `AccountingCompany` search attribute. Runs started
 * before companies had names (no `accounting-company` marker in their history) skip both and work
 * for the deployment's only company, as they did.
 */
import { ApplicationFailure, isCancellation, patched, upsertSearchAttributes } from '@temporalio/workflow';
import type { AccountingCompany } from '../domain/contract';
import { accountingQueueFor } from '../domain/task-queues';
import { AccountingCompanyKey } from './definitions';
import { describeFailure, mainQueueActivities, type RunCompany } from './helpers';

export interface ResolvedCompany extends RunCompany {
  /** The QuickBooks realm: what the company's locks and state are keyed by. */
  companyKey: string;
}

export async function runCompany(workflow: string, company: string | undefined, mainQueue: string): Promise<ResolvedCompany | undefined> {
  if (!patched('accounting-company')) return undefined;
  let found: AccountingCompany;
  try {
    found = await mainQueueActivities('1 minute', `which accounting company: ${company ?? 'the only one'}`).accountingCompany({ company });
  } catch (err) {
    if (isCancellation(err)) throw err;
    throw ApplicationFailure.nonRetryable(`Invalid ${workflow} input: ${describeFailure(err)}`, 'InvalidInput');
  }
  const name = found.name ?? company ?? 'default';
  upsertSearchAttributes([{ key: AccountingCompanyKey, value: name }]);
  return { name, companyKey: found.companyKey, accountingQueue: found.accountingQueue ?? accountingQueueFor(mainQueue, name) };
}
