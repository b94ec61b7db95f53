import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { renderHook, waitFor } from '@testing-library/react';
import { http, HttpResponse } from 'msw';
import type { ReactNode } from 'react';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { Occurrence, ScheduleList } from '@/lib/api/types';
import { storageKeys } from '@/lib/storage';
import { occurrenceOf, scheduleOf } from '@/test/schedules';
import { API, server } from '@/test/server';
import { scheduleKeys } from './keys';
import { useReportPublished } from './useReportPublished';

const analytics = vi.hoisted(() => ({ enabled: true, track: vi.fn() }));
vi.mock('@/lib/analytics', () => ({
  track: analytics.track,
  useAnalyticsEnabled: () => analytics.enabled,
}));

const USER = '00000000-0000-0000-0000-0000000000e1';
const SCHEDULE = '00000000-0000-0000-0000-0000000000cc';
const KEY = storageKeys.publishedReported(USER);

function published(at: string): Occurrence {
  return occurrenceOf(at, { schedule_id: SCHEDULE, channel: 'x', status: 'published' });
}

/** Answers the calendar with these published posts, counting the requests. */
function serveCalendar(occurrences: () => Occurrence[]) {
  const requests: URL[] = [];
  server.use(
    http.get(`${API}/schedule`, ({ request }) => {
      requests.push(new URL(request.url));
      const list: ScheduleList = {
        items: [scheduleOf({ id: SCHEDULE, channel: 'x', connector: 'file' })],
        occurrences: occurrences(),
      };
      return HttpResponse.json(list);
    }),
  );
  return requests;
}

function renderReporter() {
  const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  const wrapper = ({ children }: { children: ReactNode }) => (
    <QueryClientProvider client={client}>{children}</QueryClientProvider>
  );
  return { client, ...renderHook(() => useReportPublished(USER), { wrapper }) };
}

describe('useReportPublished', () => {
  beforeEach(() => {
    analytics.enabled = true;
    analytics.track.mockClear();
  });

  it('fetches nothing while analytics are off, and forgets what it had reported', async () => {
    analytics.enabled = false;
    localStorage.setItem(KEY, JSON.stringify({ after: '2030-01-01T00:00:00Z', seen: [] }));
    const requests = serveCalendar(() => []);
    renderReporter();
    await waitFor(() => expect(localStorage.getItem(KEY)).toBeNull());
    expect(requests).toEqual([]);
  });

  it('reports the posts published after its first look, once', async () => {
    const now = Date.now();
    const earlier = published(new Date(now - 3600_000).toISOString());
    const later = published(new Date(now - 60_000).toISOString());
    let occurrences = [earlier];
    const requests = serveCalendar(() => occurrences);
    const { client } = renderReporter();
    await waitFor(() => expect(localStorage.getItem(KEY)).not.toBeNull());
    expect(requests[0].searchParams.get('from')).toBeTruthy();
    expect(analytics.track).not.toHaveBeenCalled();

    occurrences = [earlier, later];
    await client.invalidateQueries({ queryKey: scheduleKeys.calendars() });
    await waitFor(() =>
      expect(analytics.track).toHaveBeenCalledExactlyOnceWith('published', {
        channel: 'x',
        connector: 'file',
      }),
    );
  });
});
