/**
 * Which accounting company this worker posts to, and who holds that company's lock: the lock is a
 * child workflow (workflows/company-lock.ts), so its holder is its parent execution.
 */
import { Context } from '@temporalio/activity';
import type { AccountingCompany, CompanyLockHolder, DescribeCompanyLockInput } from '../domain/contract';

export function companyLockActivities(deps: { realmId: string }) {
  return {
    async accountingCompany(): Promise<AccountingCompany> {
      return { companyKey: deps.realmId };
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
