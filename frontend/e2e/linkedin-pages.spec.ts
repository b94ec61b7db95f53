/**
 * A LinkedIn company page connected in the browser: LinkedIn's consent page (the fake LinkedIn of
 * the fakenets crate, whose member administers one page), then the choice between the member's
 * profile and their pages, then the page in Settings → Connections with its name and its logo.
 */
import { expect, test, type Page } from '@playwright/test';
import { register, screenshots, VIEWPORTS } from './helpers';
import { FAKE_LINKEDIN_PAGE, FAKE_LINKEDIN_URL } from './stack';

test.skip(
  process.env.KYROS_E2E_EXTERNAL_STACK === '1',
  'connects to the fake LinkedIn that playwright.config.ts starts beside its own API',
);

/** The name the fake LinkedIn gives its signed-in member (`fakenets::linkedin::NAME`). */
const MEMBER = 'Kyros Fake';

/** Settings → Connections → Connect LinkedIn → the network's consent page → Authorize → back. */
async function consentToLinkedin(page: Page): Promise<void> {
  await page
    .getByRole('navigation', { name: 'Main' })
    .getByRole('link', { name: 'Settings' })
    .click();
  await page.getByTestId('connect-linkedin').click();
  await expect(
    page.getByRole('heading', { name: 'Authorize Kyros to use your LinkedIn account?' }),
  ).toBeVisible();
  await page.getByRole('button', { name: 'Authorize' }).click();
}

test('a LinkedIn page chosen after the consent page is connected with its name and logo', async ({
  page,
}) => {
  await register(page);
  await consentToLinkedin(page);

  // Back from LinkedIn, the member chooses between their profile and the page they administer.
  const choice = page.getByTestId('account-choice');
  await expect(choice.getByText('Choose what to connect on LinkedIn')).toBeVisible();
  const profile = choice.getByRole('checkbox', { name: new RegExp(`^${MEMBER}`) });
  const companyPage = choice.getByRole('checkbox', { name: new RegExp(`^${FAKE_LINKEDIN_PAGE}`) });
  await expect(profile).not.toBeChecked();
  await expect(companyPage).not.toBeChecked();
  await expect(choice.getByText('Company page', { exact: true })).toBeVisible();
  await expect(choice.getByRole('button', { name: 'Connect' })).toBeDisabled();
  await companyPage.check();
  await screenshots(page, 'linkedin-page-picker');
  await choice.getByRole('button', { name: 'Connect' }).click();

  await expect(
    page
      .getByTestId('toast-success')
      .filter({ hasText: `Connected ${FAKE_LINKEDIN_PAGE} on LinkedIn` }),
  ).toBeVisible();
  await expect(page).toHaveURL(/\/settings#connections$/);
  const row = page.getByTestId('connection-row');
  await expect(row).toHaveCount(1);
  await expect(row).toHaveAttribute('data-status', 'active');
  await expect(row).toContainText(FAKE_LINKEDIN_PAGE);
  await expect(row).not.toContainText(MEMBER);

  // The logo is the page's, from the address LinkedIn's Images API gave, and it loads.
  const logo = row.locator('img');
  for (const viewport of VIEWPORTS) {
    await page.setViewportSize(viewport);
    await expect(row.getByText(FAKE_LINKEDIN_PAGE, { exact: true })).toBeVisible();
    await expect(logo).toBeVisible();
    await expect(logo).toHaveAttribute('src', new RegExp(`^${FAKE_LINKEDIN_URL}/media/.+`));
    await expect
      .poll(() => logo.evaluate((image: HTMLImageElement) => image.complete && image.naturalWidth))
      .toBeGreaterThan(0);
  }
  await screenshots(page, 'linkedin-page-connected');
});
