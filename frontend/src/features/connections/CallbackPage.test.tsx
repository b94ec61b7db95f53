import { screen } from '@testing-library/react';
import { http, HttpResponse } from 'msw';
import { StrictMode } from 'react';
import { Route, Routes, useLocation } from 'react-router';
import { describe, expect, it } from 'vitest';
import { connection } from '@/test/connections';
import { problem, renderWithProviders } from '@/test/render';
import { API, server } from '@/test/server';
import { ConnectionCallbackPage } from './CallbackPage';

function Settings() {
  const { pathname, hash } = useLocation();
  return <p data-testid="landed">{pathname + hash}</p>;
}

function renderCallback(search: string) {
  return renderWithProviders(
    <StrictMode>
      <Routes>
        <Route path="/connections/callback" element={<ConnectionCallbackPage />} />
        <Route path="/settings" element={<Settings />} />
      </Routes>
    </StrictMode>,
    { route: `/connections/callback${search}` },
  );
}

/** Answers the callback with `reply`, recording each request's body. */
function serveCallback(reply: () => Response) {
  const posted: unknown[] = [];
  server.use(
    http.post(`${API}/connections/callback`, async ({ request }) => {
      posted.push(await request.json());
      return reply();
    }),
  );
  return posted;
}

describe('the connection callback page', () => {
  it('finishes the connection once, then lands on Settings → Connections', async () => {
    const posted = serveCallback(() => HttpResponse.json(connection(), { status: 201 }));
    renderCallback('?code=c-1&state=s-1');

    expect(screen.getByRole('status')).toHaveTextContent('Finishing the connection…');
    expect(document.title).toBe('Connect an account · Kyros');
    expect(await screen.findByTestId('landed')).toHaveTextContent('/settings#connections');
    expect(await screen.findByText('Connected @kyros on X')).toBeInTheDocument();
    // Strict mode runs the effect twice; the state is single-use, so it is sent once.
    expect(posted).toEqual([{ state: 's-1', code: 'c-1' }]);
  });

  it('says the person declined, sends nothing, and offers the way back', async () => {
    const posted = serveCallback(() => HttpResponse.json(connection()));
    renderCallback('?error=access_denied&state=s-1');

    expect(screen.getByRole('heading', { name: 'You declined the connection' })).toBeVisible();
    expect(screen.getByRole('link', { name: 'Back to Connections' })).toHaveAttribute(
      'href',
      '/settings#connections',
    );
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(posted).toEqual([]);
  });

  it('says an expired attempt in the API’s words', async () => {
    serveCallback(() =>
      HttpResponse.json(problem(422, 'This connection attempt expired; start again.'), {
        status: 422,
      }),
    );
    renderCallback('?code=c-1&state=old');

    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('Could not connect the account');
    expect(alert).toHaveTextContent('This connection attempt expired; start again.');
    expect(screen.getByRole('link', { name: 'Back to Connections' })).toBeInTheDocument();
  });

  it('explains itself when opened without a network’s answer', async () => {
    const posted = serveCallback(() => HttpResponse.json(connection()));
    renderCallback('');
    expect(screen.getByRole('heading', { name: 'Nothing to connect here' })).toBeVisible();
    expect(posted).toEqual([]);
  });
});
