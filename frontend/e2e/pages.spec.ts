import { expect, test, type Page } from '@playwright/test';
import {
  ARTICLE,
  createAdmin,
  expectNoSeriousA11yViolations,
  generate,
  login,
  register,
  waitForStatus,
} from './helpers';

const SCREENSHOTS = '../test-results/screenshots';
const VIEWPORTS = [
  { width: 1280, height: 800 },
  { width: 375, height: 812 },
];

async function settle(page: Page) {
  await page.waitForLoadState('networkidle');
  // Loading blocks pulse through `motion-safe:animate-pulse`, hence the substring match.
  await expect(
    page.locator('[role="status"][aria-live="polite"] [class*="animate-pulse"]'),
  ).toHaveCount(0);
  await page.evaluate(() => document.fonts.ready);
}

test.describe.configure({ mode: 'serial' });

test('every page: screenshots at 1280 and 375, axe, visual baselines', async ({ page }) => {
  test.setTimeout(180_000);

  // Public pages first.
  for (const vp of VIEWPORTS) {
    await page.setViewportSize(vp);
    for (const [name, path] of [
      ['login', '/login'],
      ['register', '/register'],
    ] as const) {
      await page.goto(path);
      await settle(page);
      await page.screenshot({ path: `${SCREENSHOTS}/${name}-${vp.width}.png`, fullPage: true });
      await expectNoSeriousA11yViolations(page, `${name} @${vp.width}`);
    }
  }

  await page.setViewportSize(VIEWPORTS[0]);
  await register(page);
  await generate(page, 'Four-day week', ARTICLE);
  await waitForStatus(page, 'needs_review');
  const jobUrl = new URL(page.url());
  const jobId = jobUrl.searchParams.get('job');
  expect(jobId).toBeTruthy();

  // The dashboard counts the job just generated, from GET /kpis.
  await page.goto('/');
  await expect(page.getByTestId('kpi-jobs-needs_review')).toHaveText('1');
  await expect(page.getByTestId('kpi-acceptance-rate')).toContainText('0%');
  await expect(page.getByTestId('activity-chart')).toBeVisible();

  const pages = [
    ['dashboard', '/'],
    ['studio', '/studio'],
    ['studio-results', `/studio?job=${jobId}`],
    ['jobs', '/jobs'],
    ['job-detail', `/jobs/${jobId}`],
    ['scheduler', '/scheduler'],
    ['settings', '/settings'],
  ] as const;

  for (const vp of VIEWPORTS) {
    await page.setViewportSize(vp);
    for (const [name, path] of pages) {
      await page.goto(path);
      await settle(page);
      await page.screenshot({ path: `${SCREENSHOTS}/${name}-${vp.width}.png`, fullPage: true });
      await expectNoSeriousA11yViolations(page, `${name} @${vp.width}`);
    }
  }

  // Light theme is checked too.
  await page.setViewportSize(VIEWPORTS[0]);
  await page.goto('/studio');
  await page.getByTestId('theme-toggle').click();
  await expect(page.locator('html')).not.toHaveClass(/dark/);
  await settle(page);
  await page.screenshot({ path: `${SCREENSHOTS}/studio-light-1280.png`, fullPage: true });
  await expectNoSeriousA11yViolations(page, 'studio (light)');
  await page.getByTestId('theme-toggle').click();
  await expect(page.locator('html')).toHaveClass(/dark/);

  // Visual regression baselines (dark, 1280×800), dynamic content masked.
  const mask = [page.locator('[data-dynamic]'), page.getByTestId('user-email')];
  for (const [name, path] of [
    ['studio', '/studio'],
    ['jobs', '/jobs'],
    ['dashboard', '/'],
  ] as const) {
    await page.goto(path);
    await settle(page);
    await expect(page).toHaveScreenshot(`${name}.png`, { mask, fullPage: false });
  }

  // The Admin area, as an administrator (after the baselines: their sidebar has no Admin link).
  await page.getByTestId('logout').click();
  await expect(page).toHaveURL(/\/login/);
  await login(page, createAdmin());
  for (const vp of VIEWPORTS) {
    await page.setViewportSize(vp);
    for (const section of ['users', 'tools', 'audit'] as const) {
      await page.goto(`/admin/${section}`);
      await settle(page);
      await page.screenshot({
        path: `${SCREENSHOTS}/admin-${section}-${vp.width}.png`,
        fullPage: true,
      });
      await expectNoSeriousA11yViolations(page, `admin ${section} @${vp.width}`);
    }
  }
});

test('the sidebar collapses into a menu button at 375 px', async ({ page }) => {
  await page.setViewportSize({ width: 375, height: 812 });
  await register(page);
  const menu = page.getByTestId('menu-button');
  await expect(menu).toBeVisible();
  await expect(menu).toHaveAttribute('aria-expanded', 'false');
  await menu.click();
  await page.locator('#mobile-nav').getByRole('link', { name: 'Jobs' }).click();
  await expect(page).toHaveURL(/\/jobs$/);
  await expect(page.locator('#mobile-nav')).toHaveCount(0);
});
