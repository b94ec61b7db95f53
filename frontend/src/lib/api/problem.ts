import { formatCount, formatDuration } from '@/lib/format';
import type { FailedCheck, FieldError, Problem } from './types';

/** The figures of a refused request whose usage quota is used up (429 `quota-exceeded`). */
export type QuotaRefusal = {
  /** Which quota: `jobs_per_day` or `chars_per_month`. */
  quota: string;
  limit: number;
  used: number;
  /** When the quota's period ends (RFC 3339). */
  resetAt: string;
};

/** The problem type of a post refused because it fails its checks (lint errors, or warnings). */
const CHECKS_FAILED = 'https://kyros.dev/problems/checks-failed';

/** An error the console can show: an RFC 9457 problem, or a network failure mapped to one. */
export class ApiError extends Error {
  readonly status: number;
  readonly title: string;
  readonly detail: string;
  readonly fieldErrors: FieldError[];
  readonly requestId: string | null;
  /** Seconds to wait before trying again (from Retry-After on 429/503). */
  readonly retryAfter: number | null;
  /** Set when a usage quota, not a rate limit, refused the request. */
  readonly quota: QuotaRefusal | null;
  /** The checks a post fails when that is why it was refused (422 `checks-failed`); else empty. */
  readonly checks: FailedCheck[];

  constructor(init: {
    status: number;
    title: string;
    detail: string;
    fieldErrors?: FieldError[];
    requestId?: string | null;
    retryAfter?: number | null;
    quota?: QuotaRefusal | null;
    checks?: FailedCheck[];
  }) {
    super(init.detail || init.title);
    this.name = 'ApiError';
    this.status = init.status;
    this.title = init.title;
    this.detail = init.detail;
    this.fieldErrors = init.fieldErrors ?? [];
    this.requestId = init.requestId ?? null;
    this.retryAfter = init.retryAfter ?? null;
    this.quota = init.quota ?? null;
    this.checks = init.checks ?? [];
  }

  /** Field errors keyed by the field's path (e.g. `source.content`). */
  fieldMap(): Record<string, string> {
    const out: Record<string, string> = {};
    for (const e of this.fieldErrors) {
      if (!(e.field in out)) out[e.field] = e.message;
    }
    return out;
  }

  /** A sentence a person can read, with the retry hint for rate limits. */
  get userMessage(): string {
    if (this.status === 429) {
      if (this.quota) return quotaMessage(this.quota, this.retryAfter);
      const wait =
        this.retryAfter !== null
          ? `Try again in ${formatSeconds(this.retryAfter)}.`
          : 'Try again shortly.';
      return `${this.detail || 'Too many requests.'} ${wait}`;
    }
    return this.detail || this.title;
  }
}

function formatSeconds(s: number): string {
  if (s < 60) return `${s} second${s === 1 ? '' : 's'}`;
  if (s >= 3600) return formatDuration(s);
  const m = Math.ceil(s / 60);
  return `${m} minute${m === 1 ? '' : 's'}`;
}

const utcClock = new Intl.DateTimeFormat(undefined, {
  timeZone: 'UTC',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});
const utcDay = new Intl.DateTimeFormat(undefined, {
  timeZone: 'UTC',
  month: 'short',
  day: 'numeric',
});

/**
 * "You have used today's 50 jobs; the quota resets at 00:00 UTC (in 3 h)." The wait is counted
 * from now, so a message read later still tells the truth; `Retry-After` is the fallback.
 */
export function quotaMessage(
  refusal: QuotaRefusal,
  retryAfter: number | null,
  now: number = Date.now(),
): string {
  const what =
    refusal.quota === 'jobs_per_day'
      ? `today’s ${formatCount(refusal.limit)} jobs`
      : refusal.quota === 'chars_per_month'
        ? `this month’s ${formatCount(refusal.limit)} generated characters`
        : `your allowance of ${formatCount(refusal.limit)}`;
  const reset = Date.parse(refusal.resetAt);
  if (Number.isNaN(reset)) return `You have used ${what}. Try again later.`;
  const when =
    refusal.quota === 'jobs_per_day'
      ? `at ${utcClock.format(reset)} UTC`
      : `on ${utcDay.format(reset)} at ${utcClock.format(reset)} UTC`;
  const seconds = reset > now ? (reset - now) / 1000 : (retryAfter ?? 0);
  return `You have used ${what}; the quota resets ${when} (in ${formatDuration(seconds)}).`;
}

function quotaOf(body: Record<string, unknown>): QuotaRefusal | null {
  const { quota, limit, used, reset_at: resetAt } = body;
  if (typeof quota !== 'string' || typeof limit !== 'number' || typeof resetAt !== 'string') {
    return null;
  }
  return { quota, limit, used: typeof used === 'number' ? used : limit, resetAt };
}

function isProblem(body: unknown): body is Problem {
  return (
    typeof body === 'object' &&
    body !== null &&
    'status' in body &&
    'title' in body &&
    typeof (body as { title: unknown }).title === 'string'
  );
}

/** Parses Retry-After: either delta-seconds or an HTTP date. */
export function parseRetryAfter(value: string | null, now: number = Date.now()): number | null {
  if (!value) return null;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed);
  const date = Date.parse(trimmed);
  if (Number.isNaN(date)) return null;
  return Math.max(0, Math.ceil((date - now) / 1000));
}

/** Maps an error body (usually application/problem+json) and its response to an ApiError. */
export function toApiError(body: unknown, response: Response | undefined): ApiError {
  const status = response?.status ?? 0;
  const retryAfter = parseRetryAfter(response?.headers.get('retry-after') ?? null);
  const requestId = response?.headers.get('x-request-id') ?? null;
  if (isProblem(body)) {
    return new ApiError({
      status: body.status || status,
      title: body.title,
      detail: body.detail ?? '',
      fieldErrors: Array.isArray(body.errors) ? body.errors : [],
      requestId: body.request_id ?? requestId,
      retryAfter,
      quota: quotaOf(body as Record<string, unknown>),
      checks: body.type === CHECKS_FAILED && Array.isArray(body.checks) ? body.checks : [],
    });
  }
  return new ApiError({
    status,
    title: response?.statusText || 'Request failed',
    detail:
      status >= 500
        ? 'The server had a problem handling this request. Please try again.'
        : `The request failed (HTTP ${status}).`,
    requestId,
    retryAfter,
  });
}

/** Maps anything thrown by fetch (offline, CORS, aborted) to an ApiError with status 0. */
export function networkError(cause: unknown): ApiError {
  if (cause instanceof ApiError) return cause;
  return new ApiError({
    status: 0,
    title: 'Cannot reach the server',
    detail:
      'Could not reach the Kyros API. Check your connection and try again — your input has been kept.',
  });
}
