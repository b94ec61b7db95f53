import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { http, HttpResponse } from 'msw';
import { afterEach, describe, expect, it } from 'vitest';
import { resetSessionForTests } from '@/lib/api/session';
import { renderWithProviders } from '@/test/render';
import { API, server } from '@/test/server';
import { JobsPage } from './JobsPage';

const job = {
  id: 'j-1',
  name: 'Spring launch',
  status: 'needs_review',
  channels: ['x', 'linkedin'],
  source_type: 'text',
  attempts: 1,
  created_at: '2026-11-20T10:00:00Z',
  updated_at: '2026-11-20T10:00:05Z',
};

afterEach(() => resetSessionForTests());

describe('Jobs page', () => {
  it('asks the server for the chosen channel and the search text', async () => {
    const queries: URLSearchParams[] = [];
    server.use(
      http.get(`${API}/jobs`, ({ request }) => {
        const query = new URL(request.url).searchParams;
        queries.push(query);
        const matches = !query.get('q') || 'spring launch'.includes(query.get('q')!.toLowerCase());
        return HttpResponse.json({ items: matches ? [job] : [], next_cursor: null });
      }),
    );
    const user = userEvent.setup();
    renderWithProviders(<JobsPage />, { route: '/jobs?channel=x' });
    expect(await screen.findByText('Spring launch')).toBeInTheDocument();
    expect(queries[0]?.get('channel')).toBe('x');
    expect(screen.getByLabelText('Channel')).toHaveValue('x');

    await user.type(screen.getByLabelText('Search by name'), 'recap');
    await waitFor(() => expect(queries.at(-1)?.get('q')).toBe('recap'));
    expect(await screen.findByText('No matching jobs')).toBeInTheDocument();
    // Typing sends one request once the text settles, not one per key.
    expect(queries.filter((q) => q.get('q')).length).toBe(1);

    await user.selectOptions(screen.getByLabelText('Channel'), 'all');
    await waitFor(() => expect(queries.at(-1)?.has('channel')).toBe(false));
  });
});
