/**
 * From an article to a thread on a social network, in the browser: the Studio writes it, X's
 * consent page (the fake X of the fakenets crate) connects the account, the scheduler publishes
 * it, and the network is asked what it got. Each stage is a step built from the helpers below,
 * so other ways to schedule (a queue slot) and later checks (the post's counts) are steps too.
 */
import { expect, test, type Locator, type Page } from '@playwright/test';
import { FakeNetwork, threadFrom } from './fakenets';
import {
  ARTICLE,
  expectNoSeriousA11yViolations,
  generate,
  register,
  waitForStatus,
} from './helpers';

const ZONE = 'Europe/Berlin';
const SCREENSHOTS = '../test-results/screenshots';
const VIEWPORTS = [
  { width: 1280, height: 800 },
  { width: 375, height: 812 },
];
/** The account signed in on the fake X (`fakenets::x::USERNAME`), as the console names it. */
const X_ACCOUNT = '@kyros_fake on X';
/** The least time left to fill and save the schedule dialog before the post's minute comes. */
const LEAD_MS = 20_000;

test.use({ timezoneId: ZONE });
test.skip(
  process.env.KYROS_E2E_EXTERNAL_STACK === '1',
  'publishes to the fake X that playwright.config.ts starts beside its own API',
);

/** The first whole minute at least `LEAD_MS` from now, as the schedule dialog takes it in ZONE. */
function nextMinute(): { date: string; time: string } {
  const at = new Date(Math.ceil((Date.now() + LEAD_MS) / 60_000) * 60_000);
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone: ZONE,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(at);
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return {
    date: `${get('year')}-${get('month')}-${get('day')}`,
    time: `${get('hour')}:${get('minute')}`,
  };
}

/** Eight random letters (digits in a post would be claims the source does not make). */
function randomWord(): string {
  return Array.from({ length: 8 }, () =>
    String.fromCharCode(97 + Math.floor(Math.random() * 26)),
  ).join('');
}

/** Axe, then a picture at each width: of the whole page, or of the screen when a dialog is open. */
async function screenshots(page: Page, name: string, { fullPage = true } = {}): Promise<void> {
  for (const viewport of VIEWPORTS) {
    await page.setViewportSize(viewport);
    // From the top, so the sticky top bar is not drawn over the middle of a full-page picture.
    if (fullPage) await page.evaluate(() => window.scrollTo(0, 0));
    await expectNoSeriousA11yViolations(page, `${name} @${viewport.width}`);
    await page.screenshot({ path: `${SCREENSHOTS}/${name}-${viewport.width}.png`, fullPage });
  }
  await page.setViewportSize(VIEWPORTS[0]);
}

