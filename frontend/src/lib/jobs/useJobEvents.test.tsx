import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { renderHook, waitFor } from '@testing-library/react';
import { http, HttpResponse } from 'msw';
import type { ReactNode } from 'react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { resetSessionForTests, setTokens } from '@/lib/api/session';
import { API, server } from '@/test/server';
import { useJob } from './queries';

const job = {
  id: 'j-1',
  name: 'Spring launch',
  status: 'queued',
  source: null,
  channels: ['x'],
  preset_id: null,
  failure_reason: null,
  provider: null,
  provider_note: null,
  cost_estimate: null,
  attempts: 0,
  created_at: '2026-11-20T10:00:00Z',
  updated_at: '2026-11-20T10:00:00Z',
};
const variant = { id: 'v-1', job_id: 'j-1', channel: 'x', content: 'Hello', accepted: false };

function statusFrame(status: string, seconds: number) {
  const data = { ...job, status, updated_at: `2026-11-20T10:00:0${seconds}Z` };
  return `event: status\ndata: ${JSON.stringify(data)}\n\n`;
}

function wrapper({ children }: { children: ReactNode }) {
  const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  return <QueryClientProvider client={client}>{children}</QueryClientProvider>;
}

beforeEach(() => {
  setTokens({
    access_token: 'access-1',
    refresh_token: 'r',
    expires_in: 900,
    token_type: 'Bearer',
  });
});
afterEach(() => resetSessionForTests());

describe('useJob with the events stream', () => {
  it('follows the stream instead of polling, then fetches the variants once generation ends', async () => {
    const detailRequests: string[] = [];
    const eventRequests: Array<string | null> = [];
    let finished = false;
    let sendReview: () => void = () => undefined;
    server.use(
      http.get(`${API}/jobs/j-1`, () => {
        detailRequests.push(finished ? 'after' : 'before');
        return HttpResponse.json(
          finished
            ? { ...job, status: 'needs_review', variants: [variant] }
            : { ...job, variants: [] },
        );
      }),
      http.get(`${API}/jobs/j-1/events`, ({ request }) => {
        eventRequests.push(request.headers.get('authorization'));
        const encoder = new TextEncoder();
        const body = new ReadableStream<Uint8Array>({
          start(controller) {
            controller.enqueue(encoder.encode(statusFrame('queued', 0)));
            controller.enqueue(encoder.encode(': keep-alive\n\n' + statusFrame('running', 1)));
            sendReview = () => {
              finished = true;
              controller.enqueue(encoder.encode(statusFrame('needs_review', 2)));
              controller.close();
            };
          },
        });
        return new HttpResponse(body, { headers: { 'content-type': 'text/event-stream' } });
      }),
    );

    const { result } = renderHook(() => useJob('j-1'), { wrapper });

    await waitFor(() => expect(result.current.data?.status).toBe('running'));
    expect(eventRequests).toEqual(['Bearer access-1']);
    // Well past the polling interval: the open stream replaces polling.
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(detailRequests).toEqual(['before']);
    expect(result.current.data?.updated_at).toBe('2026-11-20T10:00:01Z');

    sendReview();
    await waitFor(() => expect(result.current.data?.variants).toHaveLength(1));
    expect(result.current.data?.status).toBe('needs_review');
    expect(detailRequests).toEqual(['before', 'after']);
    expect(eventRequests).toHaveLength(1);
  });

  it('falls back to polling when the stream is refused', async () => {
    let detailRequests = 0;
    server.use(
      http.get(`${API}/jobs/j-1`, () => {
        detailRequests += 1;
        const status = detailRequests >= 3 ? 'needs_review' : 'running';
        return HttpResponse.json({ ...job, status, variants: [] });
      }),
      http.get(`${API}/jobs/j-1/events`, () =>
        HttpResponse.json({ status: 503, title: 'Unavailable' }, { status: 503 }),
      ),
    );

    const { result } = renderHook(() => useJob('j-1'), { wrapper });

    await waitFor(() => expect(result.current.data?.status).toBe('needs_review'), {
      timeout: 4000,
    });
    expect(detailRequests).toBe(3);
  });
});
