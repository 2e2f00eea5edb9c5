/**
 * Changes made in QuickBooks to transactions Ledgerline posted (integrations/ledger-changes). Each
 * posting batch checks the window from the company's last check (kept in Temporal,
 * domain/company-state) up to now and moves the start forward, so every change is reported by one
 * batch. The company's first check only sets the start; a dry run reads but moves nothing.
 */
import type { LedgerChangesCheck } from '../domain/ledger-changes';
import { LEDGER_CHANGES_CAP } from '../domain/ledger-changes';
import type { ConnectWiseClient } from '../integrations/connectwise';
import { ledgerChanges } from '../integrations/ledger-changes';
import type { QuickBooksClient } from '../integrations/quickbooks';
import { activityCallBudget } from './call-budget';
import { companyStateStore } from './company-state';
import { heartbeat } from './heartbeat';

export function ledgerChangeActivities(deps: { psa: ConnectWiseClient; ledger: QuickBooksClient; realmId: string; company?: { name: string } }) {
  return {
    async checkLedgerChanges(input: { dryRun: boolean }): Promise<LedgerChangesCheck> {
      const store = companyStateStore(deps.realmId, deps.company?.name);
      // QuickBooks stamps changes in whole seconds; windows are [since, until) on whole seconds, so a
      // change made in the current second falls in the next window, never in two or none.
      const until = new Date(Math.floor(Date.now() / 1000) * 1000).toISOString();
      const since = (await store.read()).ledgerCheckedUntil;
      if (since === undefined) {
        if (!input.dryRun) await store.advanceLedgerChecked(until);
        return { until, changes: [] };
      }
      const check = await ledgerChanges({ ...deps, ledger: deps.ledger.withBudget(activityCallBudget()) }, { since, until }, Date.now());
      heartbeat('QuickBooks changes checked');
      if (!input.dryRun) await store.advanceLedgerChecked(until);
      // The summary keeps no more than its cap; the rest would only weigh on history.
      return { since, until, ...check, changes: check.changes.slice(0, LEDGER_CHANGES_CAP) };
    },
  };
}
