import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { http, HttpResponse } from 'msw';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Kpis } from '@/lib/api/types';
import { connection, serveConnections } from '@/test/connections';
import { problem, renderWithProviders } from '@/test/render';
import { API, server } from '@/test/server';
import { DashboardPage } from './DashboardPage';

const NOW = new Date('2026-12-01T15:30:00Z');
/** Tests that wait for the lazily loaded charts: the chunk's first import and five charts
 * rendered in jsdom take a while on a busy machine. */
const CHART_TEST_TIMEOUT = 15_000;

function kpis(overrides: Partial<Kpis> = {}): Kpis {
  return {
    from: '2026-11-02T00:00:00Z',
    to: '2026-12-02T00:00:00Z',
    jobs: { total: 4, draft: 0, queued: 1, running: 0, needs_review: 1, done: 1, failed: 1 },
    variants: {
      generated: 6,
      accepted: 3,
      acceptance_rate: 0.5,
      by_channel: [
        { channel: 'linkedin', generated: 2, accepted: 2, acceptance_rate: 1 },
        { channel: 'x', generated: 4, accepted: 1, acceptance_rate: 0.25 },
      ],
    },
    median_seconds_to_review: 4.2,
    median_seconds_to_accept: 2 * 3600 + 5 * 60,
    posts: {
      published: 3,
      published_late: 1,
      failed: 2,
      upcoming: 5,
      next_at: '2026-12-03T09:00:00Z',
    },
    generations_by_provider: [
      { provider: 'local', jobs: 2 },
      { provider: 'openai', jobs: 1 },
    ],
    daily: [
      { date: '2026-11-30', jobs_created: 1, variants_accepted: 0, posts_published: 2 },
      { date: '2026-12-01', jobs_created: 3, variants_accepted: 3, posts_published: 1 },
    ],
    results: {
      posts: 2,
      by_network: [
        { network: 'x', posts: 1, likes: 9, reposts: 3, replies: 4, impressions: 300 },
        { network: 'mastodon', posts: 1, likes: 2, reposts: 1, replies: 0, impressions: null },
      ],
      top_posts: [
        topPost('r-1', 'x', 'Rye & Crumb moved to a four-day week.', [9, 3, 4, 300]),
        topPost('r-2', 'mastodon', 'Bakers now start later.', [2, 1, 0, null]),
      ],
    },
    ...overrides,
  };
}

function topPost(
  id: string,
  network: 'x' | 'mastodon',
  firstLine: string,
  [likes, reposts, replies, impressions]: [number, number, number, number | null],
): Kpis['results']['top_posts'][number] {
  return {
    run_id: id,
    schedule_id: `s-${id}`,
    network,
    channel: network,
    first_line: firstLine,
    published_at: '2026-11-30T09:00:00Z',
    published_url: `https://${network}.example/posts/${id}`,
    engagements: likes + reposts + replies,
    results: {
      likes,
      reposts,
      replies,
      impressions,
      fetched_at: '2026-12-01T09:00:00Z',
      next_fetch_at: '2026-12-03T09:00:00Z',
    },
  };
}

/** Answers `GET /kpis` with `body` and records each request's window. */
function serveKpis(body: Kpis) {
  const windows: Array<{ from: string | null; to: string | null }> = [];
  server.use(
    http.get(`${API}/kpis`, ({ request }) => {
      const url = new URL(request.url);
      windows.push({ from: url.searchParams.get('from'), to: url.searchParams.get('to') });
      return HttpResponse.json(body);
    }),
  );
  return windows;
}

function card(name: string) {
  return within(screen.getByTestId(`kpi-${name}`));
}

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(NOW);
  server.use(
    http.get(`${API}/usage`, () =>
      HttpResponse.json({
        role: 'user',
        jobs_per_day: { used: 3, limit: 50, remaining: 47, resets_at: '2026-12-02T00:00:00Z' },
        chars_per_month: {
          used: 1200,
          limit: null,
          remaining: null,
          resets_at: '2027-01-01T00:00:00Z',
        },
      }),
    ),
  );
});

afterEach(() => vi.useRealTimers());

