import { describe, expect, it } from 'vitest';
import { ApiError } from './problem';
import { retryDelay, shouldRetry } from './retry';

const limited = (retryAfter: number | null) =>
  new ApiError({
    status: 429,
    title: 'Too Many Requests',
    detail: 'Too many requests.',
    retryAfter,
  });

describe('the retry policy of reads', () => {
  it('waits out a brief rate limit as long as the server asks, three times at most', () => {
    expect(shouldRetry(0, limited(1))).toBe(true);
    expect(shouldRetry(2, limited(1))).toBe(true);
    expect(shouldRetry(3, limited(1))).toBe(false);
    expect(retryDelay(0, limited(2))).toBe(2000);
    expect(retryDelay(0, limited(0))).toBe(250);
  });

  it('takes a long wait, a used-up quota and other 4xx answers as final', () => {
    expect(shouldRetry(0, limited(3600))).toBe(false);
    expect(shouldRetry(0, limited(null))).toBe(false);
    const quota = new ApiError({
      status: 429,
      title: 'Quota exceeded',
      detail: 'You have used your jobs for today.',
      retryAfter: 5,
      quota: { quota: 'jobs_per_day', limit: 20, used: 20, resetAt: '2026-12-07T00:00:00Z' },
    });
    expect(shouldRetry(0, quota)).toBe(false);
    expect(shouldRetry(0, new ApiError({ status: 404, title: 'Not Found', detail: '' }))).toBe(
      false,
    );
  });

  it('tries other failures twice with a growing backoff', () => {
    const down = new ApiError({ status: 503, title: 'Service Unavailable', detail: '' });
    expect(shouldRetry(1, down)).toBe(true);
    expect(shouldRetry(2, down)).toBe(false);
    expect(retryDelay(1, down)).toBe(2000);
    expect(retryDelay(10, new Error('offline'))).toBe(30_000);
  });
});
