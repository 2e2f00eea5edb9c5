/**
 * The running activity's company state (domain/company-state), held by the `companyState` workflow of
 * its deployment's main task queue: accounting activities run on "<main queue>-accounting"
 * (workflows/definitions accountingQueueFor), and the main queue's workers serve the state.
 */
import { Context } from '@temporalio/activity';
import { CompanyStateStore } from '../integrations/state';

export function companyStateStore(realmId: string): CompanyStateStore {
  const context = Context.current();
  return new CompanyStateStore(context.client, context.info.taskQueue.replace(/-accounting$/, ''), realmId);
}
