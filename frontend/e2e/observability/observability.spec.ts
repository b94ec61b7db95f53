import { expect, test, type Page, type Request } from '@playwright/test';
import { createServer, type Server } from 'node:http';
import { gunzipSync } from 'node:zlib';
import { publishInSeconds, signIn } from '../api';
import { ARTICLE, PASSWORD, generate, register, uniqueEmail, waitForStatus } from '../helpers';
import { API_URL, POSTHOG_HOST, SENTRY_PORT } from './stack';

type Captured = { event: string; properties: Record<string, unknown> };

// posthog-js drops the events of browsers that look automated: this one poses as a person's
// (the config sets an ordinary user agent).
test.beforeEach(async ({ page }) => {
  await page.addInitScript(() => {
    Object.defineProperty(Navigator.prototype, 'webdriver', { get: () => false });
    Object.defineProperty(Navigator.prototype, 'userAgentData', { get: () => undefined });
  });
});

/** A PostHog request body as posthog-js sends it: gzip, base64 form data, or JSON. */
function decodePostHogBody(request: Request): string {
  const body = request.postDataBuffer() ?? Buffer.alloc(0);
  if (body[0] === 0x1f && body[1] === 0x8b) return gunzipSync(body).toString('utf8');
  const text = body.toString('utf8');
  const form = new URLSearchParams(text).get('data');
  return form ? Buffer.from(form, 'base64').toString('utf8') : text;
}

/** Answers PostHog's address in place of PostHog, keeping every body it was sent, decoded. */
async function fakePostHog(page: Page) {
  const bodies: string[] = [];
  const events: Captured[] = [];
  await page.route(`${POSTHOG_HOST}/**`, async (route) => {
    const request = route.request();
    const cors = { 'access-control-allow-origin': '*', 'access-control-allow-headers': '*' };
    if (request.method() === 'POST') {
      const text = decodePostHogBody(request);
      bodies.push(text);
      // One event, a list of them, or a `{ batch }` of them.
      const sent = JSON.parse(text) as Captured | Captured[] | { batch: Captured[] };
      events.push(...(Array.isArray(sent) ? sent : 'batch' in sent ? sent.batch : [sent]));
    }
    await route.fulfill({ status: 200, headers: cors, json: { status: 1 } });
  });
  return { bodies, events, names: () => events.map((e) => e.event) };
}

test('the funnel reaches PostHog in order, with kinds and channels and nothing personal', async ({
  page,
  request,
}) => {
  const posthog = await fakePostHog(page);
  const email = uniqueEmail('funnel');

  await register(page, email);
  const created = page.waitForRequest(
    (r) => r.method() === 'POST' && r.url() === `${API_URL}/jobs`,
  );
  await generate(page, 'Four-day week', ARTICLE);
  // Each call starts a W3C trace, which the API accepts (it is on its CORS list).
  expect((await created).headers()['traceparent']).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
  await waitForStatus(page, 'needs_review');

  const card = page.getByTestId('variant-card-x');
  await page.getByTestId('edit-x').click();
  await page
    .getByTestId('variant-editor-x')
    .fill('A four-day week, and sales went up. #FourDayWeek');
  await page.getByTestId('accept-x').click();
  await expect(page.getByTestId('accept-x')).toHaveAttribute('aria-pressed', 'true');

  await page.getByTestId('export-format-x').selectOption('md');
  await Promise.all([page.waitForEvent('download'), page.getByTestId('export-x').click()]);

  await card.getByTestId('schedule-button').click();
  const dialog = page.getByRole('dialog', { name: 'Schedule X post' });
  const tomorrow = new Date(Date.now() + 24 * 3600_000).toISOString().slice(0, 10);
  await dialog.getByTestId('schedule-date').fill(tomorrow);
  await dialog.getByTestId('schedule-time').fill('09:00');
  await dialog.getByTestId('schedule-timezone').fill('UTC');
  const saved = page.waitForResponse(
    (r) => r.request().method() === 'POST' && r.url() === `${API_URL}/schedule`,
  );
  await dialog.getByTestId('schedule-save').click();
  const schedule = (await (await saved).json()) as { id: string };
  await expect(dialog).toBeHidden();
  await expect.poll(posthog.names).toContain('scheduled');

  // The scheduler publishes it (to a file) with the console looking elsewhere; the console
  // reports it when it next looks, here on a reload.
  const token = await signIn(request, email, API_URL);
  await publishInSeconds(request, token, schedule.id, 3, API_URL);
  await expect
    .poll(
      async () => {
        const runs = await request.get(`${API_URL}/schedule/${schedule.id}/runs`, {
          headers: { Authorization: `Bearer ${token}` },
        });
        return ((await runs.json()) as { items: { status: string }[] }).items.map(
          (run) => run.status,
        );
      },
      { timeout: 30_000 },
    )
    .toEqual(['published']);
  await page.reload();

  await expect.poll(posthog.names).toContain('published');
  expect(posthog.names()).toEqual([
    'signed_up',
    'job_created',
    'variant_edited',
    'variant_accepted',
    'exported',
    'scheduled',
    'published',
  ]);
  const props = (name: string) => posthog.events.find((e) => e.event === name)?.properties;
  expect(props('job_created')).toMatchObject({
    // The article is Markdown, which the Studio recognises.
    source_kind: 'markdown',
    channels: ['linkedin', 'x', 'newsletter', 'blog'],
  });
  expect(props('variant_accepted')).toMatchObject({ channel: 'x' });
  expect(props('exported')).toMatchObject({ format: 'md', channel: 'x' });
  expect(props('scheduled')).toMatchObject({ channel: 'x', recurring: false, via: 'schedule' });
  expect(props('published')).toMatchObject({ channel: 'x', connector: 'file' });

  // Kinds and counts only: no address, password, source or post text, no id, and no identify
  // call.
  const sent = posthog.bodies.join('\n');
  for (const personal of [
    email,
    PASSWORD,
    ARTICLE.slice(0, 40),
    'sales went up',
    schedule.id,
    '$identify',
  ]) {
    expect(sent).not.toContain(personal);
  }
});

