/**
 * Which accounting company a run works for (its name, its QuickBooks realm, its accounting queue),
 * and who holds that company's lock: the lock is a child workflow (workflows/company-lock.ts), so
 * its holder is its parent execution.
 */
import { Context } from '@temporalio/activity';
import type { AccountingCompany, CompanyLockHolder, DescribeCompanyLockInput } from '../domain/contract';
import { DEFAULT_COMPANY } from '../domain/routing';
import { accountingQueueFor } from '../domain/task-queues';

export function companyLockActivities(deps: { realmId: string; company?: { name: string } }) {
  return {
    /** Called on the main queue, which names the company's accounting queue. */
    async accountingCompany(): Promise<AccountingCompany> {
      const name = deps.company?.name ?? DEFAULT_COMPANY;
      return { companyKey: deps.realmId, name, accountingQueue: accountingQueueFor(Context.current().info.taskQueue, name) };
    },

    async describeCompanyLock(input: DescribeCompanyLockInput): Promise<CompanyLockHolder> {
      try {
        const lock = await Context.current().client.workflow.getHandle(input.lockWorkflowId).describe();
        if (lock.status.name !== 'RUNNING') return {};
        return { holderWorkflowId: lock.parentExecution?.workflowId ?? undefined, since: lock.startTime.toISOString() };
      } catch (err) {
        // Released and cleaned up between the refusal and this call: nobody holds it now.
        if ((err as Error).name === 'WorkflowNotFoundError') return {};
        throw err;
      }
    },
  };
}

export type CompanyLockActivities = ReturnType<typeof companyLockActivities>;
