import { defineConfig } from '@playwright/test';
import base, { KYROS_BIN } from './playwright.config';

/** One process, one port: `kyros serve` serves the built console beside the API, the way a
 * self-hosted Kyros or the Docker image runs. The build has no API address baked in, so the
 * console calls the server that served it. */
export const ONE_PORT_URL = 'http://127.0.0.1:8010';

export default defineConfig({
  ...base,
  testDir: './e2e/one-port',
  testIgnore: [],
  outputDir: '../test-results/playwright-one-port',
  reporter: process.env.CI
    ? [['list'], ['junit', { outputFile: '../test-results/frontend-e2e-one-port-junit.xml' }]]
    : [['list']],
  use: { ...base.use, baseURL: ONE_PORT_URL },
  webServer: {
    command: `npm run build && rm -rf /tmp/kyros-e2e-one-port && mkdir -p /tmp/kyros-e2e-one-port && ${KYROS_BIN} serve`,
    url: `${ONE_PORT_URL}/healthz`,
    env: {
      DATABASE_URL: 'sqlite:///tmp/kyros-e2e-one-port/kyros.db?mode=rwc',
      PORT: '8010',
      LOG_FORMAT: 'pretty',
    },
    reuseExistingServer: false,
    timeout: 120_000,
    stdout: 'ignore',
    stderr: 'pipe',
  },
});
