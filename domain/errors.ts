/**
 * One small error taxonomy for the whole product. Business errors name the record and the fix and are
 * never retried; infrastructure errors are retried by Temporal. Activities turn these into
 * `ApplicationFailure`s with the same `type`, so the UI and the workflow see the same names.
 */

export const BUSINESS_ERROR_TYPES = [
  'InvalidInput',
  'MappingMissing',
  'MappingInvalid',
  'AccountNotFound',
  'AccountTypeMismatch',
  'ReferenceNotFound',
  'ValidationRejected',
  'Unbalanced',
  'AuthenticationFailed',
  'PermissionDenied',
  'NotFound',
  'Conflict',
  'ResponseShapeMismatch',
  'ChecklistNotPassed',
  /** A PSA record that routes to no accounting company, or to several. */
  'Unrouted',
] as const;

export const TRANSIENT_ERROR_TYPES = ['RateLimited', 'Unavailable', 'Timeout'] as const;

/** Business errors of the whole connection, not of one record: they stop a batch instead of failing a record. */
export const BATCH_STOPPING_ERROR_TYPES = ['AuthenticationFailed', 'PermissionDenied', 'ResponseShapeMismatch'] as const;

export type BusinessErrorType = (typeof BUSINESS_ERROR_TYPES)[number];
export type TransientErrorType = (typeof TRANSIENT_ERROR_TYPES)[number];
export type LedgerErrorType = BusinessErrorType | TransientErrorType;

export interface LedgerErrorOptions {
  /** What a person should do about it; shown in reports next to the message. */
  fix?: string;
  /** Which record the error is about, e.g. "Invoice 10042". */
  record?: string;
  /** For rate limits: how long the server asked us to wait. */
  retryAfterMs?: number;
  /** Small, secret-free facts for logs and history (codes, ids, field names). */
  details?: Record<string, unknown>;
  cause?: unknown;
}

export class LedgerError extends Error {
  readonly type: LedgerErrorType;
  readonly fix?: string;
  readonly record?: string;
  readonly retryAfterMs?: number;
  readonly details?: Record<string, unknown>;

  constructor(type: LedgerErrorType, message: string, options: LedgerErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = type;
    this.type = type;
    this.fix = options.fix;
    this.record = options.record;
    this.retryAfterMs = options.retryAfterMs;
    this.details = options.details;
  }

  get retryable(): boolean {
    return (TRANSIENT_ERROR_TYPES as readonly string[]).includes(this.type);
  }
}

export function isLedgerError(err: unknown): err is LedgerError {
  return err instanceof LedgerError;
}

/** A record's failure as data (RecordOutcome), small enough for workflow history. */
export interface RecordError {
  type: LedgerErrorType;
  message: string;
  fix: string;
}

export function toRecordError(err: LedgerError): RecordError {
  return { type: err.type, message: err.message, fix: err.fix ?? 'See the message.' };
}

/**
 * Record-level business errors are outcomes (the record stays unposted, the batch goes on);
 * anything transient, or a failure of the whole connection, is rethrown.
 */
export function recordErrorOrThrow(err: unknown): RecordError {
  if (isLedgerError(err) && !err.retryable && !(BATCH_STOPPING_ERROR_TYPES as readonly string[]).includes(err.type)) return toRecordError(err);
  throw err;
}
