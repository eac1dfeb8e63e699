/** Codes a caller can act on; every transport maps them through the one table below. */
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

interface CodeMeaning {
  /** The HTTP status of the JSON error shape and of the pages. */
  http: number;
  /** Whether a job that threw it should run again (a permanent error fails the job for good). */
  retry: boolean;
  /** What the dashboard and Slack say to staff, unless the error brings its own words. */
  he: string;
}

/** The only place that knows HTTP statuses, retry-or-not and the words staff see for each code. */
export const ERROR_CODES: Record<ErrorCode, CodeMeaning> = {
  validation_failed: { http: 400, retry: false, he: 'חלק מהשדות אינם תקינים.' },
  bad_request: { http: 400, retry: false, he: 'הבקשה אינה תקינה.' },
  unauthorized: { http: 401, retry: false, he: 'נדרשת כניסה למערכת.' },
  forbidden: { http: 403, retry: false, he: 'אין הרשאה לבצע את הפעולה הזו.' },
  not_found: { http: 404, retry: false, he: 'הפריט המבוקש לא נמצא (ייתכן שהמידע נמחק).' },
  conflict: { http: 409, retry: false, he: 'הפעולה אינה אפשרית במצב הנוכחי של הבקשה.' },
  cohort_closed: { http: 409, retry: false, he: 'ההרשמה למחזור הזה סגורה.' },
  payload_too_large: { http: 413, retry: false, he: 'הבקשה גדולה מדי.' },
  unsupported_media_type: { http: 415, retry: false, he: 'סוג התוכן אינו נתמך.' },
  idempotency_conflict: { http: 422, retry: false, he: 'מפתח החזרה כבר שימש לבקשה אחרת.' },
  // A remote that throttles us will take the call later, whether or not it said when.
  rate_limited: { http: 429, retry: true, he: 'יותר מדי בקשות ברגע זה. אפשר לנסות שוב בעוד כמה דקות.' },
  internal: { http: 500, retry: true, he: 'אירעה תקלה. הצוות הטכני קיבל הודעה.' },
  unavailable: { http: 503, retry: true, he: 'השירות אינו זמין כרגע. אפשר לנסות שוב בעוד כמה דקות.' },
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
      /** Words for staff more precise than the code's own (e.g. why a vote was refused). */
      he?: string;
    } = {},
  ) {
    super(message);
    this.name = 'AppError';
    this.status = ERROR_CODES[code].http;
  }
  get retryable(): boolean {
    return this.options.retryable ?? ERROR_CODES[this.code].retry;
  }
  get fields(): Record<string, string> | undefined {
    return this.options.fields;
  }
  /** The Hebrew sentence the dashboard and Slack show. */
  get staffText(): string {
    return this.options.he ?? ERROR_CODES[this.code].he;
  }
}

/** Shorthands for the codes use cases throw most. */
export const notFound = (what: string, he?: string) =>
  new AppError('not_found', `no such ${what}`, he ? { he } : {});
export const conflict = (message: string, he?: string) => new AppError('conflict', message, he ? { he } : {});
export const forbidden = (message: string, he?: string) =>
  new AppError('forbidden', message, he ? { he } : {});
