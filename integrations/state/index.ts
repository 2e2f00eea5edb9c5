/** The product's own small durable state (latest checklist result, payment sync watermark). */
export { checklistStateFile, readLatestChecklistStatus, recordLatestChecklistStatus } from './checklist-status';
export { advancePaymentWatermark, paymentWatermarkFile, readPaymentWatermark } from './payment-watermark';
