/**
 * Reports what a worker sees of an accounting company's QuickBooks connection to the company's
 * `connectionGuard` workflow (signal-with-start: the first report starts it), and reads its verdict.
 */
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import {
  CONNECTION_GUARD_MESSAGES,
  CONNECTION_GUARD_WORKFLOW,
  connectionGuardWorkflowId,
  type ConnectionHealth,
  type ConnectionReport,
} from '../../domain/connection-health';

export class ConnectionGuardStore {
  constructor(
    private readonly client: Client,
    private readonly taskQueue: string,
    private readonly companyKey: string,
    /** The company's configured name, for the guard's activity calls (absent: the only company). */
    private readonly company?: string,
  ) {}

  get workflowId(): string {
    return connectionGuardWorkflowId(this.companyKey, this.taskQueue);
  }

  async report(report: ConnectionReport): Promise<void> {
    await this.client.workflow.signalWithStart(CONNECTION_GUARD_WORKFLOW, {
      workflowId: this.workflowId,
      taskQueue: this.taskQueue,
      args: [{ companyKey: this.companyKey, ...(this.company !== undefined && { company: this.company }) }],
      signal: CONNECTION_GUARD_MESSAGES.report,
      signalArgs: [report],
      staticSummary: `QuickBooks connection of accounting company ${this.companyKey}: alerts before and when syncing stops`,
    });
  }

  /** The guard's verdict, or undefined before anything was reported. */
  async health(): Promise<ConnectionHealth | undefined> {
    try {
      return await this.client.workflow.getHandle(this.workflowId).query<ConnectionHealth>(CONNECTION_GUARD_MESSAGES.health);
    } catch (err) {
      if (err instanceof WorkflowNotFoundError) return undefined;
      throw err;
    }
  }
}
