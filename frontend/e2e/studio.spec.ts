import { expect, test } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { ARTICLE, generate, register, waitForStatus } from './helpers';

test('register, generate four variants, edit, accept and export the X post', async ({ page }) => {
  await register(page);

  for (const channel of ['linkedin', 'x', 'newsletter', 'blog']) {
    await expect(page.getByTestId(`channel-${channel}`)).toBeChecked();
  }
  await generate(page, 'Four-day week', ARTICLE);
  await waitForStatus(page, 'needs_review');

  for (const channel of ['linkedin', 'x', 'newsletter', 'blog']) {
    await expect(page.getByTestId(`variant-card-${channel}`)).toBeVisible();
  }
  await expect(page.locator('[data-testid^="variant-card-"]')).toHaveCount(4);

  // Grounding: hovering a generated sentence highlights its source.
  await page.getByTestId('variant-card-linkedin').locator('[data-grounded]').first().hover();
  await expect(page.getByTestId('source-highlight').first()).toBeVisible();

  const counter = page.getByTestId('counter-x');
  const before = await counter.innerText();
  await page.getByTestId('edit-x').click();
  const editor = page.getByTestId('variant-editor-x');
  const edited = 'Rye & Crumb moved to a four-day week 🍞 and sales went up. #FourDayWeek';
  await editor.fill(edited);
  await expect(counter).not.toHaveText(before);
  await expect(counter).toContainText('71/280');

  await page.getByTestId('accept-x').click();
  await expect(page.getByTestId('accept-x')).toHaveAttribute('aria-pressed', 'true');
  await expect(page.getByTestId('variant-card-x')).toContainText('Accepted');

  await page.getByTestId('export-format-x').selectOption('txt');
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByTestId('export-x').click(),
  ]);
  expect(download.suggestedFilename()).toMatch(/\.txt$/);
  const file = readFileSync(await download.path(), 'utf8');
  expect(file.trim()).toBe(edited);
});

test('a source too short is refused at once, keeping the input; Jobs filters and opens a job', async ({
  page,
}) => {
  await register(page);
  await generate(page, 'One-liner', 'We opened a new shop.');
  // Refused by POST /jobs with the reason on the source field: no job that fails later.
  await expect(page.getByText(/too short/)).toBeVisible();
  await expect(page.getByTestId('source-text')).toHaveValue('We opened a new shop.');
  await expect(page.getByTestId('job-status')).toHaveCount(0);

  await generate(page, 'Bakery news', ARTICLE);
  await waitForStatus(page, 'needs_review');
  await page.getByTestId('new-job').click();
  await generate(page, 'Opening hours', ARTICLE);
  await waitForStatus(page, 'needs_review');

  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Jobs' }).click();
  await expect(page.getByTestId('job-row')).toHaveCount(2);
  await page.getByTestId('status-filter').selectOption('failed');
  await expect(page.getByTestId('job-row')).toHaveCount(0);
  await page.getByTestId('status-filter').selectOption('all');
  await page.getByTestId('job-search').fill('bakery');
  await expect(page.getByTestId('job-row')).toHaveCount(1);
  await page.getByTestId('job-row').click();
  await expect(page.getByRole('heading', { level: 1, name: 'Bakery news' })).toBeVisible();
  await expect(page.locator('[data-testid^="variant-card-"]')).toHaveCount(4);
});
