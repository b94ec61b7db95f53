import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { http, HttpResponse } from 'msw';
import { StrictMode } from 'react';
import { Route, Routes, useLocation } from 'react-router';
import { describe, expect, it } from 'vitest';
import type { AccountChoice } from '@/lib/api/types';
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

  describe('when the consent can connect a LinkedIn profile and its member’s pages', () => {
    const profile = {
      id: 'urn:li:person:k7R0',
      kind: 'profile' as const,
      name: 'Ada Baker',
      avatar_url: null,
      connected: true,
    };
    const bakery = {
      id: 'urn:li:organization:2414183',
      kind: 'page' as const,
      name: 'Rye & Crumb Bakery',
      avatar_url: null,
      connected: false,
    };
    const academy = { ...bakery, id: 'urn:li:organization:99001', name: 'Crumb Academy' };

    function choice(overrides: Partial<AccountChoice> = {}): AccountChoice {
      return {
        choice: 'choice-1',
        network: 'linkedin',
        accounts: [profile, bakery, academy],
        notice: null,
        expires_at: '2026-11-20T10:15:00Z',
        ...overrides,
      };
    }

    /** Answers `POST /connections/choose` with a connection per chosen id, recording bodies. */
    function serveChoose() {
      const chosen: unknown[] = [];
      server.use(
        http.post(`${API}/connections/choose`, async ({ request }) => {
          const body = (await request.json()) as { accounts: string[] };
          chosen.push(body);
          const names: Record<string, string> = {
            [profile.id]: profile.name,
            [bakery.id]: bakery.name,
            [academy.id]: academy.name,
          };
          const items = body.accounts.map((id, index) =>
            connection({
              id: `0193a000-0000-7000-8000-00000000000${index}`,
              network: 'linkedin',
              handle: names[id],
              display_name: names[id],
            }),
          );
          return HttpResponse.json({ items });
        }),
      );
      return chosen;
    }

    it('lets the person pick pages, connects them in the order offered, then lands on Settings', async () => {
      serveCallback(() => HttpResponse.json(choice(), { status: 202 }));
      const chosen = serveChoose();
      const user = userEvent.setup();
      renderCallback('?code=c-1&state=s-1');

      const group = await screen.findByRole('group', {
        name: 'Choose what to connect on LinkedIn',
      });
      expect(group).toBeVisible();
      const ada = screen.getByRole('checkbox', { name: /Ada Baker/ });
      expect(ada).toHaveAccessibleName(/Your profile · connected already/);
      expect(ada).toBeChecked();
      await user.click(ada);
      expect(screen.getByRole('button', { name: 'Connect' })).toBeDisabled();
      await user.click(screen.getByRole('checkbox', { name: /Crumb Academy/ }));
      await user.click(screen.getByRole('checkbox', { name: /Rye & Crumb Bakery/ }));
      await user.click(screen.getByRole('button', { name: 'Connect 2 accounts' }));

      expect(await screen.findByTestId('landed')).toHaveTextContent('/settings#connections');
      expect(chosen).toEqual([{ choice: 'choice-1', accounts: [bakery.id, academy.id] }]);
      expect(
        await screen.findByText(
          'Connected Rye & Crumb Bakery on LinkedIn and Crumb Academy on LinkedIn',
        ),
      ).toBeInTheDocument();
    });

    it('says why only the profile is offered, with it ready to connect', async () => {
      const notice = 'You are not an administrator of any LinkedIn page.';
      serveCallback(() =>
        HttpResponse.json(choice({ accounts: [profile], notice }), { status: 202 }),
      );
      const chosen = serveChoose();
      const user = userEvent.setup();
      renderCallback('?code=c-1&state=s-1');

      expect(await screen.findByRole('note')).toHaveTextContent(notice);
      expect(screen.getByRole('checkbox', { name: /Ada Baker/ })).toBeChecked();
      await user.click(screen.getByRole('button', { name: 'Connect' }));
      expect(await screen.findByTestId('landed')).toHaveTextContent('/settings#connections');
      expect(chosen).toEqual([{ choice: 'choice-1', accounts: [profile.id] }]);
    });

    it('shows an expired choice in the API’s words and stays on the picker', async () => {
      serveCallback(() => HttpResponse.json(choice(), { status: 202 }));
      server.use(
        http.post(`${API}/connections/choose`, () =>
          HttpResponse.json(
            problem(422, 'This choice expired or was already made; connect the account again.'),
            { status: 422 },
          ),
        ),
      );
      const user = userEvent.setup();
      renderCallback('?code=c-1&state=s-1');

      await user.click(await screen.findByRole('checkbox', { name: /Rye & Crumb Bakery/ }));
      await user.click(screen.getByRole('button', { name: 'Connect 2 accounts' }));
      expect(await screen.findByRole('alert')).toHaveTextContent('This choice expired');
      expect(screen.queryByTestId('landed')).not.toBeInTheDocument();
    });
  });
});
