import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { http, HttpResponse } from 'msw';
import { afterEach, describe, expect, it } from 'vitest';
import { resetSessionForTests } from '@/lib/api/session';
import { problem, renderWithProviders } from '@/test/render';
import { API, server } from '@/test/server';
import { ApiTokens } from './ApiTokens';

const listed = {
  id: 't-1',
  name: 'Nightly export',
  scopes: ['read'],
  prefix: 'kyr_abc123',
  created_at: '2026-11-20T10:00:00Z',
  expires_at: null,
  last_used_at: null,
};

afterEach(() => resetSessionForTests());

describe('API tokens', () => {
  it('creates a token and shows it once', async () => {
    let body: unknown;
    let items: unknown[] = [];
    server.use(
      http.get(`${API}/me/tokens`, () => HttpResponse.json({ items })),
      http.post(`${API}/me/tokens`, async ({ request }) => {
        body = await request.json();
        items = [listed];
        return HttpResponse.json({ ...listed, token: 'kyr_secret-value' }, { status: 201 });
      }),
    );
    const user = userEvent.setup();
    renderWithProviders(<ApiTokens />);
    expect(await screen.findByText('No API tokens')).toBeInTheDocument();
    await user.click(screen.getByTestId('api-token-new'));
    await user.type(screen.getByLabelText('Token name'), 'Nightly export');
    await user.click(screen.getByLabelText('Write (create jobs, edit, schedule)'));
    await user.selectOptions(screen.getByLabelText('Expires'), '30');
    await user.click(screen.getByTestId('api-token-create'));

    expect(await screen.findByTestId('api-token-value')).toHaveTextContent('kyr_secret-value');
    expect(body).toEqual({
      name: 'Nightly export',
      scopes: ['read', 'write'],
      expires_in_days: 30,
    });
    await user.click(screen.getByRole('button', { name: 'Done' }));
    const list = await screen.findByTestId('api-token-list');
    expect(within(list).getByText('Nightly export')).toBeInTheDocument();
    expect(screen.queryByText('kyr_secret-value')).not.toBeInTheDocument();
  });

  it('checks the form and shows server field errors at the field', async () => {
    server.use(
      http.get(`${API}/me/tokens`, () => HttpResponse.json({ items: [] })),
      http.post(`${API}/me/tokens`, () =>
        HttpResponse.json(
          problem(422, 'Fix the fields.', [
            { field: 'name', message: 'must be 1 to 100 characters' },
          ]),
          { status: 422 },
        ),
      ),
    );
    const user = userEvent.setup();
    renderWithProviders(<ApiTokens />);
    await user.click(await screen.findByTestId('api-token-new'));
    await user.click(screen.getByLabelText('Read (GET requests)'));
    await user.click(screen.getByTestId('api-token-create'));
    expect(screen.getByText('Say what the token is for.')).toBeInTheDocument();
    expect(screen.getByText('Pick at least one permission.')).toBeInTheDocument();

    await user.type(screen.getByLabelText('Token name'), 'x'.repeat(5));
    await user.click(screen.getByLabelText('Read (GET requests)'));
    await user.click(screen.getByTestId('api-token-create'));
    expect(await screen.findByText('must be 1 to 100 characters')).toBeInTheDocument();
  });

  it('revokes a token after confirmation', async () => {
    let items: unknown[] = [listed];
    let revoked = '';
    server.use(
      http.get(`${API}/me/tokens`, () => HttpResponse.json({ items })),
      http.delete(`${API}/me/tokens/:id`, ({ params }) => {
        revoked = String(params.id);
        items = [];
        return new HttpResponse(null, { status: 204 });
      }),
    );
    const user = userEvent.setup();
    renderWithProviders(<ApiTokens />);
    await user.click(await screen.findByRole('button', { name: 'Revoke token Nightly export' }));
    await user.click(screen.getByRole('button', { name: 'Confirm revoke' }));
    await waitFor(() => expect(revoked).toBe('t-1'));
    expect(await screen.findByText('No API tokens')).toBeInTheDocument();
  });
});
