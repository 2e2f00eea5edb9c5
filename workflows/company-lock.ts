/**
 * One run at a time per accounting company, enforced by Temporal rather than by hope: a run that
 * writes (a posting batch, a payment sync) first starts a child workflow whose id names the company
 * and the kind of run. While one runs, the server refuses a second start of that id, so a Schedule,
 * a UI start and a CLI start racing each other get exactly one holder. The child ends when its
 * holder releases it, or with its holder (the parent close policy terminates it), so a failed,
 * cancelled or terminated holder never leaves the company locked.
 *
 * Refused, not queued: a queued start would wait behind a batch that may sit for hours awaiting
 * `retryFailed`, and then post records its starter no longer expects; a refusal says at once who
 * holds the company and how to follow that run.
 */
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import { condition, defineSignal, setCurrentDetails, setHandler, startChild, workflowInfo, type ChildWorkflowHandle } from '@temporalio/workflow';
import { companyActivities } from './helpers';
import type { ResolvedCompany } from './run-company';

export type CompanyLockPurpose = 'accounting-batch' | 'payment-sync';

export const releaseCompanyLockSignal = defineSignal('release');

/** The lock itself: waits, holding its workflow id, until released. */
export async function companyLock(input: { purpose: CompanyLockPurpose; holder: string }): Promise<void> {
  setCurrentDetails(`Held by **${input.holder}** (${input.purpose})`);
  let released = false;
  setHandler(releaseCompanyLockSignal, () => {
    released = true;
  });
  await condition(() => released);
}

export function companyLockWorkflowId(purpose: CompanyLockPurpose, companyKey: string): string {
  return `${purpose}-lock-${companyKey}`;
}

const RUN_NAMES: Record<CompanyLockPurpose, { one: string; follow: string }> = {
  'accounting-batch': { one: 'accounting batch', follow: 'npm run cli -- batch status' },
  'payment-sync': { one: 'payment sync', follow: 'temporal workflow describe -w' },
};

/** A workflow's hold on its accounting company: taken, given back, and taken again for a retry round. */
export class CompanyLock {
  private companyKey?: string;
  private held?: ChildWorkflowHandle<typeof companyLock>;

  /**
   * `company`: known already (workflows/run-company.ts), and named in the lock's activities; else
   * (runs started before companies had names) asked of the workers on the first acquire.
   */
  constructor(
    private readonly purpose: CompanyLockPurpose,
    private readonly company?: ResolvedCompany,
  ) {
    this.companyKey = company?.companyKey;
  }

  /** Takes the company's lock; returns undefined when held, else why not (naming the holder and how to follow it). */
  async acquire(): Promise<string | undefined> {
    if (this.held) return undefined;
    const name = RUN_NAMES[this.purpose];
    const activities = companyActivities(this.company).psa(`take the ${name.one} lock of ${this.company ? `accounting company ${this.company.name}` : 'this accounting company'}`, '1 minute');
    this.companyKey ??= (await activities.accountingCompany()).companyKey;
    const lockWorkflowId = companyLockWorkflowId(this.purpose, this.companyKey);
    try {
      this.held = await startChild(companyLock, {
        workflowId: lockWorkflowId,
        args: [{ purpose: this.purpose, holder: workflowInfo().workflowId }],
        staticSummary: `Held by ${workflowInfo().workflowId}: one ${name.one} per accounting company at a time`,
      });
      return undefined;
    } catch (err) {
      if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
    }
    const holder = await activities.describeCompanyLock({ lockWorkflowId });
    const which = this.company ? `accounting company ${this.company.name}` : 'this accounting company';
    return holder.holderWorkflowId
      ? `another ${name.one} is running for ${which}: ${holder.holderWorkflowId} (since ${holder.since}). ` +
          `Follow it with \`${name.follow} ${holder.holderWorkflowId}\` or in the Temporal UI, and start again once it has finished.`
      : `another ${name.one} was running for ${which} and has just finished; start this one again.`;
  }

  /** Gives the lock back and waits until the server has closed it, so the next holder can take it. */
  async release(): Promise<void> {
    const held = this.held;
    if (!held) return;
    this.held = undefined;
    await held.signal(releaseCompanyLockSignal);
    await held.result();
  }
}
