/** A finished checklist result for realm 9130 at `at`, for tests of the company state. */
import type { LatestChecklistStatus } from '../../domain/contract';

export const checklistAt = (at: string, passed: boolean): LatestChecklistStatus => ({
  passed,
  status: passed ? 'Passed' : 'Failed',
  at,
  workflowId: `cl-${at}`,
  runId: 'r',
  realmId: '9130',
  failed: passed ? [] : ['connectivity'],
  unconfirmed: [],
});
