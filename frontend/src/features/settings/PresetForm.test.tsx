import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { http, HttpResponse } from 'msw';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { resetSessionForTests } from '@/lib/api/session';
import { renderWithProviders } from '@/test/render';
import { API, server } from '@/test/server';
import { PresetForm } from './PresetForm';

afterEach(() => resetSessionForTests());

describe('preset form', () => {
  it('asks for the Mastodon post limit once Mastodon is picked, and sends it', async () => {
    let body: unknown;
    server.use(
      http.post(`${API}/presets`, async ({ request }) => {
        body = await request.json();
        return HttpResponse.json({ id: 'p-1' }, { status: 201 });
      }),
    );
    const onDone = vi.fn();
    const user = userEvent.setup();
    renderWithProviders(<PresetForm preset={null} onDone={onDone} />);
    expect(screen.queryByLabelText('Mastodon post limit (optional)')).not.toBeInTheDocument();
    await user.type(screen.getByLabelText('Preset name'), 'Fediverse');
    await user.click(screen.getByRole('checkbox', { name: 'Mastodon' }));

    const limit = screen.getByLabelText('Mastodon post limit (optional)');
    await user.type(limit, '50');
    await user.click(screen.getByRole('button', { name: 'Create preset' }));
    expect(limit).toHaveAccessibleDescription(/from 100 to 100,000/);
    expect(body).toBeUndefined();

    await user.clear(limit);
    await user.type(limit, '1000');
    await user.click(screen.getByRole('button', { name: 'Create preset' }));
    await waitFor(() => expect(onDone).toHaveBeenCalled());
    expect(body).toMatchObject({
      channels: ['linkedin', 'x', 'newsletter', 'blog', 'mastodon'],
      params: { mastodon_max_chars: 1000 },
    });
  });
});