describe('Dashboard', () => {
  it('shows the figures the API computed', async () => {
    serveKpis(kpis());
    renderWithProviders(<DashboardPage />);

    expect(screen.getByText('Loading the dashboard…')).toBeInTheDocument();
    expect(await screen.findByTestId('kpi-cards')).toBeInTheDocument();
    expect(screen.getByText('Nov 2 – Dec 1, 2026, in UTC days')).toBeInTheDocument();
    expect(card('jobs').getByText('4')).toBeInTheDocument();
    expect(screen.getByTestId('kpi-jobs-failed')).toHaveTextContent('1');
    expect(card('jobs').getByText('Needs review')).toBeInTheDocument();
    expect(card('variants').getByText('6')).toBeInTheDocument();
    expect(card('variants').getByText('3 accepted')).toBeInTheDocument();
    expect(card('acceptance-rate').getByText('50%')).toBeInTheDocument();
    expect(card('time-to-review').getByText('4 s')).toBeInTheDocument();
    expect(card('time-to-accept').getByText('2 h 5 min')).toBeInTheDocument();
    expect(card('posts-published').getByText('3')).toBeInTheDocument();
    expect(card('posts-published').getByText('1 late · 2 failed')).toBeInTheDocument();
    expect(card('posts-upcoming').getByText('5')).toBeInTheDocument();
    expect(
      card('posts-upcoming').getByRole('link', { name: 'Open the Scheduler' }),
    ).toHaveAttribute('href', '/scheduler');
    expect(
      card('posts-upcoming')
        .getByText((_, element) => element?.tagName === 'TIME')
        .getAttribute('datetime'),
    ).toBe('2026-12-03T09:00:00Z');
  });

  it(
    'gives every chart a name and its figures as a table',
    async () => {
      serveKpis(kpis());
      renderWithProviders(<DashboardPage />);

      // The charts are a lazily loaded chunk: give its first import time on a busy machine.
      const activity = await screen.findByTestId('activity-chart', {}, { timeout: 5000 });
      expect(activity).toHaveAccessibleName('Daily activity');
      const days = within(within(activity).getByRole('table', { name: 'Daily activity' }));
      expect(days.getByRole('row', { name: 'Dec 1, 2026 3 3 1' })).toBeInTheDocument();

      const channels = within(screen.getByRole('table', { name: 'Acceptance rate by channel' }));
      expect(channels.getByRole('row', { name: 'LinkedIn 100% 2 of 2' })).toBeInTheDocument();
      expect(channels.getByRole('row', { name: 'X 25% 1 of 4' })).toBeInTheDocument();

      const providers = within(screen.getByRole('table', { name: 'Generations by provider' }));
      expect(providers.getByRole('row', { name: 'Local engine 2' })).toBeInTheDocument();
      expect(providers.getByRole('row', { name: 'OpenAI 1' })).toBeInTheDocument();
    },
    CHART_TEST_TIMEOUT,
  );

  it(
    'shows how published posts are doing per channel and links the top posts',
    async () => {
      serveKpis(kpis());
      renderWithProviders(<DashboardPage />);

      const chart = await screen.findByTestId('results-by-channel', {}, { timeout: 5000 });
      expect(chart).toHaveAccessibleName('Results by channel');
      const totals = within(within(chart).getByRole('table', { name: 'Results by channel' }));
      expect(totals.getByRole('row', { name: 'X 1 9 3 4 300' })).toBeInTheDocument();
      expect(totals.getByRole('row', { name: 'Mastodon 1 2 1 0 Not counted' })).toBeInTheDocument();
      expect(within(chart).getByRole('img')).toHaveAccessibleName(
        'Engagements by channel: X 9 likes · 3 reposts · 4 replies · 300 views; Mastodon 2 likes · 1 repost · 0 replies.',
      );

      const top = within(screen.getByRole('region', { name: 'Top posts' }));
      const posts = top.getAllByRole('listitem');
      expect(posts).toHaveLength(2);
      expect(posts[0]).toHaveTextContent('Rye & Crumb moved to a four-day week.');
      expect(posts[0]).toHaveTextContent('9 likes · 3 reposts · 4 replies · 300 views');
      const link = within(posts[0]).getByRole('link', {
        name: 'View post on X (opens in a new tab)',
      });
      expect(link).toHaveAttribute('href', 'https://x.example/posts/r-1');
      expect(link).toHaveAttribute('rel', 'noopener noreferrer');
      expect(
        within(posts[1]).getByRole('link', { name: 'View post on Mastodon (opens in a new tab)' }),
      ).toBeInTheDocument();
    },
    CHART_TEST_TIMEOUT,
  );

  it(
    'says when no published post has been counted yet',
    async () => {
      serveKpis(kpis({ results: { posts: 0, by_network: [], top_posts: [] } }));
      renderWithProviders(<DashboardPage />);

      const chart = await screen.findByTestId('results-by-channel', {}, { timeout: 5000 });
      expect(within(chart).getByText(/has been counted yet/)).toBeInTheDocument();
      expect(
        within(screen.getByRole('region', { name: 'Top posts' })).getByText(
          'No published post has been counted yet.',
        ),
      ).toBeInTheDocument();
    },
    CHART_TEST_TIMEOUT,
  );

  it('shows a dash and the reason for figures the period cannot give', async () => {
    serveKpis(
      kpis({
        jobs: { total: 1, draft: 0, queued: 1, running: 0, needs_review: 0, done: 0, failed: 0 },
        variants: { generated: 0, accepted: 0, acceptance_rate: null, by_channel: [] },
        median_seconds_to_review: null,
        median_seconds_to_accept: null,
        posts: { published: 0, published_late: 0, failed: 0, upcoming: 0, next_at: null },
        generations_by_provider: [],
      }),
    );
    renderWithProviders(<DashboardPage />);

    await screen.findByTestId('kpi-cards');
    expect(card('acceptance-rate').getByText('—')).toBeInTheDocument();
    expect(card('acceptance-rate').getByText(/no variants were generated/i)).toBeInTheDocument();
    expect(card('time-to-review').getByText('—')).toBeInTheDocument();
    expect(
      card('time-to-review').getByText(/no job of this period has reached review/i),
    ).toBeInTheDocument();
    expect(card('time-to-accept').getByText('—')).toBeInTheDocument();
    expect(card('time-to-accept').getByText(/has been accepted yet/i)).toBeInTheDocument();
    expect(
      card('posts-upcoming').getByText('Nothing scheduled in the next 30 days.'),
    ).toBeInTheDocument();
  });

  it('says so when the period has no jobs', async () => {
    serveKpis(
      kpis({
        jobs: { total: 0, draft: 0, queued: 0, running: 0, needs_review: 0, done: 0, failed: 0 },
        variants: { generated: 0, accepted: 0, acceptance_rate: null, by_channel: [] },
        median_seconds_to_review: null,
        median_seconds_to_accept: null,
        posts: {
          published: 0,
          published_late: 0,
          failed: 0,
          upcoming: 2,
          next_at: '2026-12-05T08:00:00Z',
        },
        generations_by_provider: [],
      }),
    );
    renderWithProviders(<DashboardPage />);

    expect(
      await screen.findByRole('heading', { name: 'No jobs in this period' }),
    ).toBeInTheDocument();
    expect(
      screen.getByText(/No job was created in this period \(Nov 2 – Dec 1, 2026\)/),
    ).toBeInTheDocument();
    expect(screen.getByText(/2 coming up in the next 30 days/)).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Open the Studio' })).toHaveAttribute(
      'href',
      '/studio',
    );
    expect(screen.queryByTestId('kpi-cards')).not.toBeInTheDocument();
  });

  it('shows the usage against the quota under the figures', async () => {
    serveKpis(kpis());
    renderWithProviders(<DashboardPage />);

    const jobs = await screen.findByTestId('usage-meter-jobs');
    expect(within(jobs).getByRole('meter', { name: 'Jobs today' })).toHaveAttribute(
      'aria-valuenow',
      '3',
    );
    expect(jobs).toHaveTextContent('47 left · resets in 8 h 30 min');
    expect(screen.getByTestId('usage-meter-chars')).toHaveTextContent('Unlimited');
  });

  it('asks to reconnect an account whose scheduled posts would fail', async () => {
    serveKpis(kpis());
    serveConnections([
      connection(),
      connection({
        id: '0193a000-0000-7000-8000-0000000c0002',
        network: 'linkedin',
        handle: 'Kyros Ltd',
        display_name: 'Kyros Ltd',
        status: 'needs_reconnect',
        status_reason: 'LinkedIn revoked the token',
      }),
    ]);
    renderWithProviders(<DashboardPage />);

    const notice = await screen.findByRole('region', { name: 'Accounts to reconnect' });
    expect(
      within(notice)
        .getAllByRole('listitem')
        .map((li) => li.textContent),
    ).toEqual(['Reconnect Kyros Ltd on LinkedIn: posts scheduled for it will fail.']);
    expect(
      within(notice).getByRole('link', { name: 'Reconnect in Settings → Connections' }),
    ).toHaveAttribute('href', '/settings#connections');
  });

  it('says nothing about accounts while every one works', async () => {
    serveKpis(kpis());
    const accounts = serveConnections([connection()]);
    renderWithProviders(<DashboardPage />);
    await screen.findByTestId('kpi-cards');
    await waitFor(() => expect(accounts.reads).toBe(1));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(screen.queryByTestId('reconnect-notice')).not.toBeInTheDocument();
  });

  it('shows the error and loads again on retry', async () => {
    let calls = 0;
    server.use(
      http.get(`${API}/kpis`, () => {
        calls += 1;
        return calls === 1
          ? HttpResponse.json(problem(503, 'The database is not answering.'), { status: 503 })
          : HttpResponse.json(kpis());
      }),
    );
    const user = userEvent.setup();
    renderWithProviders(<DashboardPage />);

    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('Could not load the dashboard');
    expect(alert).toHaveTextContent('The database is not answering.');
    await user.click(within(alert).getByRole('button', { name: 'Try again' }));

    expect(await screen.findByTestId('kpi-cards')).toBeInTheDocument();
    expect(screen.queryByRole('alert')).not.toBeInTheDocument();
  });

  it('asks for the period the reader picks', async () => {
    const windows = serveKpis(kpis());
    const user = userEvent.setup();
    renderWithProviders(<DashboardPage />);

    await screen.findByTestId('kpi-cards');
    expect(screen.getByRole('radio', { name: 'Last 30 days' })).toBeChecked();
    expect(windows.at(-1)).toEqual({
      from: '2026-11-02T00:00:00.000Z',
      to: '2026-12-02T00:00:00.000Z',
    });

    await user.click(screen.getByRole('radio', { name: 'Last 7 days' }));
    await vi.waitFor(() =>
      expect(windows.at(-1)).toEqual({
        from: '2026-11-25T00:00:00.000Z',
        to: '2026-12-02T00:00:00.000Z',
      }),
    );
    expect(screen.getByRole('radio', { name: 'Last 7 days' })).toBeChecked();

    await user.click(screen.getByRole('radio', { name: 'Custom' }));
    const form = within(screen.getByRole('form', { name: 'Custom period' }));
    await user.clear(form.getByLabelText('First day'));
    await user.type(form.getByLabelText('First day'), '2026-03-01');
    await user.clear(form.getByLabelText('Last day'));
    await user.type(form.getByLabelText('Last day'), '2026-03-31');
    await user.click(form.getByRole('button', { name: 'Apply' }));
    await vi.waitFor(() =>
      expect(windows.at(-1)).toEqual({
        from: '2026-03-01T00:00:00.000Z',
        to: '2026-04-01T00:00:00.000Z',
      }),
    );
  });

  it('refuses a custom range that ends before it starts', async () => {
    const windows = serveKpis(kpis());
    const user = userEvent.setup();
    renderWithProviders(<DashboardPage />, { route: '/?period=7d' });

    await screen.findByTestId('kpi-cards');
    await user.click(screen.getByRole('radio', { name: 'Custom' }));
    const form = within(screen.getByRole('form', { name: 'Custom period' }));
    await user.clear(form.getByLabelText('Last day'));
    await user.type(form.getByLabelText('Last day'), '2026-11-01');
    await user.click(form.getByRole('button', { name: 'Apply' }));

    expect(form.getByLabelText('Last day')).toHaveAccessibleDescription(
      'The last day must not be before the first day.',
    );
    expect(windows).toHaveLength(1);
  });
});
