import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { http, HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import { ReconnectNotice } from '@/components/connections/ReconnectNotice';
import type { Occurrence, Schedule, ScheduleRun } from '@/lib/api/types';
import { connection, serveConnections } from '@/test/connections';
import { metadata } from '@/test/metadata';
import { problem, renderWithProviders } from '@/test/render';
import { occurrenceOf, scheduleOf } from '@/test/schedules';
import { API, server } from '@/test/server';
import { SchedulerPage } from './SchedulerPage';

const ID = '00000000-0000-0000-0000-0000000000cc';
const VARIANT = '00000000-0000-0000-0000-0000000000dd';

const schedule = scheduleOf({
  id: ID,
  variant_id: VARIANT,
  next_run_at: '2030-01-14T12:00:00Z',
  last_run_at: '2030-01-07T12:00:01Z',
  upcoming: ['2030-01-14T12:00:00Z', '2030-01-21T12:00:00Z'],
});

function occurrence(at: string, status: string): Occurrence {
  return occurrenceOf(at, { schedule_id: ID, variant_id: VARIANT, status });
}

const run: ScheduleRun = {
  id: 'r-1',
  schedule_id: ID,
  occurrence_at: '2030-01-07T12:00:00Z',
  status: 'published',
  attempts: 1,
  late: false,
  missed: 0,
  attempt_log: [],
  published_at: '2030-01-07T12:00:01Z',
  created_at: '2030-01-07T12:00:00Z',
};

function handlers(state: { current: Schedule | null; patches: unknown[]; deleted: boolean }) {
  return [
    http.get(`${API}/me`, () =>
      HttpResponse.json({ id: 'u-1', email: 'a@example.com', role: 'user', created_at: '' }),
    ),
    http.get(`${API}/connectors/webhook`, () =>
      HttpResponse.json(problem(404, 'none'), { status: 404 }),
    ),
    http.get(`${API}/schedule/feed-token`, () =>
      HttpResponse.json(problem(404, 'No such calendar link.'), { status: 404 }),
    ),
    http.get(`${API}/schedule`, ({ request }) => {
      const url = new URL(request.url);
      expect(url.searchParams.get('from')).toBeTruthy();
      const items = state.current ? [state.current] : [];
      const paused = state.current?.status === 'paused';
      const occurrences = state.current
        ? [
            occurrence('2030-01-07T12:00:00Z', 'published'),
            occurrence('2030-01-14T12:00:00Z', paused ? 'paused' : 'scheduled'),
          ]
        : [];
      return HttpResponse.json({ items, occurrences });
    }),
    http.get(`${API}/schedule/${ID}`, () =>
      state.current
        ? HttpResponse.json(state.current)
        : HttpResponse.json(problem(404, 'No such schedule.'), { status: 404 }),
    ),
    http.get(`${API}/schedule/${ID}/runs`, () => HttpResponse.json({ items: [run] })),
    http.get(`${API}/variants/${VARIANT}`, () =>
      HttpResponse.json({
        id: VARIANT,
        job_id: 'j-1',
        channel: 'linkedin',
        content: 'Rye & Crumb moved to a four-day week.',
        metadata: metadata(),
        accepted: true,
        created_at: '',
        updated_at: '',
      }),
    ),
    http.patch(`${API}/schedule/${ID}`, async ({ request }) => {
      const body = (await request.json()) as { status?: 'active' | 'paused' };
      state.patches.push(body);
      state.current = { ...(state.current as Schedule), status: body.status ?? 'active' };
      return HttpResponse.json(state.current);
    }),
    http.delete(`${API}/schedule/${ID}`, () => {
      state.deleted = true;
      state.current = null;
      return new HttpResponse(null, { status: 204 });
    }),
  ];
}

describe('the Scheduler page', () => {
  it('shows the open posting slots faintly, and a Queue tab per account', async () => {
    const state = { current: schedule as Schedule | null, patches: [], deleted: false };
    serveConnections([connection()]);
    server.use(
      ...handlers(state),
      http.get(`${API}/queue/open-slots`, () =>
        HttpResponse.json({
          items: [
            {
              connection_id: connection().id,
              at: '2030-01-15T09:30:00Z',
              local_time: '2030-01-15T09:30',
              timezone: 'UTC',
            },
          ],
        }),
      ),
      http.get(`${API}/connections/:id/queue`, () =>
        HttpResponse.json({ connection_id: connection().id, timezone: 'UTC', items: [] }),
      ),
    );
    const user = userEvent.setup();
    renderWithProviders(<SchedulerPage />, { route: '/scheduler?date=2030-01-14&view=week' });
    const open = await within(await screen.findByTestId('calendar')).findByTestId('open-slot');
    await waitFor(() => expect(open).toHaveTextContent(/Open slot · @kyros/));
    expect(open.closest('[data-day]')).toHaveAttribute('data-day', '2030-01-15');
    expect(await screen.findByText(/Dashed: open posting slots/)).toBeInTheDocument();

    await user.click(screen.getByRole('tab', { name: 'Queue' }));
    expect(await screen.findByTestId('queue-view')).toBeInTheDocument();
    expect(await screen.findByText('No posting slots for @kyros yet')).toBeInTheDocument();
    expect(screen.queryByTestId('calendar-prev')).not.toBeInTheDocument();
  });

  it('shows occurrences by day in month, week and list tabs', async () => {
    const state = { current: schedule as Schedule | null, patches: [], deleted: false };
    server.use(...handlers(state));
    const user = userEvent.setup();
    renderWithProviders(<SchedulerPage />, { route: '/scheduler?date=2030-01-14' });

    const calendar = await screen.findByTestId('calendar');
    expect(screen.getByRole('tab', { name: 'Month' })).toHaveAttribute('aria-selected', 'true');
    expect(calendar).toHaveAttribute(
      'aria-labelledby',
      screen.getByRole('tab', { name: 'Month' }).id,
    );
    const chips = await within(calendar).findAllByTestId('occurrence');
    // The month grid and the selected day's agenda.
    expect(chips.map((c) => c.dataset.status)).toEqual(['published', 'scheduled', 'scheduled']);
    // Each post says which post it is: its first line, with its channel.
    for (const chip of chips) {
      expect(chip).toHaveTextContent('Rye & Crumb moved to a four-day week.');
      expect(chip).toHaveAccessibleName(/LinkedIn post at .*: “Rye & Crumb moved/);
    }
    expect(screen.getByTestId('schedule-first-line')).toHaveTextContent(
      'Rye & Crumb moved to a four-day week.',
    );
    expect(screen.getByTestId('calendar-title')).toHaveTextContent('January 2030');

    await user.click(screen.getByRole('tab', { name: 'Week' }));
    expect(screen.getByTestId('calendar-title')).toHaveTextContent(/Jan 14.*20, 2030/);
    expect(within(calendar).getAllByTestId('occurrence')).toHaveLength(1);

    screen.getByRole('tab', { name: 'Week' }).focus();
    await user.keyboard('{ArrowRight}');
    expect(screen.getByRole('tab', { name: 'List' })).toHaveFocus();
    expect(screen.getByRole('tab', { name: 'List' })).toHaveAttribute('aria-selected', 'true');
    expect(within(screen.getByTestId('schedule-list')).getAllByTestId('occurrence')).toHaveLength(
      2,
    );
    expect(screen.getByTestId('schedule-list')).toHaveTextContent('Every Monday at 12:00 UTC');

    await user.click(screen.getByTestId('calendar-next'));
    expect(screen.getByTestId('calendar-title')).toHaveTextContent('February 2030');
  });

  it('opens a schedule with its history, pauses it and deletes it after confirming', async () => {
    const state = {
      current: schedule as Schedule | null,
      patches: [] as unknown[],
      deleted: false,
    };
    server.use(...handlers(state));
    const user = userEvent.setup();
    renderWithProviders(<SchedulerPage />, { route: '/scheduler?date=2030-01-14&view=list' });

    const list = await screen.findByTestId('schedule-list');
    await user.click(within(list).getAllByTestId('occurrence')[1]);
    const details = await screen.findByRole('dialog', { name: 'LinkedIn post' });
    expect(details).toHaveTextContent('Every Monday at 12:00 UTC');
    expect(
      await within(details).findByText('Rye & Crumb moved to a four-day week.'),
    ).toBeInTheDocument();
    const runs = await within(details).findByTestId('run-list');
    expect(within(runs).getByText('Published')).toBeInTheDocument();

    await user.click(within(details).getByTestId('schedule-pause'));
    await waitFor(() => expect(state.patches).toEqual([{ status: 'paused' }]));
    expect(await screen.findByText('Schedule paused')).toBeInTheDocument();
    expect(within(details).getByTestId('schedule-pause')).toHaveTextContent('Resume');

    await user.click(within(details).getByTestId('schedule-delete'));
    expect(state.deleted).toBe(false);
    await user.click(within(details).getByTestId('schedule-delete-confirm'));
    await waitFor(() => expect(state.deleted).toBe(true));
    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument());
    expect(await screen.findByText('Nothing scheduled in January 2030')).toBeInTheDocument();
  });

  it('names the account a schedule publishes to, and links each published post', async () => {
    const account = connection();
    const state = {
      current: {
        ...schedule,
        channel: 'x',
        connector: 'account',
        connection_id: account.id,
      } as Schedule | null,
      patches: [] as unknown[],
      deleted: false,
    };
    server.use(...handlers(state));
    serveConnections([account]);
    server.use(
      http.get(`${API}/schedule/${ID}/runs`, () =>
        HttpResponse.json({
          items: [
            {
              ...run,
              published_url: 'https://x.com/kyros/status/1867',
              results: {
                likes: 12,
                reposts: 3,
                replies: 1,
                impressions: 1400,
                fetched_at: '2030-01-07T18:00:01Z',
                next_fetch_at: '2030-01-08T12:00:01Z',
              },
            },
            { ...run, id: 'r-3', published_url: 'https://x.com/kyros/status/1868' },
            {
              ...run,
              id: 'r-2',
              occurrence_at: '2029-12-31T12:00:00Z',
              status: 'failed',
              published_at: null,
              last_error: 'X refused the post',
            },
          ],
        }),
      ),
    );
    const user = userEvent.setup();
    renderWithProviders(<SchedulerPage />, { route: '/scheduler?date=2030-01-14&view=list' });

    const list = await screen.findByTestId('schedule-list');
    await user.click(within(list).getAllByTestId('occurrence')[1]);
    const details = await screen.findByRole('dialog', { name: 'X post' });
    await waitFor(() =>
      expect(within(details).getByTestId('schedule-target')).toHaveTextContent('@kyros on X'),
    );
    const runs = await within(details).findAllByTestId('run-row');
    const link = within(runs[0]).getByRole('link', { name: 'View post (opens in a new tab)' });
    expect(link).toHaveAttribute('href', 'https://x.com/kyros/status/1867');
    expect(link).toHaveAttribute('target', '_blank');
    expect(link).toHaveAttribute('rel', 'noopener noreferrer');
    // Beside the link, the post's counts as last read.
    expect(within(runs[0]).getByTestId('run-results')).toHaveTextContent(
      '12 likes · 3 reposts · 1 reply · 1,400 views · counted',
    );
    // A post not counted yet says when it will be.
    expect(within(runs[1]).getByTestId('run-results')).toHaveTextContent(
      'counted an hour after publishing',
    );
    // A run that did not publish has nothing to show.
    expect(within(runs[2]).queryByRole('link')).toBeNull();
    expect(within(runs[2]).queryByTestId('run-results')).toBeNull();

    // A reschedule keeps the account: it is named, not offered.
    await user.click(within(details).getByTestId('schedule-reschedule'));
    expect(await within(details).findByTestId('schedule-account')).toHaveTextContent('@kyros on X');
    expect(within(details).queryByLabelText('Publish through')).toBeNull();
  });

  it('follows an open schedule’s post out, and the calendar behind it with it', async () => {
    const state = { current: schedule as Schedule | null, patches: [], deleted: false };
    server.use(...handlers(state));
    // The scheduler has claimed the post: the first look finds it publishing, the next published.
    let looks = 0;
    const out = () => looks > 1;
    server.use(
      http.get(`${API}/schedule/${ID}/runs`, () => {
        looks += 1;
        return HttpResponse.json({
          items: [out() ? run : { ...run, status: 'publishing', published_at: null }],
        });
      }),
      http.get(`${API}/schedule`, () =>
        HttpResponse.json({
          items: [schedule],
          occurrences: [occurrence('2030-01-07T12:00:00Z', out() ? 'published' : 'publishing')],
        }),
      ),
    );
    renderWithProviders(<SchedulerPage />, {
      route: `/scheduler?date=2030-01-07&view=list&schedule=${ID}`,
    });

    const details = await screen.findByRole('dialog', { name: 'LinkedIn post' });
    const run0 = await within(details).findByTestId('run-row');
    expect(run0).toHaveTextContent('Publishing');
    const chip = within(screen.getByTestId('schedule-list')).getByTestId('occurrence');
    expect(chip).toHaveAttribute('data-status', 'publishing');

    await waitFor(
      () => expect(within(details).getByTestId('run-row')).toHaveTextContent('Published'),
      {
        timeout: 5_000,
      },
    );
    await waitFor(() =>
      expect(within(screen.getByTestId('schedule-list')).getByTestId('occurrence')).toHaveAttribute(
        'data-status',
        'published',
      ),
    );
  });

  it('reads the accounts again when a run changes, so a revoked one asks to be reconnected', async () => {
    const state = { current: schedule as Schedule | null, patches: [], deleted: false };
    server.use(...handlers(state));
    const accounts = serveConnections([connection()]);
    let looks = 0;
    server.use(
      http.get(`${API}/schedule/${ID}/runs`, () => {
        looks += 1;
        if (looks === 1)
          return HttpResponse.json({
            items: [{ ...run, status: 'publishing', published_at: null }],
          });
        // The attempt found the account's grant revoked, and marked the account so.
        accounts.items = [connection({ status: 'needs_reconnect' })];
        return HttpResponse.json({ items: [{ ...run, status: 'failed', published_at: null }] });
      }),
    );
    renderWithProviders(
      <>
        <ReconnectNotice />
        <SchedulerPage />
      </>,
      { route: `/scheduler?date=2030-01-07&view=list&schedule=${ID}` },
    );
    const details = await screen.findByRole('dialog', { name: 'LinkedIn post' });
    expect(await within(details).findByTestId('run-row')).toHaveTextContent('Publishing');
    expect(screen.queryByTestId('reconnect-notice')).not.toBeInTheDocument();
    await waitFor(
      () => expect(within(details).getByTestId('run-row')).toHaveTextContent('Failed'),
      {
        timeout: 5_000,
      },
    );
    expect(await screen.findByTestId('reconnect-notice')).toHaveTextContent('Reconnect @kyros');
  });

  it('makes a calendar link once and keeps showing it', async () => {
    const state = { current: null, patches: [], deleted: false };
    let made = 0;
    server.use(
      // The API knows a link exists once one is made.
      http.get(`${API}/schedule/feed-token`, () =>
        made > 0
          ? HttpResponse.json({ created_at: '2030-01-01T00:00:00Z', last_fetched_at: null })
          : HttpResponse.json(problem(404, 'No such calendar link.'), { status: 404 }),
      ),
      ...handlers(state),
      http.post(`${API}/schedule/feed-token`, () => {
        made += 1;
        return HttpResponse.json(
          { token: 'tok', url: 'http://localhost:8000/schedule.ics?token=tok' },
          { status: 201 },
        );
      }),
    );
    const user = userEvent.setup();
    const first = renderWithProviders(<SchedulerPage />, { route: '/scheduler' });
    await user.click(await screen.findByTestId('ical-create'));
    expect(await screen.findByTestId('ical-link')).toHaveValue(
      'http://localhost:8000/schedule.ics?token=tok',
    );
    first.unmount();

    renderWithProviders(<SchedulerPage />, { route: '/scheduler' });
    expect(await screen.findByTestId('ical-link')).toHaveValue(
      'http://localhost:8000/schedule.ics?token=tok',
    );
    expect(made).toBe(1);
  });

  it('imports a CSV file and lists the rows the API refused', async () => {
    const state = { current: null, patches: [], deleted: false };
    let sent = '';
    server.use(
      ...handlers(state),
      http.post(`${API}/schedule/import`, async ({ request }) => {
        expect(request.headers.get('content-type')).toBe('text/csv');
        sent = await request.text();
        return HttpResponse.json(
          problem(422, 'Your request has invalid fields.', [
            {
              field: 'rows[2].run_at',
              message: 'Row 2: 2020-01-01T09:00 is in the past. Use a date still to come.',
            },
            {
              field: 'rows[3].variant_id',
              message:
                'Row 3: None of your posts has this id. Copy the link from the post’s card again.',
            },
          ]),
          { status: 422 },
        );
      }),
    );
    const user = userEvent.setup();
    renderWithProviders(<SchedulerPage />, { route: '/scheduler' });
    await user.click(await screen.findByTestId('import-open'));
    const dialog = screen.getByRole('dialog', { name: 'Import schedules' });
    await user.click(within(dialog).getByTestId('import-submit'));
    expect(within(dialog).getByText('Choose a CSV file.')).toBeInTheDocument();

    const csv = 'variant_id,run_at,timezone\nabc,2020-01-01T09:00,UTC\n';
    await user.upload(
      within(dialog).getByLabelText('CSV file'),
      new File([csv], 'posts.csv', { type: 'text/csv' }),
    );
    await user.click(within(dialog).getByTestId('import-submit'));
    const errors = await within(dialog).findByTestId('import-errors');
    expect(sent).toBe(csv);
    expect(
      within(errors)
        .getAllByRole('listitem')
        .map((li) => li.textContent),
    ).toEqual([
      'Row 2: 2020-01-01T09:00 is in the past. Use a date still to come.',
      'Row 3: None of your posts has this id. Copy the link from the post’s card again.',
    ]);
  });
});
