import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { http, HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import type { SlotSet } from '@/lib/api/types';
import { connection, serveConnections } from '@/test/connections';
import { problem, renderWithProviders } from '@/test/render';
import { API, server } from '@/test/server';
import { ConnectionsSettings } from './ConnectionsSettings';

/** Serves an account's slots, recording every PUT body. */
function serveSlots(initial: SlotSet) {
  const state = { saved: initial, puts: [] as unknown[] };
  server.use(
    http.get(`${API}/connections/:id/slots`, () => HttpResponse.json(state.saved)),
    http.put(`${API}/connections/:id/slots`, async ({ request }) => {
      const body = (await request.json()) as SlotSet;
      state.puts.push(body);
      if (body.slots.some((s) => s.time === '25:00'))
        return HttpResponse.json(
          problem(422, 'Fix the slots.', [{ field: 'slots[0].time', message: 'must be a time' }]),
          { status: 422 },
        );
      state.saved = { timezone: body.timezone, slots: body.slots };
      return HttpResponse.json(state.saved);
    }),
  );
  return state;
}

async function openEditor() {
  const user = userEvent.setup();
  renderWithProviders(<ConnectionsSettings />);
  await user.click(await screen.findByRole('button', { name: 'Posting slots for @kyros on X' }));
  return { user, editor: await screen.findByTestId('slot-editor') };
}

describe('Posting slots', () => {
  it('adds a time on the chosen weekdays, removes one, and saves the set with the zone', async () => {
    serveConnections([connection()]);
    const slots = serveSlots({
      timezone: 'Europe/Berlin',
      slots: [{ weekday: 'fri', time: '17:00' }],
    });
    const { user, editor } = await openEditor();
    expect(editor).toHaveTextContent('Times in Europe/Berlin');
    expect(within(editor).getByRole('button', { name: 'Save slots' })).toBeDisabled();

    await user.click(within(editor).getByRole('button', { name: 'Tue' }));
    await user.click(within(editor).getByRole('button', { name: 'Thu' }));
    expect(within(editor).getByRole('button', { name: 'Tue' })).toHaveAttribute(
      'aria-pressed',
      'true',
    );
    const time = within(editor).getByLabelText('Time');
    await user.clear(time);
    await user.type(time, '09:30');
    await user.click(within(editor).getByRole('button', { name: 'Add slot' }));
    const list = within(editor).getByTestId('slot-list');
    expect(
      within(list)
        .getAllByRole('listitem')
        .map((li) => li.textContent),
    ).toEqual(['Tue 09:30×', 'Thu 09:30×', 'Fri 17:00×']);
    await user.click(within(editor).getByRole('button', { name: 'Remove Fri 17:00' }));
    await user.click(within(editor).getByRole('button', { name: 'Save slots' }));

    await waitFor(() => expect(slots.puts).toHaveLength(1));
    expect(slots.puts[0]).toEqual({
      timezone: 'Europe/Berlin',
      slots: [
        { weekday: 'tue', time: '09:30' },
        { weekday: 'thu', time: '09:30' },
      ],
    });
    expect(await screen.findByText('Posting slots saved for @kyros on X')).toBeInTheDocument();
    await waitFor(() =>
      expect(within(editor).getByRole('button', { name: 'Save slots' })).toBeDisabled(),
    );
  });

  it("uses the reader's zone for an account without slots and shows the API's refusal", async () => {
    serveConnections([connection()]);
    const slots = serveSlots({ timezone: null, slots: [] });
    const { user, editor } = await openEditor();
    const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    expect(editor).toHaveTextContent(`Times in ${zone}`);
    expect(editor).toHaveTextContent('No slots yet');
    expect(within(editor).getByRole('button', { name: 'Add slot' })).toBeDisabled();

    await user.click(within(editor).getByRole('button', { name: 'Mon' }));
    await user.click(within(editor).getByRole('button', { name: 'Add slot' }));
    await user.click(within(editor).getByRole('button', { name: 'Save slots' }));
    await waitFor(() => expect(slots.puts).toHaveLength(1));
    expect(slots.puts[0]).toEqual({ timezone: zone, slots: [{ weekday: 'mon', time: '09:00' }] });

    server.use(
      http.put(`${API}/connections/:id/slots`, () =>
        HttpResponse.json(problem(409, 'Try again.'), { status: 409 }),
      ),
    );
    await user.click(within(editor).getByRole('button', { name: 'Tue' }));
    await user.click(within(editor).getByRole('button', { name: 'Add slot' }));
    await user.click(within(editor).getByRole('button', { name: 'Save slots' }));
    expect(await within(editor).findByRole('alert')).toBeInTheDocument();
  });
});
