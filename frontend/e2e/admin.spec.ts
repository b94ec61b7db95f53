import { expect, test } from '@playwright/test';
import { createAdmin, expectNoSeriousA11yViolations, login, PASSWORD, register } from './helpers';
import { API_URL } from './stack';

test.describe.configure({ mode: 'serial' });

let adminEmail = '';

test.beforeAll(() => {
  adminEmail = createAdmin();
});

// The other stories schedule through the file connector: whatever happens here, it ends on.
test.afterAll(async ({ playwright }) => {
  const api = await playwright.request.newContext({ baseURL: API_URL });
  const signIn = await api.post('/auth/login', { data: { email: adminEmail, password: PASSWORD } });
  const { access_token: token } = (await signIn.json()) as { access_token: string };
  const restored = await api.put('/tools/file', {
    data: { enabled: true },
    headers: { Authorization: `Bearer ${token}` },
  });
  expect(restored.ok()).toBe(true);
  await api.dispose();
});

test('an administrator sees users, switches the file tool off and finds it in the audit log', async ({
  page,
}) => {
  await login(page, adminEmail);
  const nav = page.getByTestId('admin-nav');
  await expect(nav).toBeVisible();
  await nav.click();
  await expect(page).toHaveURL(/\/admin\/users$/);

  await page.getByTestId('user-search').fill(adminEmail);
  const me = page.getByTestId('user-row').filter({ hasText: adminEmail });
  await expect(me).toHaveCount(1);
  await expect(me.getByTestId('user-you')).toHaveText('you');
  await expect(me.getByTestId('user-role-select')).toHaveValue('admin');
  await expectNoSeriousA11yViolations(page, 'admin users');

  await page.getByTestId('admin-tab-tools').click();
  await expect(page).toHaveURL(/\/admin\/tools$/);
  const file = page.getByTestId('tool-toggle-file');
  await expect(file).toHaveAttribute('aria-checked', 'true');
  await expect(page.getByTestId('tool-status-openai')).toHaveText(
    'Not configured: set OPENAI_API_KEY',
  );
  await file.click();
  await expect(file).toHaveAttribute('aria-checked', 'false');
  await expect(page.getByTestId('tool-status-file')).toHaveText('Disabled');
  await page.reload();
  await expect(page.getByTestId('tool-toggle-file')).toHaveAttribute('aria-checked', 'false');
  await expect(page.getByTestId('tool-status-file')).toHaveText('Disabled');
  await expectNoSeriousA11yViolations(page, 'admin tools');

  await page.getByTestId('admin-tab-audit').click();
  const log = page.getByTestId('audit-list');
  await expect(log.getByText(`Tool file disabled by ${adminEmail}`)).toBeVisible();
  await expect(log.getByText(`${adminEmail} signed in`).first()).toBeVisible();

  await page.getByTestId('audit-kind-filter').selectOption('tool.changed');
  await expect(page).toHaveURL(/kind=tool\.changed/);
  await expect(log.getByText(`${adminEmail} signed in`)).toHaveCount(0);
  const change = log.getByTestId('audit-entry').first();
  await expect(change).toContainText(`Tool file disabled by ${adminEmail}`);
  await change.getByRole('button', { name: 'Details' }).click();
  await expect(change.getByTestId('audit-payload')).toContainText('"key": "file"');
  await expectNoSeriousA11yViolations(page, 'admin audit');
});

test('a user who is not an administrator sees no Admin area', async ({ page }) => {
  await register(page);
  await expect(page.getByRole('link', { name: 'Settings' })).toBeVisible();
  await expect(page.getByTestId('admin-nav')).toHaveCount(0);
  await page.goto('/admin/users');
  await expect(page.getByRole('heading', { name: 'Administrators only' })).toBeVisible();
  await expect(page.getByTestId('user-list')).toHaveCount(0);
});
