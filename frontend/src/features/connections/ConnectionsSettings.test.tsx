import { act, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { http, HttpResponse } from 'msw';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Connection } from '@/lib/api/types';
import { connection, serveConnections } from '@/test/connections';
import { problem, renderWithProviders } from '@/test/render';
import { API, server } from '@/test/server';
import { ConnectionsSettings } from './ConnectionsSettings';

const X_ACCOUNT = connection({
  avatar_url: 'https://pbs.example.com/kyros.jpg',
});
const MASTODON_ACCOUNT = connection({
  id: '0193a000-0000-7000-8000-0000000c0002',
  network: 'mastodon',
  handle: '@kyros@mastodon.social',
  display_name: 'Kyros on Mastodon',
  instance_url: 'https://mastodon.social',
  char_limit: 500,
  status: 'needs_reconnect',
  status_reason: 'the instance revoked the token',
});

let assign: ReturnType<typeof vi.fn>;

beforeEach(() => {
  assign = vi.fn();
  vi.stubGlobal('location', { ...window.location, assign });
});
afterEach(() => vi.unstubAllGlobals());

/** Answers authorize for every network with its consent page, recording each request. */
function serveAuthorize() {
  const calls: Array<{ network: string; body: unknown }> = [];
  server.use(
    http.post(`${API}/connections/:network/authorize`, async ({ params, request }) => {
      const body = (await request.json()) as { instance?: string };
      calls.push({ network: String(params.network), body });
      if (params.network === 'linkedin') {
        return HttpResponse.json(
          problem(
            409,
            'LinkedIn is not set up on this server: an administrator must set LINKEDIN_CLIENT_ID',
          ),
          { status: 409 },
        );
      }
      if (params.network === 'mastodon' && body.instance === 'localhost') {
        return HttpResponse.json(
          problem(422, 'Fix the fields.', [
            { field: 'instance', message: 'is not a public Mastodon server' },
          ]),
          { status: 422 },
        );
      }
      return HttpResponse.json({
        authorize_url: `https://${params.network}.example/oauth/authorize?state=s-1`,
        expires_at: '2026-12-01T10:10:00Z',
      });
    }),
  );
  return calls;
}

