/**
 * The running activity's company state (domain/company-state), held by the `companyState` workflow of
 * its deployment's main task queue: accounting activities run on the company's accounting queue
 * (domain/task-queues), and the main queue's workers serve the state.
 */
import { Context } from '@temporalio/activity';
import { mainQueueOf } from '../domain/task-queues';
import { CompanyStateStore } from '../integrations/state';

export function companyStateStore(realmId: string, company?: string): CompanyStateStore {
  const context = Context.current();
  return new CompanyStateStore(context.client, mainQueueOf(context.info.taskQueue, company), realmId);
}
