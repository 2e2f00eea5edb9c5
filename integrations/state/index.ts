/** The product's own small durable state (latest checklist result, payment sync watermark, connection guard), kept in Temporal. */
export { CompanyStateStore } from './company-state-store';
export { ConnectionGuardStore } from './connection-guard-store';
