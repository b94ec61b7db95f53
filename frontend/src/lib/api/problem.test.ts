import { http, HttpResponse } from 'msw';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { API, server } from '@/test/server';
import { checksFailed, problem } from '@/test/render';
import { api, unwrap } from './client';
import { ApiError, networkError, parseRetryAfter, quotaMessage, toApiError } from './problem';
import { resetSessionForTests, setTokens } from './session';

afterEach(() => resetSessionForTests());

describe('toApiError', () => {
  it('maps an RFC 9457 problem with field errors', () => {
    const err = toApiError(
      problem(422, 'Fix the fields listed in `errors` and try again.', [
        { field: 'source.content', message: 'paste some text to repurpose' },
        { field: 'name', message: 'must be 1 to 200 characters' },
      ]),
      new Response(null, { status: 422 }),
    );
    expect(err).toBeInstanceOf(ApiError);
    expect(err.status).toBe(422);
    expect(err.requestId).toBe('req-1');
    expect(err.fieldMap()).toEqual({
      'source.content': 'paste some text to repurpose',
      name: 'must be 1 to 200 characters',
    });
    expect(err.userMessage).toBe('Fix the fields listed in `errors` and try again.');
  });

  it('tells the user when to try again on 429', () => {
    const err = toApiError(
      problem(429, 'Too many requests.'),
      new Response(null, { status: 429, headers: { 'retry-after': '30' } }),
    );
    expect(err.retryAfter).toBe(30);
    expect(err.userMessage).toBe('Too many requests. Try again in 30 seconds.');
  });

  it('says which quota is used up and when it resets', () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2026-12-01T21:00:00Z'));
    try {
      const err = toApiError(
        {
          ...problem(429, 'You have used your 50 jobs today; the allowance resets at …'),
          quota: 'jobs_per_day',
          limit: 50,
          used: 50,
          reset_at: '2026-12-02T00:00:00Z',
        },
        new Response(null, { status: 429, headers: { 'retry-after': '10800' } }),
      );
      expect(err.quota).toEqual({
        quota: 'jobs_per_day',
        limit: 50,
        used: 50,
        resetAt: '2026-12-02T00:00:00Z',
      });
      expect(err.userMessage).toBe(
        'You have used today’s 50 jobs; the quota resets at 00:00 UTC (in 3 h).',
      );
    } finally {
      vi.useRealTimers();
    }
  });

  it('gives the day a monthly quota resets on', () => {
    const now = Date.parse('2026-12-20T12:30:00Z');
    expect(
      quotaMessage(
        {
          quota: 'chars_per_month',
          limit: 200_000,
          used: 201_532,
          resetAt: '2027-01-01T00:00:00Z',
        },
        null,
        now,
      ),
    ).toBe(
      'You have used this month’s 200,000 generated characters; the quota resets on Jan 1 at 00:00 UTC (in 11 d 12 h).',
    );
  });

  it('keeps the rate-limit wait for a 429 without quota figures', () => {
    const err = toApiError(
      problem(429, 'Too many requests.'),
      new Response(null, { status: 429, headers: { 'retry-after': '7200' } }),
    );
    expect(err.quota).toBeNull();
    expect(err.userMessage).toBe('Too many requests. Try again in 2 h.');
  });

  it('keeps the checks a refused post fails', () => {
    const check = {
      rule: 'x.max_weighted_length',
      severity: 'error',
      message: 'Post 1 is 398 characters; X allows 280.',
    };
    const err = toApiError(checksFailed('accepted', [check]), new Response(null, { status: 422 }));
    expect(err.checks).toEqual([check]);
    expect(err.fieldMap()).toHaveProperty('accepted');
    expect(toApiError(problem(422, 'Invalid.'), undefined).checks).toEqual([]);
  });

  it('gives a readable message for a non-problem server error', () => {
    const err = toApiError('<html>bad gateway</html>', new Response(null, { status: 502 }));
    expect(err.status).toBe(502);
    expect(err.userMessage).toMatch(/server had a problem/);
  });

  it('maps a network failure to status 0', () => {
    const err = networkError(new TypeError('Failed to fetch'));
    expect(err.status).toBe(0);
    expect(err.userMessage).toMatch(/Could not reach the Kyros API/);
  });

  it('parses Retry-After dates', () => {
    const now = Date.parse('2026-01-01T00:00:00Z');
    expect(parseRetryAfter('Thu, 01 Jan 2026 00:02:00 GMT', now)).toBe(120);
    expect(parseRetryAfter(null)).toBeNull();
  });
});

describe('API client', () => {
  it('throws an ApiError carrying the server field errors', async () => {
    server.use(
      http.post(`${API}/auth/register`, () =>
        HttpResponse.json(problem(422, 'Fix the fields.', [{ field: 'email', message: 'taken' }]), {
          status: 422,
          headers: { 'content-type': 'application/problem+json' },
        }),
      ),
    );
    const err = await unwrap(
      api.POST('/auth/register', { body: { email: 'a@b.co', password: 'x' } }),
    ).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect((err as ApiError).fieldMap()).toEqual({ email: 'taken' });
  });

  it('refreshes once on 401 and repeats the request with the new token', async () => {
    setTokens(
      { access_token: 'old', refresh_token: 'r1', token_type: 'Bearer', expires_in: 900 },
      null,
    );
    const seen: string[] = [];
    server.use(
      http.get(`${API}/me`, ({ request }) => {
        const auth = request.headers.get('authorization') ?? '';
        seen.push(auth);
        if (auth !== 'Bearer new')
          return HttpResponse.json(problem(401, 'expired'), { status: 401 });
        return HttpResponse.json({
          id: 'u1',
          email: 'a@b.co',
          role: 'user',
          created_at: '2026-01-01T00:00:00Z',
        });
      }),
      http.post(`${API}/auth/refresh`, async ({ request }) => {
        const body = (await request.json()) as { refresh_token: string };
        expect(body.refresh_token).toBe('r1');
        return HttpResponse.json({
          access_token: 'new',
          refresh_token: 'r2',
          token_type: 'Bearer',
          expires_in: 900,
        });
      }),
    );
    const me = await unwrap(api.GET('/me'));
    expect(me.email).toBe('a@b.co');
    expect(seen).toEqual(['Bearer old', 'Bearer new']);
    expect(localStorage.getItem('kyros.refresh_token')).toBe('r2');
  });

  it('signs out when the refresh token is rejected', async () => {
    setTokens(
      { access_token: 'old', refresh_token: 'reused', token_type: 'Bearer', expires_in: 900 },
      null,
    );
    server.use(
      http.get(`${API}/me`, () => HttpResponse.json(problem(401, 'expired'), { status: 401 })),
      http.post(`${API}/auth/refresh`, () =>
        HttpResponse.json(problem(401, 'reused'), { status: 401 }),
      ),
    );
    const err = await unwrap(api.GET('/me')).catch((e: unknown) => e);
    expect((err as ApiError).status).toBe(401);
    expect(localStorage.getItem('kyros.refresh_token')).toBeNull();
  });
});
