// When a failed read is tried again: the query client's retry policy.
import { ApiError } from './problem';

/** The longest wait a read takes on itself when the rate limiter asks for one. */
const SHORT_WAIT_SECONDS = 10;

/** A read refused for a moment (a burst over the rate limit), not for a used-up quota. */
function briefWait(error: unknown): number | null {
  if (!(error instanceof ApiError) || error.status !== 429 || error.quota) return null;
  const seconds = error.retryAfter;
  return seconds !== null && seconds <= SHORT_WAIT_SECONDS ? seconds : null;
}

/** Other 4xx answers are final; a brief rate limit is waited out, as the server asks. */
export function shouldRetry(failureCount: number, error: unknown) {
  if (briefWait(error) !== null) return failureCount < 3;
  if (error instanceof ApiError && error.status >= 400 && error.status < 500) return false;
  return failureCount < 2;
}

/** TanStack Query's own backoff, or the server's Retry-After for a brief rate limit. */
export function retryDelay(failureCount: number, error: unknown) {
  const seconds = briefWait(error);
  if (seconds !== null) return Math.max(seconds * 1000, 250);
  return Math.min(1000 * 2 ** failureCount, 30_000);
}
