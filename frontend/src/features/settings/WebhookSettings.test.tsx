import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { http, HttpResponse } from 'msw';
import { afterEach, describe, expect, it } from 'vitest';
import { resetSessionForTests } from '@/lib/api/session';
import type { WebhookSettings as Webhook } from '@/lib/api/types';
import { problem, renderWithProviders } from '@/test/render';
import { API, server } from '@/test/server';
import { WebhookSettings } from './WebhookSettings';

const SAVED: Webhook = {
  url: 'https://hooks.example.com/kyros',
  secret: '5f2b9c0e7a41d3b8c6e0f9a2d4b7c1e3f5a8b0c2d4e6f8a0b2c4d6e8f0a2b4c6',
  created_at: '2026-11-20T10:00:00Z',
  updated_at: '2026-11-20T10:00:00Z',
};

afterEach(() => resetSessionForTests());

/** A webhook endpoint that refuses private addresses like the API's SSRF guard. */
function serveWebhook(initial: Webhook | null) {
  let current = initial;
  const puts: string[] = [];
  server.use(
    http.get(`${API}/connectors/webhook`, () =>
      current
        ? HttpResponse.json(current)
        : HttpResponse.json(problem(404, 'No webhook is set up.'), { status: 404 }),
    ),
    http.put(`${API}/connectors/webhook`, async ({ request }) => {
      const { url } = (await request.json()) as { url: string };
      puts.push(url);
      if (url.includes('127.0.0.')) {
        return HttpResponse.json(
          problem(422, 'Fix the fields.', [
            {
              field: 'url',
              message: 'points to a private, loopback or reserved address, which is not allowed',
            },
          ]),
          { status: 422 },
        );
      }
      if (url.includes('10.0.0.')) {
        return HttpResponse.json(
          problem(422, 'Fix the fields.', [
            { field: 'url', message: '10.0.0.8 is in a private network' },
          ]),
          { status: 422 },
        );
      }
      const created = current === null;
      current = { ...(current ?? SAVED), url };
      return HttpResponse.json(current, { status: created ? 201 : 200 });
    }),
    http.post(`${API}/connectors/webhook/rotate-secret`, () => {
      current = { ...(current ?? SAVED), secret: 'rotated-secret-value' };
      return HttpResponse.json(current);
    }),
  );
  return puts;
}

describe('Webhook settings', () => {
  it('checks the URL, shows the server’s refusal at the field, then the secret once', async () => {
    const puts = serveWebhook(null);
    const user = userEvent.setup();
    renderWithProviders(<WebhookSettings />);

    const url = await screen.findByTestId('webhook-url');
    await user.click(screen.getByTestId('webhook-save'));
    expect(url).toHaveAccessibleDescription('Enter the URL Kyros should send posts to.');

    await user.type(url, 'ftp://files.example.com');
    await user.click(screen.getByTestId('webhook-save'));
    expect(url).toHaveAccessibleDescription(
      'Enter a full http:// or https:// URL, like https://hooks.example.com/kyros.',
    );
    expect(puts).toEqual([]);

    await user.clear(url);
    await user.type(url, 'http://10.0.0.8/hook');
    await user.click(screen.getByTestId('webhook-save'));
    expect(await screen.findByText('10.0.0.8 is in a private network')).toBeInTheDocument();
    expect(url).toHaveAttribute('aria-invalid', 'true');
    expect(url).toHaveAccessibleDescription('10.0.0.8 is in a private network');

    await user.clear(url);
    await user.type(url, SAVED.url);
    await user.click(screen.getByTestId('webhook-save'));
    expect(await screen.findByTestId('webhook-secret-value')).toHaveTextContent(SAVED.secret);
    expect(puts.at(-1)).toBe(SAVED.url);
    expect(screen.getByTestId('webhook-current-url')).toHaveTextContent(SAVED.url);

    await user.click(screen.getByRole('button', { name: 'Copy signing secret' }));
    expect(await navigator.clipboard.readText()).toBe(SAVED.secret);

    await user.click(screen.getByRole('button', { name: 'Done' }));
    expect(screen.queryByTestId('webhook-secret-value')).not.toBeInTheDocument();
    expect(screen.queryByText(SAVED.secret)).not.toBeInTheDocument();
  });

  it('never shows the stored secret, and changes the URL without revealing it', async () => {
    const puts = serveWebhook(SAVED);
    const user = userEvent.setup();
    renderWithProviders(<WebhookSettings />);

    expect(await screen.findByTestId('webhook-current-url')).toHaveTextContent(SAVED.url);
    expect(screen.queryByText(SAVED.secret)).not.toBeInTheDocument();

    await user.click(screen.getByTestId('webhook-edit'));
    const url = screen.getByTestId('webhook-url');
    expect(url).toHaveValue(SAVED.url);
    await user.clear(url);
    await user.type(url, 'https://hooks.example.com/v2');
    await user.click(screen.getByTestId('webhook-save'));

    await waitFor(() =>
      expect(screen.getByTestId('webhook-current-url')).toHaveTextContent(
        'https://hooks.example.com/v2',
      ),
    );
    expect(puts).toEqual(['https://hooks.example.com/v2']);
    expect(screen.queryByTestId('webhook-secret-value')).not.toBeInTheDocument();
  });

  it('rotates the secret after confirming and shows the new one once', async () => {
    serveWebhook(SAVED);
    const user = userEvent.setup();
    renderWithProviders(<WebhookSettings />);

    await user.click(await screen.findByTestId('webhook-rotate'));
    const confirm = screen.getByRole('group', { name: /stop verifying at once/ });
    await user.click(within(confirm).getByRole('button', { name: 'Keep the current secret' }));
    expect(screen.queryByRole('group')).not.toBeInTheDocument();

    await user.click(screen.getByTestId('webhook-rotate'));
    await user.click(screen.getByTestId('webhook-rotate-confirm'));
    expect(await screen.findByTestId('webhook-secret-value')).toHaveTextContent(
      'rotated-secret-value',
    );
  });

  it('says a refused private address as advice, keeping the API’s words as the detail', async () => {
    serveWebhook(null);
    const user = userEvent.setup();
    renderWithProviders(<WebhookSettings />);
    const url = await screen.findByTestId('webhook-url');
    await user.type(url, 'http://127.0.0.1/hook');
    await user.click(screen.getByTestId('webhook-save'));
    const advice =
      'This address is on a private network, which Kyros does not post to. Use a public address, or ask an administrator to allow it.';
    expect(await screen.findByText(advice)).toBeInTheDocument();
    expect(url).toHaveAccessibleDescription(advice);
    expect(screen.getByText(/private, loopback or reserved address/)).toBeInTheDocument();
  });
});
