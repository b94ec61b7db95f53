import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { render, screen, waitFor } from '@testing-library/react';
import { http, HttpResponse } from 'msw';
import { createMemoryRouter, RouterProvider, type RouteObject } from 'react-router';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { resetSessionForTests, setTokens } from '@/lib/api/session';
import { startErrorReports } from '@/lib/errorReports';
import { problem } from '@/test/render';
import { API, server } from '@/test/server';
import { lazyPage, routes } from './routes';

afterEach(() => resetSessionForTests());

function renderRoutes(path: string, table: RouteObject[] = routes) {
  const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  const router = createMemoryRouter(table, { initialEntries: [path] });
  render(
    <QueryClientProvider client={client}>
      <RouterProvider router={router} />
    </QueryClientProvider>,
  );
  return router;
}

/** Signs Bob in: a session, and `GET /me` answering for him. */
function signIn() {
  setTokens(
    { access_token: 'access-1', refresh_token: 'r', expires_in: 900, token_type: 'Bearer' },
    null,
  );
  server.use(
    http.get(`${API}/me`, () =>
      HttpResponse.json({
        id: '0193a000-0000-7000-8000-00000000b002',
        email: 'bob@example.com',
        role: 'user',
        created_at: '2026-11-10T10:00:00Z',
      }),
    ),
  );
}

describe('Console routes', () => {
  it('sends a signed-out visitor of a page to the login page', async () => {
    const router = renderRoutes('/studio');
    expect(await screen.findByRole('button', { name: 'Log in' })).toBeInTheDocument();
    expect(router.state.location.pathname).toBe('/login');
    expect(document.title).toBe('Log in · Kyros');
  });

  it('fetches a page on its first visit and shows it in the shell', async () => {
    signIn();
    server.use(http.get(`${API}/jobs`, () => HttpResponse.json({ items: [], next_cursor: null })));
    renderRoutes('/jobs');
    expect(await screen.findByRole('heading', { level: 1, name: 'Jobs' })).toBeInTheDocument();
    expect(screen.getAllByRole('navigation', { name: 'Main' })).not.toHaveLength(0);
    expect(document.title).toBe('Jobs · Kyros');
  });

  it('brings a network’s answer to the callback page, in the signed-in shell', async () => {
    signIn();
    renderRoutes('/connections/callback?error=access_denied&state=s-1');
    expect(
      await screen.findByRole('heading', { level: 1, name: 'Connect an account' }),
    ).toBeInTheDocument();
    expect(screen.getAllByRole('navigation', { name: 'Main' })).not.toHaveLength(0);
    expect(screen.getByRole('heading', { name: 'You declined the connection' })).toBeVisible();
  });

  it('puts the connections panel into the settings page', async () => {
    signIn();
    server.use(
      http.get(`${API}/presets`, () => HttpResponse.json({ items: [] })),
      http.get(`${API}/me/tokens`, () => HttpResponse.json({ items: [] })),
      http.get(`${API}/connectors/webhook`, () =>
        HttpResponse.json(problem(404, 'No webhook is set up.'), { status: 404 }),
      ),
      http.get(`${API}/usage`, () =>
        HttpResponse.json({
          role: 'user',
          jobs_per_day: { used: 0, limit: 50, remaining: 50, resets_at: '2026-12-02T00:00:00Z' },
          chars_per_month: {
            used: 0,
            limit: 200_000,
            remaining: 200_000,
            resets_at: '2027-01-01T00:00:00Z',
          },
        }),
      ),
    );
    renderRoutes('/settings');
    expect(await screen.findByRole('heading', { level: 1, name: 'Settings' })).toBeInTheDocument();
    expect(screen.getByRole('region', { name: 'Connections' })).toBeVisible();
    expect(await screen.findByText('No accounts connected yet')).toBeVisible();
  });

  it('says so, and offers to try again, when a page cannot be fetched', async () => {
    const offline = () =>
      Promise.reject(new TypeError('Failed to fetch dynamically imported module'));
    renderRoutes('/', [{ path: '/', ...lazyPage(offline) }]);
    expect(await screen.findByRole('alert')).toHaveTextContent('This page could not be shown');
    expect(screen.getByRole('button', { name: 'Try again' })).toBeInTheDocument();
  });

  it('shows a page that fails to render as an error, and reports it when reports are on', async () => {
    const sentry = { start: vi.fn(), captureRenderError: vi.fn(), captureApiFailure: vi.fn() };
    startErrorReports('https://key@errors.example/1', () => Promise.resolve(sentry));
    const broken = new Error('cannot read the channel of undefined');
    function BrokenPage(): never {
      throw broken;
    }
    // React logs the error it caught, and in development raises it on the window too: expected.
    const logged = vi.spyOn(console, 'error').mockImplementation(() => {});
    const expected = (event: ErrorEvent) => event.preventDefault();
    window.addEventListener('error', expected);
    renderRoutes('/', [{ path: '/', ...lazyPage(() => Promise.resolve(BrokenPage)) }]);
    expect(await screen.findByRole('alert')).toHaveTextContent('This page could not be shown');
    await waitFor(() => expect(sentry.captureRenderError).toHaveBeenCalledWith(broken));
    expect(sentry.start).toHaveBeenCalledExactlyOnceWith('https://key@errors.example/1');
    logged.mockRestore();
    window.removeEventListener('error', expected);
  });
});
