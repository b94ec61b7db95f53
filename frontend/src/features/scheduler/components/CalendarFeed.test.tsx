import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { http, HttpResponse } from 'msw';
import { afterEach, describe, expect, it } from 'vitest';
import { resetSessionForTests } from '@/lib/api/session';
import { problem, renderWithProviders } from '@/test/render';
import { API, server } from '@/test/server';
import { CalendarFeed } from './CalendarFeed';

afterEach(() => {
  resetSessionForTests();
  localStorage.clear();
});

function serve(status: unknown, created: { count: number }) {
  server.use(
    http.get(`${API}/me`, () =>
      HttpResponse.json({ id: 'u-1', email: 'a@example.com', role: 'user', created_at: '' }),
    ),
    http.get(`${API}/schedule/feed-token`, () =>
      status
        ? HttpResponse.json(status)
        : HttpResponse.json(problem(404, 'No such calendar link.'), { status: 404 }),
    ),
    http.post(`${API}/schedule/feed-token`, () => {
      created.count += 1;
      return HttpResponse.json(
        { token: 't-2', url: 'http://localhost:8000/schedule.ics?token=t-2' },
        { status: 201 },
      );
    }),
  );
}

describe('the calendar feed', () => {
  it('shows a link made on another device and asks before replacing it', async () => {
    const created = { count: 0 };
    serve(
      { created_at: '2026-12-01T09:00:00Z', last_fetched_at: new Date().toISOString() },
      created,
    );
    const user = userEvent.setup();
    renderWithProviders(<CalendarFeed />);

    expect(await screen.findByTestId('ical-exists')).toHaveTextContent('You have a calendar link');
    expect(screen.getByTestId('ical-status')).toHaveTextContent(
      'last fetched by a calendar app just now',
    );
    expect(screen.queryByTestId('ical-create')).not.toBeInTheDocument();

    await user.click(screen.getByTestId('ical-replace'));
    expect(created.count).toBe(0);
    expect(screen.getByText(/stops working in every calendar using it/)).toBeInTheDocument();
    await user.click(screen.getByTestId('ical-replace-confirm'));
    expect(await screen.findByTestId('ical-link')).toHaveValue(
      'http://localhost:8000/schedule.ics?token=t-2',
    );
    expect(created.count).toBe(1);
  });

  it('offers to create a link when there is none', async () => {
    const created = { count: 0 };
    serve(null, created);
    const user = userEvent.setup();
    renderWithProviders(<CalendarFeed />);
    await user.click(await screen.findByTestId('ical-create'));
    expect(await screen.findByTestId('ical-link')).toBeInTheDocument();
    expect(created.count).toBe(1);
  });
});
