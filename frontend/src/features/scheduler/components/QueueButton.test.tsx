import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { http, HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import { connection, serveConnections } from '@/test/connections';
import { problem, renderWithProviders } from '@/test/render';
import { API, server } from '@/test/server';
import { QueueButton } from './QueueButton';

const POST = { id: 'variant-1', channel: 'x' };
const SECOND = connection({ id: '0193a000-0000-7000-8000-0000000c0009', handle: '@crumbdeals' });

/** Queues into Tuesday 09:30 in Berlin, recording which account each request named. */
function serveQueueing() {
  const accounts: string[] = [];
  server.use(
    http.post(`${API}/connections/:id/queue`, async ({ params, request }) => {
      accounts.push(String(params.id));
      const body = (await request.json()) as { variant_id: string };
      expect(body).toEqual({ variant_id: POST.id });
      return HttpResponse.json(
        { id: 'sched-1', run_at: '2026-12-08T08:30:00Z', timezone: 'Europe/Berlin' },
        { status: 201 },
      );
    }),
  );
  return accounts;
}

describe('Add to queue', () => {
  it("queues to the post's only account at once and says where it landed", async () => {
    serveConnections([connection(), connection({ id: 'li', network: 'linkedin', handle: 'Rye' })]);
    const accounts = serveQueueing();
    const user = userEvent.setup();
    renderWithProviders(<QueueButton variant={POST} />);
    await user.click(await screen.findByRole('button', { name: 'Add to the queue of @kyros' }));
    await waitFor(() => expect(accounts).toEqual([connection().id]));
    expect(await screen.findByText(/^Queued for Tue .*9:30.* on @kyros$/)).toBeInTheDocument();
  });

  it('asks which account when several can take the post', async () => {
    serveConnections([connection(), SECOND]);
    const accounts = serveQueueing();
    const user = userEvent.setup();
    renderWithProviders(<QueueButton variant={POST} />);
    await user.click(await screen.findByRole('button', { name: 'Add to queue' }));
    const dialog = await screen.findByRole('dialog', { name: 'Add to queue' });
    await user.click(within(dialog).getByRole('button', { name: /@crumbdeals/ }));
    await waitFor(() => expect(accounts).toEqual([SECOND.id]));
    expect(await screen.findByText(/on @crumbdeals$/)).toBeInTheDocument();
    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument());
  });

  it("shows the API's reason, and is absent without an account of the post's network", async () => {
    serveConnections([connection()]);
    server.use(
      http.post(`${API}/connections/:id/queue`, () =>
        HttpResponse.json(problem(409, '@kyros has no posting slots yet.'), { status: 409 }),
      ),
    );
    const user = userEvent.setup();
    const { unmount } = renderWithProviders(<QueueButton variant={POST} />);
    await user.click(await screen.findByRole('button', { name: /Add to the queue/ }));
    expect(await screen.findByText('Could not add to the queue')).toBeInTheDocument();
    unmount();

    renderWithProviders(
      <>
        <QueueButton variant={{ id: 'v-2', channel: 'blog' }} />
        <QueueButton variant={POST} />
      </>,
    );
    // Once the accounts are known, only the X post offers the queue.
    expect(await screen.findAllByTestId('queue-button')).toHaveLength(1);
    expect(screen.getByTestId('queue-button')).toHaveAccessibleName('Add to the queue of @kyros');
  });
});