describe('Settings → Connections', () => {
  it('lists the accounts, and says which one needs reconnecting and why', async () => {
    serveConnections([X_ACCOUNT, MASTODON_ACCOUNT]);
    const calls = serveAuthorize();
    const user = userEvent.setup();
    renderWithProviders(<ConnectionsSettings />);

    const rows = await screen.findAllByTestId('connection-row');
    expect(rows).toHaveLength(2);
    expect(rows[0]).toHaveTextContent('Kyros');
    expect(rows[0]).toHaveTextContent('@kyros · X');
    expect(rows[0]).toHaveTextContent(/Connected Nov 20, 2026/);
    expect(rows[0].querySelector('img')).toHaveAttribute('src', X_ACCOUNT.avatar_url);
    expect(within(rows[0]).queryByRole('button', { name: /Reconnect/ })).not.toBeInTheDocument();

    expect(rows[1]).toHaveTextContent('@kyros@mastodon.social · Mastodon · mastodon.social');
    const reconnect = within(rows[1]).getByRole('button', {
      name: 'Reconnect @kyros@mastodon.social on Mastodon',
    });
    expect(reconnect).toHaveAccessibleDescription(
      'Reconnect needed The instance revoked the token. Posts scheduled for it fail until you reconnect it.',
    );

    // The account's own server is known: no need to ask for it again.
    await user.click(reconnect);
    await waitFor(() =>
      expect(assign).toHaveBeenCalledWith('https://mastodon.example/oauth/authorize?state=s-1'),
    );
    expect(calls).toEqual([{ network: 'mastodon', body: { instance: 'mastodon.social' } }]);
  });

  it('says when nothing is connected yet', async () => {
    renderWithProviders(<ConnectionsSettings />);
    expect(await screen.findByText('No accounts connected yet')).toBeInTheDocument();
    expect(screen.getByRole('group', { name: 'Connect an account' })).toBeInTheDocument();
  });

  it('sends the browser to X’s consent page', async () => {
    serveConnections([]);
    const calls = serveAuthorize();
    const user = userEvent.setup();
    renderWithProviders(<ConnectionsSettings />);

    await user.click(await screen.findByRole('button', { name: 'Connect X' }));
    await waitFor(() =>
      expect(assign).toHaveBeenCalledWith('https://x.example/oauth/authorize?state=s-1'),
    );
    expect(calls).toEqual([{ network: 'x', body: {} }]);
    // The page is on its way out: the button keeps saying so.
    expect(screen.getByTestId('connect-x')).toHaveAttribute('aria-busy', 'true');

    // Back from the consent page, the page is restored as it was left: the button works again.
    act(() => {
      window.dispatchEvent(new PageTransitionEvent('pageshow', { persisted: true }));
    });
    expect(screen.getByTestId('connect-x')).not.toHaveAttribute('aria-busy');
  });

  it('says a network not set up on this server in words, the API’s kept as details', async () => {
    serveConnections([]);
    serveAuthorize();
    const user = userEvent.setup();
    renderWithProviders(<ConnectionsSettings />);

    await user.click(await screen.findByRole('button', { name: 'Connect LinkedIn' }));
    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('Could not connect LinkedIn');
    expect(alert).toHaveTextContent(
      'LinkedIn is not set up on this server yet. Ask an administrator to set it up.',
    );
    expect(within(alert).getByText(/must set LINKEDIN_CLIENT_ID/)).toBeInTheDocument();
    expect(assign).not.toHaveBeenCalled();
  });

  it('asks Mastodon’s server first, and shows a refused one at the field', async () => {
    serveConnections([]);
    const calls = serveAuthorize();
    const user = userEvent.setup();
    renderWithProviders(<ConnectionsSettings />);

    await user.click(await screen.findByRole('button', { name: 'Connect Mastodon' }));
    const dialog = screen.getByRole('dialog', { name: 'Connect a Mastodon account' });
    const instance = within(dialog).getByLabelText('Your Mastodon server');
    expect(instance).toHaveFocus();

    await user.click(within(dialog).getByRole('button', { name: 'Continue to Mastodon' }));
    expect(instance).toHaveAccessibleDescription(
      'Enter your Mastodon server, like mastodon.social.',
    );
    expect(instance).toHaveFocus();
    expect(calls).toEqual([]);

    await user.type(instance, 'localhost');
    await user.click(within(dialog).getByRole('button', { name: 'Continue to Mastodon' }));
    await waitFor(() =>
      expect(instance).toHaveAccessibleDescription('Is not a public Mastodon server.'),
    );
    expect(instance).toHaveAttribute('aria-invalid', 'true');

    await user.clear(instance);
    await user.type(instance, '@me@mastodon.social');
    await user.click(within(dialog).getByRole('button', { name: 'Continue to Mastodon' }));
    await waitFor(() =>
      expect(assign).toHaveBeenCalledWith('https://mastodon.example/oauth/authorize?state=s-1'),
    );
    expect(calls.at(-1)).toEqual({ network: 'mastodon', body: { instance: 'mastodon.social' } });
  });

  it('connects Bluesky with an app password, refusals shown at their fields', async () => {
    const state = serveConnections([]);
    const posted: unknown[] = [];
    server.use(
      http.post(`${API}/connections/bluesky`, async ({ request }) => {
        const body = (await request.json()) as { handle: string; app_password: string };
        posted.push(body);
        if (body.app_password === 'my-real-password') {
          return HttpResponse.json(
            problem(422, 'Fix the fields.', [
              {
                field: 'app_password',
                message:
                  "this is the account's main password; create an app password in Bluesky's settings and use it instead",
              },
            ]),
            { status: 422 },
          );
        }
        const created: Connection = connection({
          id: '0193a000-0000-7000-8000-0000000c0003',
          network: 'bluesky',
          handle: '@alice.bsky.social',
          display_name: 'alice.bsky.social',
          instance_url: 'https://bsky.social',
        });
        state.items = [...state.items, created];
        return HttpResponse.json(created, { status: 201 });
      }),
    );
    const user = userEvent.setup();
    renderWithProviders(<ConnectionsSettings />);

    await user.click(await screen.findByRole('button', { name: 'Connect Bluesky' }));
    const dialog = screen.getByRole('dialog', { name: 'Connect a Bluesky account' });
    expect(dialog).toHaveTextContent(
      'Create one in Bluesky under Settings → Privacy and security → App passwords.',
    );
    expect(dialog).toHaveTextContent('Kyros never asks for or keeps your main password');
    const handle = within(dialog).getByLabelText('Handle');
    const password = within(dialog).getByLabelText('App password');
    expect(password).toHaveAttribute('type', 'password');

    await user.click(within(dialog).getByRole('button', { name: 'Connect' }));
    expect(handle).toHaveAccessibleDescription('Enter the account’s handle, like you.bsky.social.');
    expect(password).toHaveAccessibleDescription(
      'Enter an app password, like abcd-efgh-ijkl-mnop.',
    );
    expect(handle).toHaveFocus();
    expect(posted).toEqual([]);

    await user.type(handle, 'alice.bsky.social');
    await user.type(password, 'my-real-password');
    await user.click(within(dialog).getByRole('button', { name: 'Connect' }));
    await waitFor(() =>
      expect(password).toHaveAccessibleDescription(
        "This is the account's main password. Create an app password in Bluesky's settings and use that instead.",
      ),
    );
    expect(password).toHaveFocus();
    expect(handle).not.toHaveAttribute('aria-invalid');

    await user.clear(password);
    await user.type(password, 'abcd-efgh-ijkl-mnop');
    await user.click(within(dialog).getByRole('button', { name: 'Connect' }));
    expect(await screen.findByText('Connected @alice.bsky.social on Bluesky')).toBeInTheDocument();
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument();
    expect(posted.at(-1)).toEqual({
      handle: 'alice.bsky.social',
      app_password: 'abcd-efgh-ijkl-mnop',
    });
    const row = await screen.findByTestId('connection-row');
    expect(row).toHaveTextContent('@alice.bsky.social · Bluesky · bsky.social');
  });

  it('says when Bluesky cannot be reached', async () => {
    serveConnections([]);
    server.use(
      http.post(`${API}/connections/bluesky`, () =>
        HttpResponse.json(
          problem(503, 'Bluesky could not be reached; try again in a moment (timed out)'),
          { status: 503 },
        ),
      ),
    );
    const user = userEvent.setup();
    renderWithProviders(<ConnectionsSettings />);
    await user.click(await screen.findByRole('button', { name: 'Connect Bluesky' }));
    const dialog = screen.getByRole('dialog');
    await user.type(within(dialog).getByLabelText('Handle'), 'alice.bsky.social');
    await user.type(within(dialog).getByLabelText('App password'), 'abcd-efgh-ijkl-mnop');
    await user.click(within(dialog).getByRole('button', { name: 'Connect' }));
    expect(await within(dialog).findByRole('alert')).toHaveTextContent(
      'Bluesky could not be reached. Try again in a moment.',
    );
  });

  it('disconnects an account only after saying what happens to its posts', async () => {
    const state = serveConnections([X_ACCOUNT]);
    const user = userEvent.setup();
    renderWithProviders(<ConnectionsSettings />);

    const disconnect = await screen.findByRole('button', { name: 'Disconnect @kyros on X' });
    await user.click(disconnect);
    const confirm = screen.getByRole('group', {
      name: 'Posts scheduled for @kyros will fail until you connect it again.',
    });
    await user.click(within(confirm).getByRole('button', { name: 'Keep it' }));
    expect(screen.queryByRole('group', { name: /will fail/ })).not.toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Disconnect @kyros on X' })).toHaveFocus();
    expect(state.deleted).toEqual([]);

    await user.click(screen.getByRole('button', { name: 'Disconnect @kyros on X' }));
    await user.click(screen.getByTestId('connection-disconnect-confirm'));
    expect(await screen.findByText('Disconnected @kyros on X')).toBeInTheDocument();
    expect(state.deleted).toEqual([X_ACCOUNT.id]);
    expect(await screen.findByText('No accounts connected yet')).toBeInTheDocument();
  });
});
