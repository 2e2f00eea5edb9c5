/** The mail integration: the SMTP mailer and the report templates the workflows' summaries fill. */
export { createMailer, type Mailer, type MailMessage, type MailLogger } from './transport';
export { mailerConfigSchema, parseMailerConfig, type MailerConfig, type MailerConfigInput } from './config';
export * from './report-types';
export { workflowRunUrl } from './temporal-link';
export type { RenderedMail } from './templates/document';
export { renderBatchReport } from './templates/batch-report';
export { renderChecklistReport } from './templates/checklist-report';
export { renderPaymentSyncReport } from './templates/payment-sync-report';
export { renderConnectionAlert, type ConnectionAlert } from './templates/connection-alert';
export { renderReversalReport } from './templates/reversal-report';
