import { http, HttpResponse } from 'msw';
import { afterEach, describe, expect, it } from 'vitest';
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
});
