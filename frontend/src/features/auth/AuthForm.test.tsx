import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { http, HttpResponse } from 'msw';
import { afterEach, describe, expect, it } from 'vitest';
import { resetSessionForTests } from '@/lib/api/session';
import { problem, renderWithProviders } from '@/test/render';
import { API, server } from '@/test/server';
import { LoginPage, RegisterPage } from './AuthPages';

afterEach(() => resetSessionForTests());

describe('auth forms', () => {
  it('validates the email format and password length before sending anything', async () => {
    let calls = 0;
    server.use(
      http.post(`${API}/auth/register`, () => {
        calls += 1;
        return HttpResponse.json({});
      }),
    );
    const user = userEvent.setup();
    renderWithProviders(<RegisterPage />, { route: '/register' });
    await user.type(screen.getByLabelText('Email'), 'not-an-email');
    await user.type(screen.getByLabelText('Password'), 'short');
    await user.click(screen.getByRole('button', { name: 'Create account' }));

    expect(screen.getByLabelText('Email')).toHaveAttribute('aria-invalid', 'true');
    expect(screen.getByLabelText('Email')).toHaveAccessibleDescription(
      'Enter a valid email address, like name@example.com.',
    );
    expect(screen.getByLabelText('Password')).toHaveAccessibleDescription(
      'Use at least 8 characters.',
    );
    expect(calls).toBe(0);
  });

  it('shows server field errors at the field', async () => {
    server.use(
      http.post(`${API}/auth/register`, () =>
        HttpResponse.json(
          problem(422, 'Fix the fields listed in `errors` and try again.', [
            { field: 'email', message: 'must be a valid email address like name@example.com' },
          ]),
          { status: 422, headers: { 'content-type': 'application/problem+json' } },
        ),
      ),
    );
    const user = userEvent.setup();
    renderWithProviders(<RegisterPage />, { route: '/register' });
    await user.type(screen.getByLabelText('Email'), 'ada@example.com');
    await user.type(screen.getByLabelText('Password'), 'correct horse battery');
    await user.click(screen.getByRole('button', { name: 'Create account' }));

    await waitFor(() =>
      expect(screen.getByLabelText('Email')).toHaveAccessibleDescription(
        'must be a valid email address like name@example.com',
      ),
    );
    expect(screen.getByLabelText('Password')).not.toHaveAttribute('aria-invalid');
  });

  it('shows a non-field error (wrong password) as a message with the server detail', async () => {
    server.use(
      http.post(`${API}/auth/login`, () =>
        HttpResponse.json(problem(401, 'The email or password is incorrect.'), {
          status: 401,
          headers: { 'content-type': 'application/problem+json' },
        }),
      ),
    );
    const user = userEvent.setup();
    renderWithProviders(<LoginPage />, { route: '/login' });
    await user.type(screen.getByLabelText('Email'), 'ada@example.com');
    await user.type(screen.getByLabelText('Password'), 'wrong-password');
    await user.click(screen.getByRole('button', { name: 'Log in' }));

    const alerts = await screen.findAllByText('The email or password is incorrect.');
    // Once inline in the form, once in the toast.
    expect(alerts).toHaveLength(2);
    expect(screen.getByTestId('toast-error')).toHaveTextContent('Could not log in');
  });
});