/** Settings → Connections → Connect X → the network's consent page → Authorize → back. */
async function connectX(page: Page): Promise<void> {
  await page
    .getByRole('navigation', { name: 'Main' })
    .getByRole('link', { name: 'Settings' })
    .click();
  await page.getByTestId('connect-x').click();

  await expect(
    page.getByRole('heading', { name: 'Authorize Kyros to use your X account?' }),
  ).toBeVisible();
  await page.getByRole('button', { name: 'Authorize' }).click();

  // The callback page finishes the connection and opens Settings → Connections.
  await expect(
    page.getByTestId('toast-success').filter({ hasText: `Connected ${X_ACCOUNT}` }),
  ).toBeVisible();
  await expect(page).toHaveURL(/\/settings#connections$/);
  const row = page.getByTestId('connection-row');
  await expect(row).toHaveCount(1);
  await expect(row).toHaveAttribute('data-status', 'active');
  await expect(row).toContainText('@kyros_fake · X');
}

/**
 * Schedules the accepted post on `card` to the connected X account at the next minute, then
 * opens the schedule's details from the card.
 */
async function scheduleToX(page: Page, card: Locator): Promise<Locator> {
  await card.getByTestId('schedule-button').click();
  const dialog = page.getByRole('dialog', { name: 'Schedule X post' });
  const { date, time } = nextMinute();
  await dialog.getByTestId('schedule-date').fill(date);
  await dialog.getByTestId('schedule-time').fill(time);
  await dialog.getByTestId('schedule-timezone').fill(ZONE);
  await dialog.getByTestId('schedule-connector').selectOption({ label: X_ACCOUNT });
  await expect(dialog).toContainText(`Each post is published to ${X_ACCOUNT}.`);
  await dialog.getByTestId('schedule-save').click();
  await expect(dialog).toBeHidden();

  // The card links to the post's schedules; this one is the one at `time`.
  await card
    .getByTestId('variant-schedules')
    .getByRole('link', { name: new RegExp(time) })
    .click();
  const details = page.getByTestId('schedule-details');
  await expect(details.getByTestId('schedule-target')).toHaveText(X_ACCOUNT);
  return details;
}

test('a thread from an article, published to a connected X account at the next minute', async ({
  page,
  request,
}) => {
  test.setTimeout(240_000);
  const x = new FakeNetwork(request);
  const postsBefore = (await x.posts()).length;

  await register(page);
  await generate(page, 'Four-day week', ARTICLE);
  await waitForStatus(page, 'needs_review');
  const jobUrl = page.url();

  // Every part is marked with a word of this attempt's: X refuses a post repeating a recent one,
  // and an earlier attempt (a retry) may have published the same thread to the same account.
  const word = randomWord();
  const card = page.getByTestId('variant-card-x');
  await card.getByTestId('edit-x').click();
  const editor = page.getByTestId('variant-editor-x');
  const generated = (await editor.inputValue()).split(/\n[ \t]*\n/);
  await editor.fill(generated.map((part) => `(${word}) ${part}`).join('\n\n'));
  await card.getByTestId('accept-x').click();
  await expect(card.getByTestId('accept-x')).toHaveAttribute('aria-pressed', 'true');

  // The X post is a thread: one post per part, as the preview shows them.
  const parts = await card.getByTestId('x-part').allInnerTexts();
  expect(parts.length).toBeGreaterThan(1);
  expect(parts).toHaveLength(generated.length);

  await test.step('connect X through its consent page', async () => {
    await connectX(page);
    await screenshots(page, 'connections');
  });

  const details = await test.step('schedule the thread to the account', async () => {
    await page.goto(jobUrl);
    return scheduleToX(page, page.getByTestId('variant-card-x'));
  });

  const rootId = await test.step('the run goes out and links to the post', async () => {
    // The open details follow the post out; the scheduler looks every second.
    const run = details.getByTestId('run-row');
    await expect(run.getByTestId('run-published-link')).toBeVisible({ timeout: 120_000 });
    await expect(run).toHaveCount(1);
    await expect(run).toContainText('Published');
    await expect(details.getByTestId('schedule-next')).toHaveText('None: every post has gone out');
    // The calendar behind the dialog says so too (in the month grid and the day's agenda).
    const behind = page.getByTestId('calendar').getByTestId('occurrence');
    await expect(behind.first()).toHaveAttribute('data-status', 'published');
    await expect(behind.last()).toHaveAttribute('data-status', 'published');
    await screenshots(page, 'published-run', { fullPage: false });
    const href = await run.getByTestId('run-published-link').getAttribute('href');
    const id = /\/status\/(\d+)$/.exec(href ?? '')?.[1];
    expect(id, `a post id in ${href}`).toBeDefined();
    return id ?? '';
  });

  await test.step('the network has the thread, each part a reply to the one before', async () => {
    const posts = await x.posts();
    expect(posts).toHaveLength(postsBefore + parts.length);
    const thread = threadFrom(posts, rootId);
    expect(thread).toHaveLength(parts.length);
    expect(thread[0].reply_to).toBeNull();
    thread.forEach((post, i) => expect(parts[i]).toContain(post.text));
  });

  await test.step('once X revokes the grant, the next post fails and asks to reconnect', async () => {
    await x.revokeEveryGrant();
    await page.goto(jobUrl);
    const again = await scheduleToX(page, page.getByTestId('variant-card-x'));
    const run = again.getByTestId('run-row');
    await expect(run).toContainText('Failed', { timeout: 120_000 });
    await expect(run).toContainText(`Reconnect ${X_ACCOUNT}`);
    expect(await x.posts()).toHaveLength(postsBefore + parts.length);
    await page.keyboard.press('Escape');

    await page
      .getByRole('navigation', { name: 'Main' })
      .getByRole('link', { name: 'Dashboard' })
      .click();
    const notice = page.getByTestId('reconnect-notice');
    await expect(notice).toContainText(`Reconnect ${X_ACCOUNT}`);
    await notice.getByRole('link', { name: 'Reconnect in Settings → Connections' }).click();
    await expect(page.getByTestId('connection-row')).toHaveAttribute(
      'data-status',
      'needs_reconnect',
    );
    await screenshots(page, 'connections-reconnect');
  });
});
