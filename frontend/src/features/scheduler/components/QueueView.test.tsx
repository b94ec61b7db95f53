import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { http, HttpResponse } from 'msw';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { QueueList } from '@/lib/api/types';
import { connection, serveConnections } from '@/test/connections';
import { problem, renderWithProviders } from '@/test/render';
import { API, server } from '@/test/server';
import { QueueView } from './QueueView';

const ACCOUNT = connection();
const SLOTS = ['2026-12-08T08:30:00Z', '2026-12-10T16:00:00Z', '2026-12-15T08:30:00Z'];

/**
 * A queue whose second slot holds a post, with moves applied as the API would (a swap). Each move
 * is answered once `answer` lets it; by default at once.
 */
function serveQueue(answer: () => Promise<Response | null> = async () => null) {
  const fillers: Array<string | null> = [null, 'sched-1', null];
  const moves: unknown[] = [];
  const list = (): QueueList => ({
    connection_id: ACCOUNT.id,
    timezone: 'Europe/Berlin',
    items: SLOTS.map((at, i) => ({
      at,
      local_time: at.slice(0, 16),
      weekday: 'tue',
      schedule_id: fillers[i],
      variant_id: fillers[i] ? 'variant-1' : null,
      first_line: fillers[i] ? 'Rye & Crumb moves to a four-day week' : null,
    })),
  });
  server.use(
    http.get(`${API}/connections/:id/queue`, () => HttpResponse.json(list())),
    http.post(`${API}/connections/:id/queue/move`, async ({ request }) => {
      const body = (await request.json()) as { schedule_id: string; to: string };
      moves.push(body);
      const refusal = await answer();
      if (refusal) return refusal;
      const from = fillers.indexOf(body.schedule_id);
      const to = SLOTS.indexOf(body.to);
      [fillers[from], fillers[to]] = [fillers[to], fillers[from]];
      return HttpResponse.json({ moved: {}, swapped: null });
    }),
  );
  return moves;
}

describe('Queue view', () => {
  it('lists upcoming slots in order, filled ones with their post and empty ones dashed', async () => {
    serveConnections([ACCOUNT]);
    serveQueue();
    renderWithProviders(<QueueView />);
    const queue = await screen.findByRole('list', { name: 'Queue of @kyros' });
    const items = within(queue).getAllByRole('listitem');
    expect(items.map((li) => li.dataset.filled)).toEqual(['false', 'true', 'false']);
    expect(items[0]).toHaveTextContent('Empty slot');
    expect(items[0].className).toContain('border-dashed');
    expect(within(items[1]).getByRole('link')).toHaveTextContent('Rye & Crumb moves');
    expect(within(items[1]).getByRole('link')).toHaveAttribute(
      'href',
      '/scheduler?schedule=sched-1',
    );
    expect(screen.getByText(/^Slot times in Europe\/Berlin\./)).toBeInTheDocument();
  });

  it('moves a post up and down with the keyboard, keeping focus on it', async () => {
    serveConnections([ACCOUNT]);
    const moves = serveQueue();
    const user = userEvent.setup();
    renderWithProviders(<QueueView />);
    const up = await screen.findByRole('button', { name: /^Move “Rye & Crumb.*” up/ });
    up.focus();
    await user.keyboard('{Enter}');
    await waitFor(() => expect(moves).toEqual([{ schedule_id: 'sched-1', to: SLOTS[0] }]));
    const queue = screen.getByRole('list', { name: 'Queue of @kyros' });
    await waitFor(() =>
      expect(within(queue).getAllByRole('listitem')[0].dataset.filled).toBe('true'),
    );
    expect(within(queue).getByRole('button', { name: /up from/ })).toBeDisabled();
    const down = within(queue).getByRole('button', { name: /down from/ });
    await waitFor(() => expect(down).toHaveFocus());
    await user.keyboard('{Enter}');
    await waitFor(() => expect(moves).toHaveLength(2));
    expect(moves[1]).toEqual({ schedule_id: 'sched-1', to: SLOTS[1] });
  });

  describe('dragging', () => {
    // jsdom lays nothing out; dnd-kit finds the slot above or below by where the slots are.
    beforeEach(() => {
      vi.spyOn(Element.prototype, 'getBoundingClientRect').mockImplementation(function (
        this: Element,
      ) {
        const slot = this.closest('[data-testid="queue-slot"]');
        const index = slot ? Array.from(slot.parentElement?.children ?? []).indexOf(slot) : -1;
        if (index < 0) return new DOMRect(0, 0, 0, 0);
        return slot === this
          ? new DOMRect(0, index * 80, 400, 60)
          : new DOMRect(8, index * 80 + 14, 32, 32);
      });
    });
    afterEach(() => vi.restoreAllMocks());

    /** Picks the post up by its handle, moves it `steps` slots up with the keyboard, drops it. */
    async function dragUp(steps: number) {
      const user = userEvent.setup();
      const handle = await screen.findByRole('button', { name: /^Drag “Rye & Crumb.*” from/ });
      handle.focus();
      await user.keyboard(' ');
      for (let i = 0; i < steps; i += 1) await user.keyboard('{ArrowUp}');
      await user.keyboard(' ');
    }

    const filled = () =>
      within(screen.getByRole('list', { name: 'Queue of @kyros' }))
        .getAllByRole('listitem')
        .map((li) => li.dataset.filled);

    it('drops a post on the slot above, moves it there through the API and says so', async () => {
      serveConnections([ACCOUNT]);
      const moves = serveQueue();
      renderWithProviders(<QueueView />);
      await dragUp(1);
      await waitFor(() => expect(moves).toEqual([{ schedule_id: 'sched-1', to: SLOTS[0] }]));
      await waitFor(() => expect(filled()).toEqual(['true', 'false', 'false']));
      expect(screen.getByRole('status')).toHaveTextContent(
        /^Moved “Rye & Crumb moves to a four-day week” to the empty slot at /,
      );
    });

    it('shows the move at once and puts the post back with a toast when it is refused', async () => {
      serveConnections([ACCOUNT]);
      let refuse = () => {};
      const refused = new Promise<Response>((resolve) => {
        refuse = () =>
          resolve(
            HttpResponse.json(problem(409, 'The post is being published.'), {
              status: 409,
              headers: { 'Content-Type': 'application/problem+json' },
            }),
          );
      });
      const moves = serveQueue(() => refused);
      renderWithProviders(<QueueView />);
      await dragUp(1);
      await waitFor(() => expect(moves).toHaveLength(1));
      expect(filled()).toEqual(['true', 'false', 'false']);
      refuse();
      expect(await screen.findByTestId('toast-error')).toHaveTextContent('Could not move the post');
      await waitFor(() => expect(filled()).toEqual(['false', 'true', 'false']));
    });
  });

  it('sends people to Settings when the account has no slots', async () => {
    serveConnections([ACCOUNT]);
    server.use(
      http.get(`${API}/connections/:id/queue`, () =>
        HttpResponse.json({ connection_id: ACCOUNT.id, timezone: null, items: [] }),
      ),
    );
    renderWithProviders(<QueueView />);
    expect(await screen.findByText('No posting slots for @kyros yet')).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Settings → Connections' })).toHaveAttribute(
      'href',
      '/settings#connections',
    );
  });
});
