import { screen, within } from '@testing-library/react';
import { http, HttpResponse } from 'msw';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Usage } from '@/lib/api/types';
import { problem, renderWithProviders } from '@/test/render';
import { API, server } from '@/test/server';
import { UsageCard, UsageCompact } from './UsageMeters';

const NOW = new Date('2026-12-01T21:00:00Z');

function usage(overrides: Partial<Usage> = {}): Usage {
  return {
    role: 'user',
    jobs_per_day: { used: 12, limit: 50, remaining: 38, resets_at: '2026-12-02T00:00:00Z' },
    chars_per_month: {
      used: 45_210,
      limit: 200_000,
      remaining: 154_790,
      resets_at: '2027-01-01T00:00:00Z',
    },
    ...overrides,
  };
}

function serve(body: Usage) {
  server.use(http.get(`${API}/usage`, () => HttpResponse.json(body)));
}

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(NOW);
});

afterEach(() => vi.useRealTimers());

describe('Usage meters', () => {
  it('shows what is used of each limit, what is left and when it resets', async () => {
    serve(usage());
    renderWithProviders(<UsageCard />);

    const jobs = await screen.findByTestId('usage-meter-jobs');
    const jobsMeter = within(jobs).getByRole('meter', { name: 'Jobs today' });
    expect(jobsMeter).toHaveAttribute('aria-valuenow', '12');
    expect(jobsMeter).toHaveAttribute('aria-valuemax', '50');
    expect(jobsMeter).toHaveAttribute('aria-valuetext', '12 of 50 jobs used');
    expect(jobs).toHaveTextContent('12 / 50');
    expect(jobs).toHaveTextContent('38 left · resets in 3 h');

    const chars = screen.getByTestId('usage-meter-chars');
    const charsMeter = within(chars).getByRole('meter', { name: 'Characters this month' });
    expect(charsMeter).toHaveAttribute('aria-valuenow', '45210');
    expect(charsMeter).toHaveAttribute('aria-valuemax', '200000');
    expect(chars).toHaveTextContent('45,210 / 200,000');
    expect(chars).toHaveTextContent('154,790 left · resets in 30 d 3 h');
    expect(screen.getByText(/Allowance for the/)).toHaveTextContent('user role');
  });

  it('says Unlimited, without a meter, when the role has no limit', async () => {
    serve(
      usage({
        role: 'admin',
        jobs_per_day: { used: 7, limit: null, remaining: null, resets_at: '2026-12-02T00:00:00Z' },
        chars_per_month: {
          used: 0,
          limit: null,
          remaining: null,
          resets_at: '2027-01-01T00:00:00Z',
        },
      }),
    );
    renderWithProviders(<UsageCompact />);

    const jobs = await screen.findByTestId('usage-meter-jobs');
    expect(jobs).toHaveTextContent('7');
    expect(jobs).toHaveTextContent('Unlimited');
    expect(within(jobs).queryByRole('meter')).not.toBeInTheDocument();
    expect(screen.getByTestId('usage-meter-chars')).toHaveTextContent('Unlimited');
  });

  it('marks a used-up allowance and keeps the meter within its range', async () => {
    serve(
      usage({
        chars_per_month: {
          used: 201_532,
          limit: 200_000,
          remaining: 0,
          resets_at: '2027-01-01T00:00:00Z',
        },
      }),
    );
    renderWithProviders(<UsageCard />);

    const chars = await screen.findByTestId('usage-meter-chars');
    const meter = within(chars).getByRole('meter');
    expect(meter).toHaveAttribute('aria-valuenow', '200000');
    expect(meter).toHaveAttribute('data-tone', 'full');
    expect(meter).toHaveAttribute('aria-valuetext', '201,532 of 200,000 characters used');
    expect(chars).toHaveTextContent('Limit reached · resets in 30 d 3 h');
  });

  it('shows an error with a retry when the usage cannot be loaded', async () => {
    server.use(
      http.get(`${API}/usage`, () =>
        HttpResponse.json(problem(503, 'The database is not answering.'), { status: 503 }),
      ),
    );
    renderWithProviders(<UsageCard />);
    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('Could not load your usage');
    expect(within(alert).getByRole('button', { name: 'Try again' })).toBeInTheDocument();
  });
});
