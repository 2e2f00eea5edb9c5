/**
 * Reads and changes an accounting company's durable state (domain/company-state) held by its
 * `companyState` workflow. Writes are signal-with-start, so the first write creates the workflow
 * and concurrent writers from any host land in one place; reads are queries, which see every
 * signal accepted before them. No company state workflow yet means empty state.
 */
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import {
  COMPANY_STATE_MESSAGES,
  COMPANY_STATE_WORKFLOW,
  companyStateWorkflowId,
  type CompanyState,
} from '../../domain/company-state';
import type { LatestChecklistStatus } from '../../domain/contract';
import type { Applications, RecordedApplication } from '../../domain/payments';

export class CompanyStateStore {
  constructor(
    private readonly client: Client,
    private readonly taskQueue: string,
    private readonly companyKey: string,
  ) {}

  get workflowId(): string {
    return companyStateWorkflowId(this.companyKey, this.taskQueue);
  }

  async read(): Promise<CompanyState> {
    try {
      return await this.client.workflow.getHandle(this.workflowId).query<CompanyState>(COMPANY_STATE_MESSAGES.state);
    } catch (err) {
      if (err instanceof WorkflowNotFoundError) return {};
      throw err;
    }
  }

  /** Records a finished checklist; returns the one now kept (a newer one may already be there). */
  async recordChecklist(status: LatestChecklistStatus): Promise<LatestChecklistStatus> {
    await this.signal(COMPANY_STATE_MESSAGES.recordChecklist, status);
    return (await this.read()).checklist ?? status;
  }

  /** Moves the payment watermark forward; returns the one now kept (never earlier than before). */
  async advancePaymentWatermark(until: string): Promise<string> {
    await this.signal(COMPANY_STATE_MESSAGES.advancePaymentWatermark, { until });
    return (await this.read()).paymentWatermark ?? until;
  }

  /** Moves forward the time up to which agreement changes were checked; returns the one now kept. */
  async advanceAgreementsChecked(until: string): Promise<string> {
    await this.signal(COMPANY_STATE_MESSAGES.advanceAgreementsChecked, { until });
    return (await this.read()).agreementsCheckedUntil ?? until;
  }

  /** Moves forward the time up to which QuickBooks was checked for changes to posted transactions; returns the one now kept. */
  async advanceLedgerChecked(until: string): Promise<string> {
    await this.signal(COMPANY_STATE_MESSAGES.advanceLedgerChecked, { until });
    return (await this.read()).ledgerCheckedUntil ?? until;
  }

  /** The payment sync's record of what it wrote to the PSA (domain/payments/applications). */
  async applications(): Promise<Applications> {
    return (await this.read()).paymentApplications ?? {};
  }

  /** Records the intent to write an application; returns the entry now kept (an earlier intent stays). */
  async intendApplication(app: RecordedApplication): Promise<{ entry: RecordedApplication; all: Applications }> {
    await this.signal(COMPANY_STATE_MESSAGES.intendApplication, { op: 'intend', app });
    const all = await this.applications();
    return { entry: all[app.key] ?? app, all };
  }

  /** Claims the PSA payment for an application; returns the PSA payment id kept (the first claim's). */
  async claimApplication(key: string, psaPaymentId: number): Promise<number | undefined> {
    await this.signal(COMPANY_STATE_MESSAGES.claimApplication, { op: 'claim', key, psaPaymentId });
    return (await this.applications())[key]?.psaPaymentId;
  }

  /** Forgets an application whose PSA payment was reversed. */
  async releaseApplication(key: string, psaPaymentId: number | undefined): Promise<void> {
    await this.signal(COMPANY_STATE_MESSAGES.releaseApplication, { op: 'release', key, ...(psaPaymentId !== undefined && { psaPaymentId }) });
  }

  private async signal(name: string, arg: unknown): Promise<void> {
    await this.client.workflow.signalWithStart(COMPANY_STATE_WORKFLOW, {
      workflowId: this.workflowId,
      taskQueue: this.taskQueue,
      args: [{ companyKey: this.companyKey }],
      signal: name,
      signalArgs: [arg],
      staticSummary: `Durable state of accounting company ${this.companyKey}: latest go-live checklist, payment watermark, payment applications recorded, agreement and QuickBooks changes checked`,
    });
  }
}
