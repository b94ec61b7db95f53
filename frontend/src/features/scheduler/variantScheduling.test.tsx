import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { http, HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import { renderWithProviders } from '@/test/render';
import { API, server } from '@/test/server';
import { variantScheduling } from './variantScheduling';

const POST = { id: '00000000-0000-0000-0000-000000000001', channel: 'x' };

describe("the scheduler's part of a post's card", () => {
  it('keeps a post that cannot be scheduled from being scheduled, and says why', async () => {
    const user = userEvent.setup();
    renderWithProviders(
      <>
        {variantScheduling.actions(POST, 'why-not')}
        <p id="why-not">Fix 1 error to schedule: Post 1 is 398 characters; X allows 280.</p>
      </>,
    );
    const schedule = screen.getByRole('button', { name: 'Schedule' });
    expect(schedule).toHaveAttribute('aria-disabled', 'true');
    expect(schedule).toHaveAccessibleDescription(
      'Fix 1 error to schedule: Post 1 is 398 characters; X allows 280.',
    );
    await user.click(schedule);
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument();
  });

  it('says when and how the post is scheduled, with a link to its schedule', async () => {
    server.use(
      http.get(`${API}/schedule`, () =>
        HttpResponse.json({
          items: [
            {
              id: 'sched-1',
              variant_id: POST.id,
              channel: 'x',
              first_line: 'Hello world',
              connector: 'file',
              run_at: '2030-01-06T08:30:00Z',
              timezone: 'Europe/Berlin',
              recurrence: 'FREQ=WEEKLY;BYDAY=SU',
              exdates: [],
              status: 'active',
              next_run_at: '2030-01-06T08:30:00Z',
              last_run_at: null,
              upcoming: [],
              created_at: '2029-12-01T00:00:00Z',
              updated_at: '2029-12-01T00:00:00Z',
            },
          ],
          occurrences: [],
        }),
      ),
    );
    renderWithProviders(<>{variantScheduling.summary(POST)}</>);
    const link = await screen.findByRole('link', { name: /Scheduled: .*Sunday.*next Sun/ });
    expect(link).toHaveAttribute('href', '/scheduler?schedule=sched-1');
  });
});