test('with Do Not Track on, PostHog is never loaded and nothing is sent', async ({ page }) => {
  await page.addInitScript(() =>
    Object.defineProperty(Navigator.prototype, 'doNotTrack', { get: () => '1' }),
  );
  const posthog = await fakePostHog(page);
  const loads: string[] = [];
  page.on('request', (r) => {
    if (r.url().includes('posthog')) loads.push(r.url());
  });

  await register(page);
  await generate(page, 'Four-day week', ARTICLE);
  await waitForStatus(page, 'needs_review');

  // Both events were tracked by now: had they been allowed, the SDK would have been fetched.
  expect(loads).toEqual([]);
  expect(posthog.bodies).toEqual([]);
  await page.goto('/settings');
  await expect(page.getByTestId('analytics-switch')).toBeDisabled();
});

test('switched off in Settings, analytics stay off on later visits', async ({ page }) => {
  const posthog = await fakePostHog(page);
  await register(page);
  await expect.poll(posthog.names).toEqual(['signed_up']);

  await page.goto('/settings');
  const toggle = page.getByTestId('analytics-switch');
  await expect(toggle).toHaveAttribute('aria-checked', 'true');
  await toggle.click();
  await expect(toggle).toHaveAttribute('aria-checked', 'false');

  // A new page load: the SDK fetched for the first page is gone, and nothing fetches it again.
  await page.goto('/studio');
  const loads: string[] = [];
  page.on('request', (r) => {
    if (r.url().includes('posthog')) loads.push(r.url());
  });
  await generate(page, 'Four-day week', ARTICLE);
  await waitForStatus(page, 'needs_review');
  expect(loads).toEqual([]);
  expect(posthog.names()).toEqual(['signed_up']);
});

/** A loopback Sentry: keeps the items of every envelope posted to `/api/<project>/envelope/`. */
async function startFakeSentry() {
  const envelopes: string[] = [];
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      if (request.method === 'POST' && /^\/api\/\d+\/envelope\//.test(request.url ?? '')) {
        envelopes.push(Buffer.concat(chunks).toString('utf8'));
      }
      response.writeHead(200, { 'access-control-allow-origin': '*' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(SENTRY_PORT, '127.0.0.1', resolve));
  /** The error events among the envelopes' items (sessions and client reports aside). */
  const events = () =>
    envelopes.flatMap((envelope) => {
      const lines = envelope.split('\n');
      const found: Record<string, unknown>[] = [];
      for (let i = 1; i + 1 < lines.length; i += 2) {
        if ((JSON.parse(lines[i]) as { type: string }).type === 'event') {
          found.push(JSON.parse(lines[i + 1]) as Record<string, unknown>);
        }
      }
      return found;
    });
  return { envelopes, events, close: () => new Promise((resolve) => server.close(resolve)) };
}

test('an API call the server fails is reported once, with its request id and nothing personal', async ({
  page,
}) => {
  const sentry = await startFakeSentry();
  try {
    const posthog = await fakePostHog(page);
    const email = await register(page, uniqueEmail('sentry'));
    await expect.poll(posthog.names).toEqual(['signed_up']);

    const requestId = '0193a000-0000-7000-8000-0000000e2e50';
    await page.route(`${API_URL}/jobs`, (route) =>
      route.request().method() === 'POST'
        ? route.fulfill({
            status: 500,
            contentType: 'application/problem+json',
            headers: { 'access-control-allow-origin': '*', 'x-request-id': requestId },
            json: {
              type: 'about:blank',
              title: 'Internal Server Error',
              status: 500,
              detail: 'The server had a problem.',
              request_id: requestId,
            },
          })
        : route.fallback(),
    );
    const created = page.waitForRequest(
      (r) => r.method() === 'POST' && r.url() === `${API_URL}/jobs`,
    );
    await generate(page, 'Four-day week', ARTICLE);
    const traceparent = (await created).headers()['traceparent'];
    await expect(page.getByTestId('toast-error').first()).toBeVisible();

    await expect.poll(() => sentry.events().length).toBeGreaterThan(0);
    const [event, ...others] = sentry.events();
    expect(others).toEqual([]);
    expect(event).toMatchObject({
      level: 'error',
      environment: 'e2e',
      message: 'POST /jobs answered 500',
      tags: {
        kind: 'api',
        status: 500,
        problem_type: 'about:blank',
        request_id: requestId,
        trace_id: traceparent.split('-')[1],
      },
    });
    const token = await page.evaluate(() => localStorage.getItem('kyros.access_token'));
    expect(token).toBeTruthy();
    const sent = sentry.envelopes.join('\n');
    for (const personal of [email, PASSWORD, ARTICLE.slice(0, 40), 'Bearer ', token!]) {
      expect(sent).not.toContain(personal);
    }
  } finally {
    await sentry.close();
  }
});
