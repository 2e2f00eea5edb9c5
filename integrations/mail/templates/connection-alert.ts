/**
 * The connection alert: the QuickBooks connection is expiring, expired, revoked or keeps being
 * refused, so syncing will stop or has stopped; what happened, by when, and the step that fixes it.
 */
import type { ConnectionHealth } from '../../../domain/connection-health';
import type { TemporalUi } from '../report-types';
import { workflowRunUrl } from '../temporal-link';
import type { ReportDocument, RenderedMail, Tone } from './document';
import { subjectLine } from './format';
import { renderHtml } from './render-html';
import { renderText } from './render-text';

export interface ConnectionAlert {
  /** The QuickBooks company (realm id). */
  companyKey: string;
  health: ConnectionHealth;
  workflowId: string;
  runId: string;
  temporalUi: TemporalUi;
}

const HEADLINE: Record<ConnectionHealth['status'], string> = {
  Healthy: 'working',
  Expiring: 'expiring',
  Expired: 'expired: syncing has stopped',
  Revoked: 'revoked: syncing has stopped',
  Failing: 'refused repeatedly: syncing has stopped',
};

const TONE: Record<ConnectionHealth['status'], Tone> = { Healthy: 'success', Expiring: 'warning', Expired: 'error', Revoked: 'error', Failing: 'error' };

export function renderConnectionAlert(alert: ConnectionAlert): RenderedMail {
  const { health } = alert;
  const facts: Array<[string, string]> = [
    ['QuickBooks company', alert.companyKey],
    ['Status', health.status],
  ];
  if (health.expiresAt) facts.push(['Syncing stops', `${health.expiresAt} (${health.daysLeft} days left)`]);
  if (health.life.refreshTokenExpiresAt) facts.push(['Refresh token expires', `${health.life.refreshTokenExpiresAt} (renewed by every token refresh)`]);
  if (health.life.refreshTokenHardExpiresAt) facts.push(['Connection hard limit', `${health.life.refreshTokenHardExpiresAt} (5 years after it was connected)`]);
  if (health.life.refreshedAt) facts.push(['Last token refresh', health.life.refreshedAt]);

  const doc: ReportDocument = {
    title: `QuickBooks connection ${HEADLINE[health.status]}`,
    banner: { tone: TONE[health.status], text: health.summary },
    sections: [
      { heading: 'Connection', blocks: [{ type: 'facts', rows: facts }] },
      { heading: 'What to do', blocks: [{ type: 'paragraph', text: health.fix }] },
      {
        heading: 'In Temporal',
        blocks: [
          { type: 'link', label: 'Open the connection guard in the Temporal UI', url: workflowRunUrl(alert.temporalUi, alert.workflowId, alert.runId) },
          { type: 'paragraph', text: 'Find every company whose connection needs attention with the search LedgerConnection != "Healthy".' },
        ],
      },
    ],
  };
  const when = health.status === 'Expiring' && health.expiresAt ? `on ${health.expiresAt.slice(0, 10)} (${health.daysLeft} days)` : '';
  return {
    subject: subjectLine('[Ledgerline] QuickBooks connection', HEADLINE[health.status], when, `for company ${alert.companyKey}`),
    text: renderText(doc),
    html: renderHtml(doc),
  };
}
