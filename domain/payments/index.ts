/** Matching accounting payments to PSA invoices: pure, shared by the workflow and activities. */
export * from './types';
export * from './reference';
export * from './match';
export * from './removed';
export * from './applications';
export * from './window';
export * from './summary';
