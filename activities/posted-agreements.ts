/**
 * Agreements cancelled or changed after earlier batches posted their invoices. Each batch checks
 * the window from the company's last check (kept in Temporal, domain/company-state) up to now and
 * then moves the start forward, so every change is reported by one batch, not by each later one.
 * The company's first check only sets the start. A dry run reads but moves nothing.
 */
import { Context } from '@temporalio/activity';
import { SUMMARY_LIST_CAP } from '../domain/batch-summary';
import type { PostedAgreementsCheck, PostedAgreementsInput } from '../domain/contract';
import type { AgreementChanges } from '../integrations/agreement-changes';
import { companyStateStore } from './company-state';
import type { RecordRouter } from '../integrations/record-routing';
import type { RecordPlace } from '../domain/routing';

export function postedAgreementActivities(deps: { realmId: string; agreements: Pick<AgreementChanges, 'postedStaleRecords'>; company?: { name: string; router: RecordRouter } }) {
  const store = () => companyStateStore(deps.realmId, deps.company?.name);
  // Only this company's invoices: each company's batch flags its own.
  const company = deps.company;
  const booksInvoice = company && (async (places: RecordPlace[]) => (await company.router.routes(places)).map((r) => 'to' in r && r.to === company.name));

  return {
    async checkPostedAgreements(input: PostedAgreementsInput): Promise<PostedAgreementsCheck> {
      // Whole seconds, as ConnectWise's datetime conditions read them: windows meet without a gap or overlap.
      const until = new Date(Math.floor(Date.now() / 1000) * 1000).toISOString();
      const since = (await store().read()).agreementsCheckedUntil;
      const stale = since === undefined ? [] : await deps.agreements.postedStaleRecords({ since, until }, booksInvoice);
      Context.current().heartbeat('agreements checked');
      if (!input.dryRun) await store().advanceAgreementsChecked(until);
      // The summary keeps no more than its list cap; the rest would only weigh on history.
      return { ...(since !== undefined && { since }), until, stale: stale.slice(0, SUMMARY_LIST_CAP) };
    },
  };
}
