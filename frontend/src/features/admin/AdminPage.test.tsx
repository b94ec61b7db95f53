import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { http, HttpResponse } from 'msw';
import { afterEach, describe, expect, it } from 'vitest';
import { Route, Routes } from 'react-router';
import { AppShell } from '@/components/layout/AppShell';
import { resetSessionForTests } from '@/lib/api/session';
import type { AuditEntry, ManagedUser, Tool, User } from '@/lib/api/types';
import { problem, renderWithProviders } from '@/test/render';
import { API, server } from '@/test/server';
import { AdminPage } from './AdminPage';
import { AuditPanel } from './AuditPanel';
import { ADMIN, entry, managed, MEMBER, tool } from './fixtures';
import { ToolsPanel } from './ToolsPanel';
import { UsersPanel } from './UsersPanel';

afterEach(() => resetSessionForTests());

function serveMe(user: User) {
  server.use(http.get(`${API}/me`, () => HttpResponse.json(user)));
}

function renderAdmin(route: string) {
  return renderWithProviders(
    <Routes>
      <Route path="/admin" element={<AdminPage />}>
        <Route path="users" element={<UsersPanel />} />
        <Route path="tools" element={<ToolsPanel />} />
        <Route path="audit" element={<AuditPanel />} />
      </Route>
    </Routes>,
    { route },
  );
}

/** Answers `GET /admin/users` from `users`, filtered by `q` and paged by two. */
function serveUsers(users: () => ManagedUser[]) {
  const queries: Array<{ q: string | null; cursor: string | null }> = [];
  server.use(
    http.get(`${API}/admin/users`, ({ request }) => {
      const url = new URL(request.url);
      const q = url.searchParams.get('q');
      const cursor = url.searchParams.get('cursor');
      queries.push({ q, cursor });
      const matching = users().filter((u) => !q || u.email.includes(q));
      const limit = Number(url.searchParams.get('limit') ?? 20);
      const start = cursor ? Number(cursor) : 0;
      const size = Math.min(limit, 2);
      const next = start + size < matching.length ? String(start + size) : null;
      return HttpResponse.json({ items: matching.slice(start, start + size), next_cursor: next });
    }),
  );
  return queries;
}

describe('Admin navigation', () => {
  it('shows the Admin link to administrators only', async () => {
    serveMe(MEMBER);
    const member = renderWithProviders(<AppShell />);
    expect(await screen.findByText(MEMBER.email)).toHaveAttribute('data-testid', 'user-email');
    expect(screen.getByRole('link', { name: 'Settings' })).toBeInTheDocument();
    expect(screen.queryByTestId('admin-nav')).not.toBeInTheDocument();
    member.unmount();

    serveMe(ADMIN);
    renderWithProviders(<AppShell />);
    const link = await screen.findByTestId('admin-nav');
    expect(link).toHaveAccessibleName('Admin');
    expect(link).toHaveAttribute('href', '/admin');
  });

  it('tells a non-administrator who opens /admin that it is for administrators', async () => {
    serveMe(MEMBER);
    renderAdmin('/admin/users');
    expect(await screen.findByRole('heading', { name: 'Administrators only' })).toBeInTheDocument();
    expect(screen.queryByTestId('user-list')).not.toBeInTheDocument();
  });

  it('shows the same state when the server refuses with 403', async () => {
    // The console still thinks the user is an admin; the server has taken the role away.
    serveMe(ADMIN);
    server.use(
      http.get(`${API}/admin/users`, () =>
        HttpResponse.json(problem(403, 'Administrators only.'), { status: 403 }),
      ),
    );
    renderAdmin('/admin/users');
    expect(await screen.findByRole('heading', { name: 'Administrators only' })).toBeInTheDocument();
  });
});

