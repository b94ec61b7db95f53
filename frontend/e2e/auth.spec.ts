import { expect, test } from '@playwright/test';
import { PASSWORD, register } from './helpers';

test('the register form validates email and password inline', async ({ page }) => {
  await page.goto('/register');
  await page.getByLabel('Email').fill('not-an-email');
  await page.getByLabel('Password').fill('short');
  await page.getByRole('button', { name: 'Create account' }).click();
  await expect(page.getByLabel('Email')).toHaveAttribute('aria-invalid', 'true');
  await expect(page.getByText('Enter a valid email address, like name@example.com.')).toBeVisible();
  await expect(page.getByText('Use at least 8 characters.')).toBeVisible();
  await expect(page).toHaveURL(/\/register$/);
});

test('wrong credentials show the server detail; a session survives a reload; logout', async ({
  page,
}) => {
  const email = await register(page);
  await page.reload();
  await expect(page.getByRole('heading', { level: 1, name: 'Studio' })).toBeVisible();
  await page.getByTestId('logout').click();
  await expect(page).toHaveURL(/\/login/);

  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill('wrong-password');
  await page.getByRole('button', { name: 'Log in' }).click();
  await expect(
    page.getByRole('alert').filter({ hasText: 'The email or password is incorrect.' }).first(),
  ).toBeVisible();

  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Log in' }).click();
  await expect(page).toHaveURL(/\/studio$/);
});

test('ten rapid reloads in two tabs keep the session, even when a refresh answer is lost', async ({
  page,
  context,
}) => {
  await register(page);
  const second = await context.newPage();
  await second.goto('/studio');
  await expect(second.getByTestId('logout')).toBeVisible();
  const staleAccess = () => localStorage.setItem('kyros.access_expires_at', '0');
  for (let i = 0; i < 10; i += 1) {
    const tab = i % 2 === 0 ? page : second;
    // The load refreshes (its stored access token is stale); the server rotates the refresh
    // token, but the page is reloaded before the answer arrives: the next load presents the
    // token the server has just rotated, an honest race it must not take for a replay.
    await tab.evaluate(staleAccess);
    let rotated!: () => void;
    const answerLost = new Promise<void>((resolve) => (rotated = resolve));
    await tab.route(
      '**/auth/refresh',
      async (route) => {
        await route.fetch();
        rotated();
      },
      { times: 1 },
    );
    await tab.reload({ waitUntil: 'commit' });
    await answerLost;
    await tab.unroute('**/auth/refresh');
    await tab.reload();
    await expect(tab.getByTestId('logout')).toBeVisible();
  }
  for (const tab of [page, second]) {
    await tab.reload();
    await expect(tab.getByRole('heading', { level: 1, name: 'Studio' })).toBeVisible();
    await expect(tab).toHaveURL(/\/studio$/);
  }
});
