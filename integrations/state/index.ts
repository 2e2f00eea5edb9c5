/** The product's own small durable state (latest checklist result, payment sync watermark), kept in Temporal. */
export { CompanyStateStore } from './company-state-store';
