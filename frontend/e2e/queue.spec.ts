/**
 * Reordering an account's queue by dragging: with a mouse on a desktop, and with a finger on a
 * phone-sized screen. Each drop moves the post through the API, so the order survives a reload.
 */
import { expect, test, type Locator, type Page } from '@playwright/test';
import { connectX, savePostingSlots } from './accounts';
import {
  acceptMarkedX,
  ARTICLE,
  expectNoSeriousA11yViolations,
  generate,
  randomWord,
  register,
  waitForStatus,
} from './helpers';

const EVERY_DAY = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];

test.use({ timezoneId: 'Europe/Berlin', hasTouch: true });
test.skip(
  process.env.KYROS_E2E_EXTERNAL_STACK === '1',
  'queues posts for the fake X that playwright.config.ts starts beside its own API',
);

/** Writes a post from the article, marks its X version with `word`, accepts it and queues it. */
async function queueMarkedPost(page: Page, word: string): Promise<void> {
  await page
    .getByRole('navigation', { name: 'Main' })
    .getByRole('link', { name: 'Studio' })
    .click();
  await generate(page, `Four-day week ${word}`, ARTICLE);
  await waitForStatus(page, 'needs_review');
  await acceptMarkedX(page, word);
  await page.getByTestId('variant-card-x').getByTestId('queue-button').click();
  await expect(
    page.getByTestId('toast-success').filter({ hasText: /^Queued for .* on @kyros_fake/ }),
  ).toBeVisible();
}

/** The words of the queue's posts, in slot order (empty slots left out). */
async function queuedWords(queue: Locator): Promise<string[]> {
  const lines = await queue.locator('li[data-filled="true"]').getByRole('link').allInnerTexts();
  return lines.map((line) => /^\((\w+)\)/.exec(line)?.[1] ?? line);
}

async function centre(locator: Locator): Promise<{ x: number; y: number }> {
  const box = await locator.boundingBox();
  expect(box, 'the element is laid out').not.toBeNull();
  return { x: (box?.x ?? 0) + (box?.width ?? 0) / 2, y: (box?.y ?? 0) + (box?.height ?? 0) / 2 };
}

test('dragging a queued post above the one before it swaps them, with a mouse or a finger', async ({
  page,
}) => {
  test.setTimeout(120_000);
  await register(page);
  await connectX(page);
  // Far from any minute this story could reach: nothing is published while it runs.
  await savePostingSlots(page, [{ days: EVERY_DAY, time: '06:00' }]);
  const [first, second] = [randomWord(), randomWord()];
  await queueMarkedPost(page, first);
  await queueMarkedPost(page, second);

  await page.goto('/scheduler?view=queue');
  const queue = page.getByRole('list', { name: 'Queue of @kyros_fake' });
  const slots = queue.getByRole('listitem');
  await expect.poll(() => queuedWords(queue)).toEqual([first, second]);
  await expectNoSeriousA11yViolations(page, 'queue');

  await test.step('with a mouse: the second post dropped on the first slot', async () => {
    const from = await centre(slots.nth(1).getByTestId('queue-drag-handle'));
    const to = await centre(slots.nth(0));
    await page.mouse.move(from.x, from.y);
    await page.mouse.down();
    await page.mouse.move(to.x, to.y, { steps: 12 });
    await page.mouse.up();
    await expect.poll(() => queuedWords(queue)).toEqual([second, first]);
    await page.reload();
    await expect.poll(() => queuedWords(queue)).toEqual([second, first]);
  });

  await test.step('with a finger on a phone: a long press, then the same drag', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    await slots.nth(1).scrollIntoViewIfNeeded();
    const from = await centre(slots.nth(1).getByTestId('queue-drag-handle'));
    const to = await centre(slots.nth(0));
    const cdp = await page.context().newCDPSession(page);
    const touch = (
      type: 'touchStart' | 'touchMove' | 'touchEnd',
      point?: { x: number; y: number },
    ) => cdp.send('Input.dispatchTouchEvent', { type, touchPoints: point ? [point] : [] });
    await touch('touchStart', from);
    // The touch sensor starts a drag after a 200 ms press, so a swipe still scrolls the page.
    await page.waitForTimeout(300);
    for (let step = 1; step <= 12; step += 1) {
      await touch('touchMove', {
        x: from.x + ((to.x - from.x) * step) / 12,
        y: from.y + ((to.y - from.y) * step) / 12,
      });
    }
    await touch('touchEnd');
    await expect.poll(() => queuedWords(queue)).toEqual([first, second]);
    await page.reload();
    await expect.poll(() => queuedWords(queue)).toEqual([first, second]);
  });
});
