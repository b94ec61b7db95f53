import AxeBuilder from '@axe-core/playwright';
import { expect, type Page } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { E2E_DATABASE_URL } from './stack';

export const ARTICLE = readFileSync(
  fileURLToPath(new URL('../../backend/crates/kyros/examples/four-day-week.md', import.meta.url)),
  'utf8',
);

export const PASSWORD = 'correct horse battery';

export function uniqueEmail(prefix = 'e2e'): string {
  return `${prefix}-${Date.now()}-${Math.floor(Math.random() * 1e6)}@example.com`;
}

/** Registers a fresh account through the UI and lands in the Studio. */
export async function register(page: Page, email = uniqueEmail()): Promise<string> {
  await page.goto('/register');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Create account' }).click();
  await expect(page).toHaveURL(/\/studio$/);
  return email;
}

const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/**
 * Creates an administrator with `kyros admin create-user`, against the database the API under
 * test serves: the suite's own debug API, or (`KYROS_E2E_EXTERNAL_STACK=1`) the release API
 * that ./scripts/start.sh runs from the repository root with its default database.
 */
export function createAdmin(email = uniqueEmail('admin')): string {
  const external = process.env.KYROS_E2E_EXTERNAL_STACK === '1';
  const binary = `${REPO_ROOT}backend/target/${external ? 'release' : 'debug'}/kyros`;
  execFileSync(
    binary,
    ['admin', 'create-user', '--email', email, '--password', '-', '--role', 'admin'],
    {
      cwd: REPO_ROOT,
      env: external ? process.env : { ...process.env, DATABASE_URL: E2E_DATABASE_URL },
      input: `${PASSWORD}\n`,
      stdio: ['pipe', 'pipe', 'pipe'],
    },
  );
  return email;
}

/** Signs in through the login form; the console opens where it was sent from, or the Studio. */
export async function login(page: Page, email: string): Promise<void> {
  await page.goto('/login');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Log in' }).click();
  await expect(page.getByTestId('logout')).toBeVisible();
  await expect(page).not.toHaveURL(/\/login/);
}

/** Fills the Studio form and clicks Generate. */
export async function generate(page: Page, name: string, content: string): Promise<void> {
  await page.getByTestId('job-name').fill(name);
  await page.getByTestId('source-text').fill(content);
  await page.getByTestId('generate').click();
}

export async function waitForStatus(page: Page, status: string): Promise<void> {
  await expect(page.getByTestId('job-status')).toHaveAttribute('data-status', status, {
    timeout: 30_000,
  });
}

/** Fails on serious or critical WCAG 2.1 A/AA violations on the page as it is now. */
export async function expectNoSeriousA11yViolations(page: Page, name: string): Promise<void> {
  const results = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
    .analyze();
  const serious = results.violations.filter(
    (v) => v.impact === 'serious' || v.impact === 'critical',
  );
  expect(
    serious.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`),
    `accessibility violations on ${name}`,
  ).toEqual([]);
}

const SCREENSHOTS = '../test-results/screenshots';
/** The widths every story is pictured at: a desktop and a phone. */
export const VIEWPORTS = [
  { width: 1280, height: 800 },
  { width: 375, height: 812 },
];

/** Axe, then a picture at each width: of the whole page, or of the screen when a dialog is open. */
export async function screenshots(
  page: Page,
  name: string,
  { fullPage = true } = {},
): Promise<void> {
  for (const viewport of VIEWPORTS) {
    await page.setViewportSize(viewport);
    // From the top, so the sticky top bar is not drawn over the middle of a full-page picture.
    if (fullPage) await page.evaluate(() => window.scrollTo(0, 0));
    await expectNoSeriousA11yViolations(page, `${name} @${viewport.width}`);
    await page.screenshot({ path: `${SCREENSHOTS}/${name}-${viewport.width}.png`, fullPage });
  }
  await page.setViewportSize(VIEWPORTS[0]);
}

/** Eight random letters (digits in a post would be claims the source does not make). */
export function randomWord(): string {
  return Array.from({ length: 8 }, () =>
    String.fromCharCode(97 + Math.floor(Math.random() * 26)),
  ).join('');
}

/**
 * Marks every part of the X post on the job's page with `word` (X refuses a post repeating a
 * recent one, and an earlier attempt, a retry, may have published the same thread to the same
 * account) and accepts it. Returns the parts as the preview shows them.
 */
export async function acceptMarkedX(page: Page, word: string): Promise<string[]> {
  const card = page.getByTestId('variant-card-x');
  await card.getByTestId('edit-x').click();
  const editor = page.getByTestId('variant-editor-x');
  const generated = (await editor.inputValue()).split(/\n[ \t]*\n/);
  await editor.fill(generated.map((part) => `(${word}) ${part}`).join('\n\n'));
  await card.getByTestId('accept-x').click();
  await expect(card.getByTestId('accept-x')).toHaveAttribute('aria-pressed', 'true');
  const parts = await card.getByTestId('x-part').allInnerTexts();
  expect(parts).toHaveLength(generated.length);
  return parts;
}
