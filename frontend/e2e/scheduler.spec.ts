import { expect, test } from '@playwright/test';
import {
  ARTICLE,
  expectNoSeriousA11yViolations,
  generate,
  register,
  waitForStatus,
} from './helpers';

const ZONE = 'Europe/Berlin';

// The calendar shows posts in the reader's zone; make that the schedule's zone.
test.use({ timezoneId: ZONE });

/** Today and the next Monday after it, as `YYYY-MM-DD` in Berlin. */
function berlinDays(): { today: string; nextMonday: string } {
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone: ZONE,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    weekday: 'short',
  }).formatToParts(new Date());
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  const today = `${get('year')}-${get('month')}-${get('day')}`;
  const weekday = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'].indexOf(get('weekday'));
  const date = new Date(`${today}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + (7 - weekday));
  return { today, nextMonday: date.toISOString().slice(0, 10) };
}

test('schedule an accepted post every Monday at 09:00 Berlin and find it on the calendar', async ({
  page,
}) => {
  test.setTimeout(120_000);
  const { today, nextMonday } = berlinDays();

  await register(page);
  await generate(page, 'Four-day week', ARTICLE);
  await waitForStatus(page, 'needs_review');

  const card = page.getByTestId('variant-card-linkedin');
  await expect(card.getByTestId('schedule-button')).toHaveCount(0);
  await card.getByTestId('accept-linkedin').click();
  await expect(card.getByTestId('accept-linkedin')).toHaveAttribute('aria-pressed', 'true');
  await card.getByTestId('schedule-button').click();

  const dialog = page.getByRole('dialog', { name: 'Schedule LinkedIn post' });
  await expect(dialog).toBeVisible();
  await expect(dialog.getByTestId('schedule-date')).toBeFocused();
  await dialog.getByTestId('schedule-date').fill(nextMonday);
  await dialog.getByTestId('schedule-time').fill('09:00');
  await dialog.getByTestId('schedule-timezone').fill(ZONE);
  await dialog.getByText('Weekly', { exact: true }).click();
  await expect(dialog.getByRole('checkbox', { name: 'Monday' })).toBeChecked();
  await expect(dialog.getByTestId('recurrence-summary')).toHaveText(
    'Every Monday at 09:00 Europe/Berlin',
  );
  await expect(dialog.getByTestId('occurrence-preview').getByRole('listitem')).toHaveCount(5);
  await expectNoSeriousA11yViolations(page, 'schedule dialog');

  await dialog.getByTestId('schedule-save').click();
  await expect(dialog).toBeHidden();
  // The "accepted" toast may still be showing: look for the scheduling one among them.
  await expect(
    page.getByTestId('toast-success').filter({ hasText: 'LinkedIn post scheduled' }),
  ).toBeVisible();

  await page
    .getByRole('navigation', { name: 'Main' })
    .getByRole('link', { name: 'Scheduler' })
    .click();
  await expect(page).toHaveURL(/\/scheduler/);
  const calendar = page.getByTestId('calendar');
  await expect(page.getByRole('tab', { name: 'Month' })).toHaveAttribute('aria-selected', 'true');
  if (nextMonday.slice(0, 7) !== today.slice(0, 7)) await page.getByTestId('calendar-next').click();

  const day = calendar.locator(`[data-day="${nextMonday}"]`);
  const occurrence = day.getByTestId('occurrence');
  await expect(occurrence).toHaveCount(1);
  // The chip shows which post goes out (its first line); its name says the channel too.
  await expect(occurrence).toContainText('Rye & Crumb');
  await expect(occurrence).toHaveAccessibleName(/^LinkedIn post at .*Rye & Crumb/);
  await expect(occurrence).toContainText(/\b0?9:00/);
  await expect(occurrence).toHaveAttribute('data-status', 'scheduled');
  await expectNoSeriousA11yViolations(page, 'scheduler month with a post');

  // The schedule's details: its rule, what comes next, and no runs yet.
  await occurrence.click();
  const details = page.getByTestId('schedule-details');
  await expect(details).toContainText('Every Monday at 09:00 Europe/Berlin');
  await expect(details.getByTestId('schedule-next')).toContainText(/\b0?9:00/);
  await expect(details).toContainText('Nothing published yet.');
  await expectNoSeriousA11yViolations(page, 'schedule details');
  await page.keyboard.press('Escape');
  await expect(details).toBeHidden();

  // The week view of that Monday, then the list.
  await day
    .getByRole('button', { name: /, 1 post$/ })
    .first()
    .click();
  await page.getByRole('tab', { name: 'Week' }).click();
  await expect(calendar).toHaveAttribute('data-view', 'week');
  await expect(
    calendar.locator(`[data-day="${nextMonday}"]`).getByTestId('occurrence'),
  ).toHaveCount(1);

  await page.getByRole('tab', { name: 'Week' }).press('ArrowRight');
  await expect(page.getByRole('tab', { name: 'List' })).toHaveAttribute('aria-selected', 'true');
  const listDay = page.getByTestId('schedule-list').locator(`[data-day="${nextMonday}"]`);
  await expect(listDay.getByTestId('occurrence')).toContainText(
    'Every Monday at 09:00 Europe/Berlin',
  );
  await expectNoSeriousA11yViolations(page, 'scheduler list');

  // On a phone the month grid shows dots; the day's posts are listed under it.
  await page.setViewportSize({ width: 375, height: 812 });
  await page.getByRole('tab', { name: 'Month' }).click();
  await expect(page.getByTestId('day-agenda').getByTestId('occurrence')).toBeVisible();
  await expectNoSeriousA11yViolations(page, 'scheduler month @375');
  await page.setViewportSize({ width: 1280, height: 800 });

  // The calendar feed link.
  await page.getByTestId('ical-create').click();
  await expect(page.getByTestId('ical-link')).toHaveValue(/\/schedule\.ics\?token=.+/);
  await expect(page.getByTestId('ical-copy')).toBeVisible();
  await page.reload();
  await expect(page.getByTestId('ical-link')).toHaveValue(/\/schedule\.ics\?token=.+/);
});
