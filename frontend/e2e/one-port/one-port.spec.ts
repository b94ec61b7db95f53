import { expect, test } from '@playwright/test';
import { ARTICLE, generate, register, waitForStatus } from '../helpers';

test('the console served by `kyros serve` works on its one port, deep links included', async ({
  page,
}) => {
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(message.text());
  });

  await register(page);
  await generate(page, 'Four-day week', ARTICLE);
  await waitForStatus(page, 'needs_review');
  const jobId = new URL(page.url()).searchParams.get('job');
  expect(jobId).toBeTruthy();

  // A page load of a console route the API also has (`GET /jobs/{id}`) shows the page.
  await page.goto(`/jobs/${jobId}`);
  await expect(page.getByTestId('variant-card-linkedin')).toBeVisible();
  await page.reload();
  await expect(page.getByTestId('variant-card-x')).toBeVisible();
  await page.goto('/no-such-page');
  await expect(page.getByRole('heading', { name: 'Page not found' })).toBeVisible();

  // Nothing was refused by the page's Content-Security-Policy, and nothing failed.
  expect(problems).toEqual([]);
});

test('pages, files and API answers each get their own headers', async ({ request }) => {
  const page = await request.get('/', { headers: { accept: 'text/html' } });
  expect(page.status()).toBe(200);
  expect(page.headers()['content-type']).toContain('text/html');
  expect(page.headers()['cache-control']).toBe('no-cache');
  expect(page.headers()['content-security-policy']).toContain("script-src 'self'");
  expect(page.headers()['x-frame-options']).toBe('DENY');

  const html = await page.text();
  const script = /src="(\/assets\/[^"]+\.js)"/.exec(html)?.[1];
  expect(script).toBeTruthy();
  const asset = await request.get(script!, { headers: { 'accept-encoding': 'br, gzip' } });
  expect(asset.status()).toBe(200);
  expect(asset.headers()['content-type']).toContain('javascript');
  expect(asset.headers()['cache-control']).toContain('immutable');
  expect(asset.headers()['content-encoding']).toMatch(/br|gzip/);
  const again = await request.get(script!, {
    headers: { 'if-none-match': asset.headers()['etag'] },
  });
  expect(again.status()).toBe(304);

  // The API keeps its paths: a call that does not ask for HTML is answered by the API.
  const jobs = await request.get('/jobs', { headers: { accept: 'application/json' } });
  expect(jobs.status()).toBe(401);
  expect(jobs.headers()['content-type']).toContain('application/problem+json');
  const health = await request.get('/healthz', { headers: { accept: 'text/html' } });
  expect(health.headers()['content-type']).toContain('application/json');
});

test('the first paint already has the device theme, before the console script runs', async ({
  page,
}) => {
  // Without the console's own script only index.html's theme script can set the class.
  await page.route('**/assets/*.js', (route) => route.abort());
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    await page.goto('/login');
    const classes = await page.evaluate(() => document.documentElement.className);
    expect(classes.includes('dark')).toBe(scheme === 'dark');
  }
});
