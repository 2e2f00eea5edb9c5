/**
 * Payment sync activities: is it enabled, where did the last run stop (kept in Temporal), read one
 * page of accounting payments, match them (domain/payments) and record the matches on the PSA
 * invoices, find payments removed after we recorded them, and mail the report. Every write is
 * preceded and followed by a read of the invoice's payments, and of payments with the same reference
 * only the oldest is kept, so a retry after a lost response, an overlapping window, or an attempt that
 * timed out but still runs beside its retry records nothing twice.
 */
import { Context } from '@temporalio/activity';
import type {
  MailSent,
  PaymentPageInput,
  PaymentPageResult,
  PaymentReversalInput,
  PaymentReversalResult,
  PaymentSyncCheck,
  PaymentWatermark,
  RemovedPaymentsPageResult,
  SendPaymentReportInput,
} from '../domain/contract';
import { planPayments, removedApplications, type PaymentDecision, type SkipDecision } from '../domain/payments';
import { renderPaymentSyncReport } from '../integrations/mail';
import { changedInWindow, changedPayments, gatherMatchFacts, paymentSyncCheck, recordPayment, reverseApplication, toLedgerPayment } from '../integrations/payments';
import { companyStateStore } from './company-state';
import type { ActivityDependencies } from './dependencies';
import { heartbeat } from './heartbeat';
import { reportRecipient } from './recipient';

type Deps = Pick<ActivityDependencies, 'psa' | 'ledger' | 'mailer' | 'mailDefaultTo' | 'mailAllowedRecipients' | 'temporalUi' | 'company'>;

type Applied = Extract<PaymentDecision, { action: 'apply' }>;
const appliedKey = (d: { reference: string; invoiceNumber?: string; amount: string }) => `${d.reference}|${d.invoiceNumber ?? ''}|${d.amount}`;

/**
 * What an earlier attempt of this page recorded (its last heartbeat): on a retry those payments are
 * already on the PSA invoices and plan as "alreadyRecorded", but this run applied them.
 */
function appliedByEarlierAttempt(): Map<string, Applied> {
  const details = Context.current().info.heartbeatDetails as { applied?: Applied[] } | undefined;
  return new Map((details?.applied ?? []).map((d) => [appliedKey(d), d]));
}

export function paymentActivities(deps: Deps) {
  const store = () => companyStateStore(deps.ledger.realmId, deps.company?.name);

  /** Reverses in the PSA what was recorded for payments voided, deleted or unlinked in QuickBooks. */
  async function reverseChanged(since: string): Promise<PaymentReversalResult> {
    const changed = await changedPayments(deps.ledger, since, Date.now());
    const state = store();
    const removed = removedApplications(await state.applications(), changed);
    const outcomes: SkipDecision[] = [];
    for (const r of removed) {
      outcomes.push(await reverseApplication(deps.psa, state, r));
      heartbeat(`reversed ${outcomes.length} of ${removed.length}`);
    }
    return { outcomes, read: changed.length };
  }

  return {
    async checkPaymentSync(): Promise<PaymentSyncCheck> {
      return paymentSyncCheck(deps.psa);
    },

    async readPaymentWatermark(): Promise<PaymentWatermark> {
      const { paymentWatermark } = await store().read();
      return paymentWatermark === undefined ? {} : { watermark: paymentWatermark };
    },

    async writePaymentWatermark(input: { until: string }): Promise<{ watermark: string }> {
      return { watermark: await store().advancePaymentWatermark(input.until) };
    },

    async syncPaymentsPage(input: PaymentPageInput): Promise<PaymentPageResult> {
      const page = await deps.ledger.query('Payment', changedInWindow(input));
      const payments = page.rows.map(toLedgerPayment);
      // Every heartbeat carries what this page has applied so far, for a retry to report (above);
      // the periodic beat (withHeartbeat) re-sends the same details.
      const earlier = appliedByEarlierAttempt();
      const applied: Applied[] = [...earlier.values()];
      const state = store();
      const decisions = planPayments(payments, await gatherMatchFacts(deps, payments, await state.applications(), () => heartbeat({ applied })));
      const outcomes: PaymentDecision[] = [];
      for (const decision of decisions) {
        const outcome = decision.action === 'apply' ? await recordPayment(deps.psa, state, decision) : decision;
        if (outcome.action === 'apply') applied.push(outcome);
        const mine = outcome.action === 'skip' && outcome.reason === 'alreadyRecorded' ? earlier.get(appliedKey(outcome)) : undefined;
        outcomes.push(mine ?? outcome);
        heartbeat({ applied });
      }
      return { outcomes, read: page.rows.length, hasMore: page.rows.length === input.pageSize };
    },

    /** Payments QuickBooks changed since the window opened (change data capture), reversed in the PSA. */
    async reverseRemovedPayments(input: PaymentReversalInput): Promise<PaymentReversalResult> {
      return reverseChanged(input.since);
    },

    /**
     * Runs started before change data capture was wired page through this; the first page now does
     * the same as reverseRemovedPayments, and there is no second.
     */
    async findRemovedPayments(input: PaymentPageInput): Promise<RemovedPaymentsPageResult> {
      if (input.startPosition > 1) return { outcomes: [], read: 0, hasMore: false };
      const { outcomes, read } = await reverseChanged(input.since);
      return { outcomes, read, hasMore: false };
    },

    async sendPaymentSyncReport(input: SendPaymentReportInput): Promise<MailSent> {
      const to = await reportRecipient(deps.psa, input.notify, { defaultTo: deps.mailDefaultTo, allowed: deps.mailAllowedRecipients });
      const s = input.summary;
      const mail = renderPaymentSyncReport({
        workflowId: s.workflowId,
        runId: s.runId,
        ...(s.company !== undefined && { company: s.company }),
        temporalUi: deps.temporalUi,
        status: s.status === 'Completed' ? 'Completed' : 'Failed',
        window: { since: s.window?.since ?? '', until: s.window?.until ?? '' },
        applied: s.applied,
        appliedTotal: s.appliedTotal,
        skipped: s.skipped,
        omitted: { applied: s.appliedCount - s.applied.length, skipped: s.skippedCount - s.skipped.length },
        ...(s.fatalError && { fatalError: s.fatalError }),
      });
      heartbeat('rendered');
      return { messageId: await deps.mailer.send({ to, ...mail }), to };
    },
  };
}

/** The activities the paymentSync workflow calls. */
export type PaymentActivities = ReturnType<typeof paymentActivities>;
