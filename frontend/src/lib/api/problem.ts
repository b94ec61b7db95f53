import type { FieldError, Problem } from './types';

/** An error the console can show: an RFC 9457 problem, or a network failure mapped to one. */
export class ApiError extends Error {
  readonly status: number;
  readonly title: string;
  readonly detail: string;
  readonly fieldErrors: FieldError[];
  readonly requestId: string | null;
  /** Seconds to wait before trying again (from Retry-After on 429/503). */
  readonly retryAfter: number | null;

  constructor(init: {
    status: number;
    title: string;
    detail: string;
    fieldErrors?: FieldError[];
    requestId?: string | null;
    retryAfter?: number | null;
  }) {
    super(init.detail || init.title);
    this.name = 'ApiError';
    this.status = init.status;
    this.title = init.title;
    this.detail = init.detail;
    this.fieldErrors = init.fieldErrors ?? [];
    this.requestId = init.requestId ?? null;
    this.retryAfter = init.retryAfter ?? null;
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
  const m = Math.ceil(s / 60);
  return `${m} minute${m === 1 ? '' : 's'}`;
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