describe('Admin → Users', () => {
  it('searches on the server, marks the signed-in admin and loads more', async () => {
    serveMe(ADMIN);
    const everyone = [
      managed(ADMIN, 4),
      managed(MEMBER, 1),
      managed({ ...MEMBER, id: 'u-3', email: 'cy@example.com' }),
    ];
    const queries = serveUsers(() => everyone);
    const user = userEvent.setup();
    renderAdmin('/admin/users');

    const list = await screen.findByTestId('user-list');
    const rows = within(list).getAllByTestId('user-row');
    expect(rows).toHaveLength(2);
    expect(within(rows[0]).getByTestId('user-you')).toHaveTextContent('you');
    expect(within(rows[0]).getByText(/4 jobs/)).toBeInTheDocument();
    expect(within(rows[1]).queryByTestId('user-you')).not.toBeInTheDocument();

    await user.click(screen.getByTestId('users-load-more'));
    await waitFor(() => expect(within(list).getAllByTestId('user-row')).toHaveLength(3));
    expect(queries.at(-1)).toEqual({ q: null, cursor: '2' });

    await user.type(screen.getByLabelText('Search by email'), 'bob');
    await waitFor(() => expect(queries.at(-1)).toEqual({ q: 'bob', cursor: null }));
    // Debounced: one request for the whole word, not one per key.
    expect(queries.filter((query) => query.q !== null)).toHaveLength(1);
    await waitFor(() => expect(screen.getAllByTestId('user-row')).toHaveLength(1));
    expect(screen.getByText('bob@example.com')).toBeInTheDocument();
  });

  it('changes a role only after confirming', async () => {
    serveMe(ADMIN);
    let members = [managed(ADMIN), managed(MEMBER)];
    const patches: unknown[] = [];
    serveUsers(() => members);
    server.use(
      http.patch(`${API}/admin/users/:id`, async ({ params, request }) => {
        const body = (await request.json()) as { role: 'user' | 'admin' };
        patches.push({ id: params.id, ...body });
        members = members.map((m) => (m.id === params.id ? { ...m, role: body.role } : m));
        return HttpResponse.json({ ...MEMBER, role: body.role });
      }),
    );
    const user = userEvent.setup();
    renderAdmin('/admin/users');

    const select = await screen.findByRole('combobox', { name: 'Role of bob@example.com' });
    await user.selectOptions(select, 'admin');
    const dialog = screen.getByRole('dialog', { name: 'Make bob@example.com an administrator?' });
    expect(patches).toEqual([]);
    expect(select).toHaveValue('user');

    await user.click(within(dialog).getByRole('button', { name: 'Cancel' }));
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument();
    expect(patches).toEqual([]);

    await user.selectOptions(select, 'admin');
    await user.click(screen.getByTestId('confirm-role-change'));
    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument());
    expect(patches).toEqual([{ id: MEMBER.id, role: 'admin' }]);
    expect(screen.getByRole('combobox', { name: 'Role of bob@example.com' })).toHaveValue('admin');
    expect(await screen.findByText('bob@example.com is now an administrator')).toBeInTheDocument();
  });

  it('says clearly why the last administrator cannot be demoted', async () => {
    serveMe(ADMIN);
    serveUsers(() => [managed(ADMIN), managed(MEMBER)]);
    server.use(
      http.patch(`${API}/admin/users/:id`, () =>
        HttpResponse.json(
          problem(
            409,
            'ada@example.com is the last administrator; make another account an administrator first.',
          ),
          { status: 409 },
        ),
      ),
    );
    const user = userEvent.setup();
    renderAdmin('/admin/users');

    const select = await screen.findByRole('combobox', { name: 'Role of ada@example.com' });
    await user.selectOptions(select, 'user');
    const dialog = screen.getByRole('dialog', { name: 'Remove ada@example.com’s admin role?' });
    expect(dialog).toHaveTextContent('This is your own account');
    await user.click(within(dialog).getByTestId('confirm-role-change'));

    const alert = await within(dialog).findByTestId('role-change-error');
    expect(alert).toHaveAttribute('role', 'alert');
    expect(alert).toHaveTextContent('The last administrator cannot be removed');
    expect(alert).toHaveTextContent(
      'ada@example.com is the last administrator; make another account an administrator first.',
    );
    expect(select).toHaveValue('admin');
  });
});

