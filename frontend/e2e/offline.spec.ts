import { expect, test } from '@playwright/test';
import { register } from './helpers';

test('when the API is down the Studio shows a readable error and keeps the input', async ({
  page,
}) => {
  await register(page);
  await page.getByTestId('job-name').fill('Offline draft');
  await page
    .getByTestId('source-text')
    .fill('A paragraph I do not want to lose. It has two sentences.');

  const api = (url: URL) => url.port === '8000';
  await page.route(api, (route) => route.abort('connectionrefused'));
  await page.getByTestId('generate').click();

  await expect(page.getByTestId('toast-error')).toContainText('Could not reach the Kyros API');
  await expect(page.getByTestId('job-name')).toHaveValue('Offline draft');
  await expect(page.getByTestId('source-text')).toHaveValue(
    'A paragraph I do not want to lose. It has two sentences.',
  );

  // The typed input also survives a reload.
  await page.unroute(api);
  await page.reload();
  await expect(page.getByTestId('job-name')).toHaveValue('Offline draft');
  await expect(page.getByTestId('source-text')).toHaveValue(
    'A paragraph I do not want to lose. It has two sentences.',
  );
});
