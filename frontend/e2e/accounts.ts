/**
 * Connected accounts in the console, as a person sets them up: X through the fake X's consent
 * page (the fakenets crate, started by playwright.config.ts), and an account's posting slots.
 */
import { expect, type Page } from '@playwright/test';

/** The account signed in on the fake X (`fakenets::x::USERNAME`), as the console names it. */
export const X_ACCOUNT = '@kyros_fake on X';

/** Settings → Connections → Connect X → the network's consent page → Authorize → back. */
export async function connectX(page: Page): Promise<void> {
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

/** A weekly slot as the slot editor's day buttons (`Mon` … `Sun`) and time field take it. */
export type SlotChoice = { days: readonly string[]; time: string };

/**
 * Settings → Connections → Posting slots of the only account: adds each choice's slots and
 * saves them (in the browser's zone, which the editor sends).
 */
export async function savePostingSlots(page: Page, choices: readonly SlotChoice[]): Promise<void> {
  await page
    .getByRole('navigation', { name: 'Main' })
    .getByRole('link', { name: 'Settings' })
    .click();
  await page.getByTestId('connection-slots').click();
  const editor = page.getByTestId('slot-editor');
  for (const { days, time } of choices) {
    for (const day of days) await editor.getByRole('button', { name: day, exact: true }).click();
    await editor.getByLabel('Time').fill(time);
    await editor.getByRole('button', { name: 'Add slot' }).click();
  }
  await editor.getByRole('button', { name: 'Save slots' }).click();
  await expect(
    page.getByTestId('toast-success').filter({ hasText: 'Posting slots saved' }),
  ).toBeVisible();
}
