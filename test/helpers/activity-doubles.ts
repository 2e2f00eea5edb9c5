/**
 * In-memory doubles of the ledger activities for workflow tests: a tiny PSA and ledger whose
 * behaviour tests can change (break a mapping, fix it) and inspect (what was posted, exported, mailed).
 */
import { ApplicationFailure } from '@temporalio/common';
import type { StaleRecord } from '../../domain/stale-agreements';
import type { LedgerChange } from '../../domain/ledger-changes';
import type { Activities as LedgerActivities } from '../../activities';
import { companyLockActivities } from '../../activities/company-lock';
import type {
  CollectPageInput,
  LatestChecklistStatus,
  MarkExportedInput,
  PostInput,
  RecordRef,
  ReconcileInput,
  ResolveInput,
  SendBatchReportInput,
  CheckReportRecipientInput,
} from '../../domain/contract';
import { recipientProblem } from '../../domain/report-recipients';

export interface FakeWorld {
  /** The accounting company this world stands for: its batches share one company lock. */
  companyKey: string;
  unposted: RecordRef[];
  /** Record numbers whose GL mapping is broken (resolve fails with MappingMissing). */
  broken: Set<string>;
  ledger: Map<string, { txnId: string; total: string }>;
  exported: MarkExportedInput[];
  mails: SendBatchReportInput[];
  calls: string[];
  /** When set, postRecords throws it (e.g. a non-retryable AuthenticationFailed). */
  postFailure?: Error;
  /** When set, postRecords waits for it first (holds a batch mid-post while a test races it). */
  postGate?: Promise<void>;
  /** When set, sendBatchReport throws it (the mail server refused the report). */
  mailFailure?: Error;
  /** What the check of agreement changes against earlier batches' invoices finds, or throws. */
  postedStale?: StaleRecord[] | Error;
  /** What the check of QuickBooks changes to posted transactions finds, or throws. */
  ledgerChanges?: LedgerChange[] | Error;
  /** The latest go-live checklist result the batch sees (passed unless a test says otherwise). */
  checklist?: LatestChecklistStatus;
  /** MAIL_ALLOWED_RECIPIENTS as the workers have it (any recipient unless a test says otherwise). */
  allowedRecipients?: string[];
}

let worlds = 0;

export function fakeWorld(refs: RecordRef[]): FakeWorld {
  return { companyKey: `test-company-${++worlds}`, unposted: [...refs], broken: new Set(), ledger: new Map(), exported: [], mails: [], calls: [], checklist: passedChecklist() };
}

export function passedChecklist(): LatestChecklistStatus {
  return { passed: true, status: 'Passed', at: '2026-11-20T09:00:00Z', workflowId: 'checklist-1', runId: 'r1', realmId: '1', failed: [], unconfirmed: [] };
}

export function makeRefs(kind: RecordRef['kind'], count: number, start = 1): RecordRef[] {
  return Array.from({ length: count }, (_, i) => ({
    kind,
    id: String(start + i),
    number: `${kind.slice(0, 3).toUpperCase()}-${start + i}`,
    total: '100.25',
  }));
}

const key = (ref: RecordRef) => `${ref.kind}:${ref.id}`;

/** The accounting batch's activities only; other workflows have doubles of their own. */
export type BatchActivities = Pick<
  LedgerActivities,
  | 'accountingCompany'
  | 'describeCompanyLock'
  | 'latestChecklistStatus'
  | 'collectUnposted'
  | 'checkPostedAgreements'
  | 'checkLedgerChanges'
  | 'resolveRecords'
  | 'postRecords'
  | 'reconcileRecords'
  | 'markExported'
  | 'checkReportRecipient'
  | 'sendBatchReport'
>;

