/** Codes a caller can act on; transports map them in one place each. */
export type ErrorCode =
  | 'validation_failed'
  | 'not_found'
  | 'cohort_closed'
  | 'idempotency_conflict'
  | 'unsupported_media_type'
  | 'payload_too_large'
  | 'rate_limited'
  | 'forbidden'
  | 'unauthorized'
  | 'conflict'
  | 'bad_request'
  | 'unavailable'
  | 'internal';

const httpStatus: Record<ErrorCode, number> = {
  validation_failed: 400,
  bad_request: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  cohort_closed: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  idempotency_conflict: 422,
  rate_limited: 429,
  internal: 500,
  unavailable: 503,
};

/** A domain error: a code, whether retrying can help, and per-field codes for bad input. */
export class AppError extends Error {
  readonly status: number;
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly options: {
      retryable?: boolean;
      fields?: Record<string, string>;
      retryAfterSeconds?: number;
    } = {},
  ) {
    super(message);
    this.name = 'AppError';
    this.status = httpStatus[code];
  }
  get retryable(): boolean {
    return this.options.retryable ?? this.status >= 500;
  }
  get fields(): Record<string, string> | undefined {
    return this.options.fields;
  }
}
