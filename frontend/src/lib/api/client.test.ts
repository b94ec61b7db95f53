import { http, HttpResponse } from 'msw';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { startErrorReports } from '@/lib/errorReports';
import { API, server } from '@/test/server';
import { api } from './client';
import { resetSessionForTests, setTokens } from './session';
import { traceIdOf } from './traceparent';

afterEach(() => resetSessionForTests());

const TOKENS = {
  access_token: 'access-1',
  refresh_token: 'r',
  expires_in: 900,
  token_type: 'Bearer',
};

describe('the API client', () => {
  it('starts a trace for each call, and keeps it when it repeats a call with a new token', async () => {
    setTokens(TOKENS, null);
    const seen: Array<string | null> = [];
    let refused = false;
    server.use(
      http.get(`${API}/me`, ({ request }) => {
        seen.push(request.headers.get('traceparent'));
        if (!refused && request.headers.get('authorization') === 'Bearer access-1') {
          refused = true;
          return new HttpResponse(null, { status: 401 });
        }
        return HttpResponse.json({ id: 'u', email: 'e', role: 'user', created_at: '' });
      }),
      http.post(`${API}/auth/refresh`, () =>
        HttpResponse.json({ ...TOKENS, access_token: 'access-2' }),
      ),
    );
    await api.GET('/me');
    await api.GET('/me');
    const [first, repeat, next] = seen.map(traceIdOf);
    expect(first).toMatch(/^[0-9a-f]{32}$/);
    expect(repeat).toBe(first);
    expect(next).toMatch(/^[0-9a-f]{32}$/);
    expect(next).not.toBe(first);
  });

  it('reports a call the server failed with its problem, request id and trace', async () => {
    const sentry = { start: vi.fn(), captureRenderError: vi.fn(), captureApiFailure: vi.fn() };
    startErrorReports('https://key@errors.example/1', () => Promise.resolve(sentry));
    let traceparent: string | null = null;
    server.use(
      http.get(`${API}/jobs/:id`, ({ request }) => {
        traceparent = request.headers.get('traceparent');
        return HttpResponse.json(
          {
            type: 'about:blank',
            title: 'Internal Server Error',
            status: 500,
            request_id: 'req-1',
          },
          { status: 500, headers: { 'content-type': 'application/problem+json' } },
        );
      }),
      http.get(`${API}/jobs`, () =>
        HttpResponse.json({ type: 'about:blank', status: 404 }, { status: 404 }),
      ),
    );
    await api.GET('/jobs/{id}', {
      params: { path: { id: '0193a000-0000-7000-8000-00000000b002' } },
    });
    await api.GET('/jobs');
    await vi.waitFor(() => expect(sentry.captureApiFailure).toHaveBeenCalled());
    expect(sentry.captureApiFailure.mock.calls).toEqual([
      [
        {
          method: 'GET',
          path: '/jobs/{id}',
          status: 500,
          problemType: 'about:blank',
          requestId: 'req-1',
          traceId: traceIdOf(traceparent),
        },
      ],
    ]);
  });
});