describe('Admin → Tools', () => {
  function serveTools(initial: Tool[]) {
    let tools = initial;
    const puts: Array<{ key: string; body: Record<string, unknown> }> = [];
    server.use(
      http.get(`${API}/tools`, () => HttpResponse.json({ items: tools })),
      http.put(`${API}/tools/:key`, async ({ params, request }) => {
        const body = (await request.json()) as Record<string, unknown>;
        const key = String(params.key);
        puts.push({ key, body });
        tools = tools.map((t) =>
          t.key === key
            ? {
                ...t,
                ...(typeof body.enabled === 'boolean'
                  ? { enabled: body.enabled, available: body.enabled && t.configured }
                  : {}),
                ...(body.config ? { config: body.config as Tool['config'] } : {}),
              }
            : t,
        );
        return HttpResponse.json(tools.find((t) => t.key === key));
      }),
    );
    return { puts, replace: (next: Tool[]) => (tools = next) };
  }

  it('shows each tool with its kind and availability', async () => {
    serveMe(ADMIN);
    serveTools([
      tool('local'),
      tool('openai', { configured: false, available: false }),
      tool('webhook', { enabled: false, available: false }),
      tool('file'),
    ]);
    renderAdmin('/admin/tools');

    expect(await screen.findByTestId('tool-status-openai')).toHaveTextContent(
      'Not configured: set OPENAI_API_KEY',
    );
    expect(screen.getByTestId('tool-status-local')).toHaveTextContent('Available');
    expect(screen.getByTestId('tool-status-webhook')).toHaveTextContent('Disabled');
    expect(within(screen.getByTestId('tool-webhook')).getByText(/Connector/)).toBeInTheDocument();
    expect(screen.getByRole('switch', { name: 'Enable webhook tool' })).not.toBeChecked();
  });

  it('switches a tool off, and puts the switch back when the server refuses', async () => {
    serveMe(ADMIN);
    const { puts } = serveTools([tool('local'), tool('file')]);
    const user = userEvent.setup();
    renderAdmin('/admin/tools');

    const toggle = await screen.findByTestId('tool-toggle-file');
    expect(toggle).toHaveAttribute('role', 'switch');
    expect(toggle).toBeChecked();
    await user.click(toggle);
    expect(toggle).not.toBeChecked();
    await waitFor(() => expect(puts).toEqual([{ key: 'file', body: { enabled: false } }]));
    expect(await screen.findByTestId('tool-status-file')).toHaveTextContent('Disabled');

    server.use(
      http.put(`${API}/tools/:key`, () =>
        HttpResponse.json(
          problem(422, 'Fix the fields.', [{ field: 'enabled', message: 'must be true or false' }]),
          { status: 422 },
        ),
      ),
    );
    const local = screen.getByTestId('tool-toggle-local');
    await user.click(local);
    expect(await screen.findByText('must be true or false')).toBeInTheDocument();
    await waitFor(() => expect(local).toBeChecked());
    expect(local).toHaveAccessibleDescription('must be true or false');
  });

  it('edits the name and model, and shows the server’s field errors at the field', async () => {
    serveMe(ADMIN);
    const { puts } = serveTools([tool('openai', { config: { display_name: 'OpenAI' } })]);
    const user = userEvent.setup();
    renderAdmin('/admin/tools');

    await user.click(await screen.findByRole('button', { name: 'Edit OpenAI' }));
    const name = screen.getByLabelText('Display name');
    expect(name).toHaveFocus();
    await user.clear(name);
    await user.click(screen.getByTestId('tool-save-openai'));
    expect(name).toHaveAccessibleDescription('Give the tool a name people recognise.');
    expect(puts).toEqual([]);

    server.use(
      http.put(`${API}/tools/:key`, () =>
        HttpResponse.json(
          problem(422, 'Fix the fields.', [
            { field: 'config.display_name', message: 'must be 1 to 80 characters' },
          ]),
          { status: 422 },
        ),
      ),
    );
    await user.type(name, 'Team model');
    await user.type(screen.getByLabelText('Model (optional)'), 'gpt-4o-mini');
    await user.click(screen.getByTestId('tool-save-openai'));
    expect(await screen.findByText('must be 1 to 80 characters')).toBeInTheDocument();
    expect(name).toHaveAttribute('aria-invalid', 'true');
    expect(name).toHaveAccessibleDescription('must be 1 to 80 characters');
  });

  it('sends the whole config, with a model only for openai', async () => {
    serveMe(ADMIN);
    const { puts } = serveTools([tool('file', { config: { display_name: 'Outbox' } })]);
    const user = userEvent.setup();
    renderAdmin('/admin/tools');

    await user.click(await screen.findByRole('button', { name: 'Edit Outbox' }));
    expect(screen.queryByLabelText('Model (optional)')).not.toBeInTheDocument();
    await user.type(screen.getByLabelText('Description (optional)'), '  JSON files on disk ');
    await user.click(screen.getByTestId('tool-save-file'));
    await waitFor(() =>
      expect(puts).toEqual([
        {
          key: 'file',
          body: { config: { display_name: 'Outbox', description: 'JSON files on disk' } },
        },
      ]),
    );
    expect(await screen.findByText('JSON files on disk')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Edit Outbox' })).toBeInTheDocument();
  });
});

describe('Admin → Audit log', () => {
  function serveAudit(pages: AuditEntry[][]) {
    const requests: URLSearchParams[] = [];
    server.use(
      http.get(`${API}/admin/audit`, ({ request }) => {
        const params = new URL(request.url).searchParams;
        requests.push(params);
        const index = Number(params.get('cursor') ?? 0);
        return HttpResponse.json({
          items: pages[index] ?? [],
          next_cursor: index + 1 < pages.length ? String(index + 1) : null,
        });
      }),
    );
    return requests;
  }

  it('lists events in words, with the payload behind a disclosure, and pages on', async () => {
    serveMe(ADMIN);
    serveUsers(() => [managed(ADMIN), managed(MEMBER)]);
    serveAudit([
      [
        entry({
          kind: 'tool.changed',
          subject: 'tool',
          payload: { key: 'openai', changes: { enabled: { from: true, to: false } } } as never,
        }),
        entry({
          kind: 'auth.login_succeeded',
          payload: { email: ADMIN.email, ip: '203.0.113.9' } as never,
        }),
      ],
      [entry({ kind: 'job.created', actor_id: MEMBER.id, payload: { name: 'Q4' } as never })],
    ]);
    const user = userEvent.setup();
    renderAdmin('/admin/audit');

    const list = await screen.findByTestId('audit-list');
    const rows = within(list).getAllByTestId('audit-entry');
    expect(rows[0]).toHaveTextContent('Tool openai disabled by ada@example.com');
    expect(rows[1]).toHaveTextContent('ada@example.com signed in');
    expect(rows[1]).toHaveTextContent('from 203.0.113.9');

    const details = within(rows[0]).getByRole('button', { name: 'Details' });
    expect(details).toHaveAttribute('aria-expanded', 'false');
    await user.click(details);
    expect(details).toHaveAttribute('aria-expanded', 'true');
    const payload = within(rows[0]).getByTestId('audit-payload');
    expect(JSON.parse(payload.textContent ?? '')).toEqual({
      key: 'openai',
      changes: { enabled: { from: true, to: false } },
    });

    await user.click(screen.getByTestId('audit-load-more'));
    expect(
      await within(list).findByText('bob@example.com created the job “Q4”'),
    ).toBeInTheDocument();
  });

  it('asks the server for the kind, actor and days picked', async () => {
    serveMe(ADMIN);
    serveUsers(() => [managed(ADMIN), managed(MEMBER)]);
    const requests = serveAudit([[entry({ kind: 'auth.login_failed', actor_id: null })]]);
    const user = userEvent.setup();
    renderAdmin('/admin/audit');

    await screen.findByTestId('audit-list');
    expect(requests.at(-1)?.get('kind')).toBeNull();

    await user.selectOptions(screen.getByLabelText('Kind'), 'auth.login_failed');
    await waitFor(() => expect(requests.at(-1)?.get('kind')).toBe('auth.login_failed'));

    const actor = screen.getByLabelText('Actor');
    await waitFor(() =>
      expect(within(actor).getByRole('option', { name: MEMBER.email })).toBeInTheDocument(),
    );
    await user.selectOptions(actor, MEMBER.id);
    await waitFor(() => expect(requests.at(-1)?.get('actor_id')).toBe(MEMBER.id));
    expect(requests.at(-1)?.get('kind')).toBe('auth.login_failed');

    await user.type(screen.getByLabelText('From'), '2026-11-01');
    await user.type(screen.getByLabelText('To'), '2026-11-30');
    await waitFor(() => {
      expect(requests.at(-1)?.get('from')).toBe(new Date(2026, 10, 1).toISOString());
      expect(requests.at(-1)?.get('to')).toBe(new Date(2026, 11, 1).toISOString());
    });

    const sent = requests.length;
    await user.clear(screen.getByLabelText('To'));
    await user.type(screen.getByLabelText('To'), '2026-10-01');
    expect(screen.getByLabelText('To')).toHaveAccessibleDescription(
      'The last day must not be before the first day.',
    );
    expect(requests.slice(sent).every((params) => params.get('to') !== '2026-10-01')).toBe(true);

    await user.click(screen.getByRole('button', { name: 'Clear filters' }));
    await waitFor(() => {
      const last = requests.at(-1);
      expect([last?.get('kind'), last?.get('actor_id'), last?.get('from')]).toEqual([
        null,
        null,
        null,
      ]);
    });
  });
});