export function activityDoubles(world: FakeWorld): BatchActivities {
  return {
    // The real lock activities, on a company of this world's own so tests never share a lock.
    ...companyLockActivities({ realmId: world.companyKey }),
    async latestChecklistStatus() {
      world.calls.push('latestChecklistStatus');
      return world.checklist;
    },
    async collectUnposted(input: CollectPageInput) {
      world.calls.push('collectUnposted');
      const all = world.unposted.filter((r) => r.kind === input.kind);
      if (input.page !== undefined) {
        const start = (input.page - 1) * input.pageSize;
        return { refs: all.slice(start, start + input.pageSize), hasMore: start + input.pageSize < all.length };
      }
      // Forward-only: ids above the cursor, in id order.
      const after = all.filter((r) => Number(r.id) > (input.afterId ?? 0)).sort((a, b) => Number(a.id) - Number(b.id));
      const refs = after.slice(0, input.pageSize);
      const hasMore = after.length > refs.length;
      return { refs, hasMore, nextAfterId: hasMore ? Number(refs[refs.length - 1]!.id) : undefined };
    },
    async checkPostedAgreements() {
      if (world.postedStale instanceof Error) throw world.postedStale;
      return { since: '2026-11-19T09:00:00.000Z', until: '2026-11-20T09:00:00.000Z', stale: world.postedStale ?? [] };
    },
    async checkLedgerChanges() {
      world.calls.push('checkLedgerChanges');
      if (world.ledgerChanges instanceof Error) throw world.ledgerChanges;
      return { since: '2026-11-19T09:00:00.000Z', until: '2026-11-20T09:00:00.000Z', method: 'changeDataCapture' as const, changes: world.ledgerChanges ?? [] };
    },
    async resolveRecords(input: ResolveInput) {
      world.calls.push('resolveRecords');
      return input.refs.map((ref) =>
        world.broken.has(ref.number)
          ? {
              ref,
              status: 'failed' as const,
              drift: [],
              error: {
                type: 'MappingMissing' as const,
                message: `Invoice ${ref.number}: The Corporate Level (My Company: Owner) mapping does not exist for this Account Type. (Revenue)`,
                fix: 'Add a Revenue mapping at My Company: Owner in System > Setup Tables > GL Accounts.',
              },
            }
          : { ref, status: 'ready' as const, draftDigest: `d-${ref.id}`, entity: 'Invoice', docNumber: ref.number, total: ref.total, lineCount: 2, drift: [] },
      );
    },
    async postRecords(input: PostInput) {
      world.calls.push('postRecords');
      await world.postGate;
      if (world.postFailure) throw world.postFailure;
      return input.records.map(({ ref }) => {
        const existing = world.ledger.get(key(ref));
        if (existing) return { ref, status: 'alreadyPosted' as const, entity: 'Invoice', txnId: existing.txnId, total: ref.total };
        const txnId = String(1000 + world.ledger.size);
        world.ledger.set(key(ref), { txnId, total: ref.total });
        return { ref, status: 'posted' as const, entity: 'Invoice', txnId, total: ref.total };
      });
    },
    async reconcileRecords(input: ReconcileInput) {
      world.calls.push('reconcileRecords');
      return input.posted.map((p) => ({ ref: p.ref, confirmed: true, glEntryIds: [Number(p.ref.id) * 10, Number(p.ref.id) * 10 + 1], discrepancies: [] }));
    },
    async markExported(input: MarkExportedInput) {
      world.calls.push('markExported');
      world.exported.push(input);
      const ids = new Set(input.glEntryIds);
      world.unposted = world.unposted.filter((r) => !ids.has(Number(r.id) * 10));
      return { psaBatchId: world.exported.length, alreadyExisted: false };
    },
    async checkReportRecipient(input: CheckReportRecipientInput) {
      world.calls.push('checkReportRecipient');
      const to = 'email' in input.notify ? input.notify.email : `${input.notify.member}@example.test`;
      const problem = recipientProblem('email' in input.notify ? 'notify.email' : 'notify.member', to, world.allowedRecipients ?? ['*']);
      if (problem) throw ApplicationFailure.nonRetryable(`${problem.message} Fix: ${problem.fix}`, 'InvalidInput');
      return { to };
    },
    async sendBatchReport(input: SendBatchReportInput) {
      world.calls.push('sendBatchReport');
      if (world.mailFailure) throw world.mailFailure;
      world.mails.push(input);
      return { messageId: `<m${world.mails.length}@test>`, to: 'finance@example.test' };
    },
  };
}
