import { defineConfig } from '@playwright/test';
import base, { KYROS_BIN } from './playwright.config';
import {
  API_URL,
  CONSOLE_URL,
  POSTHOG_HOST,
  POSTHOG_KEY,
  SENTRY_DSN,
} from './e2e/observability/stack';

/** The console with Sentry and PostHog configured, the way a deployment that sets
 * `VITE_SENTRY_DSN`, `VITE_POSTHOG_KEY` and `VITE_POSTHOG_HOST` builds it, against its own API.
 * The reports and events go to loopback stand-ins that the specs read. */
export default defineConfig({
  ...base,
  testDir: './e2e/observability',
  testIgnore: [],
  outputDir: '../test-results/playwright-observability',
  reporter: process.env.CI
    ? [['list'], ['junit', { outputFile: '../test-results/frontend-e2e-observability-junit.xml' }]]
    : [['list']],
  use: {
    ...base.use,
    baseURL: CONSOLE_URL,
    // posthog-js drops the events of browsers that look automated: the headless user agent
    // here, and navigator.webdriver in the specs.
    userAgent:
      'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/140.0.0.0 Safari/537.36',
  },
  webServer: [
    {
      command: `rm -rf /tmp/kyros-e2e-observability && mkdir -p /tmp/kyros-e2e-observability && ${KYROS_BIN} serve`,
      url: `${API_URL}/healthz`,
      env: {
        DATABASE_URL: 'sqlite:///tmp/kyros-e2e-observability/kyros.db?mode=rwc',
        PORT: new URL(API_URL).port,
        LOG_FORMAT: 'pretty',
        SERVE_CONSOLE: 'false',
        CORS_ORIGINS: CONSOLE_URL,
        AUTH_RATE_LIMIT_PER_MINUTE: '600',
        AUTH_RATE_LIMIT_BURST: '200',
        // The scheduler runs inside `kyros serve` (KYROS_EMBEDDED_SCHEDULER defaults to true):
        // a post moved to a few seconds ahead goes out within a second of it, to a file here.
        SCHEDULER_POLL_SECONDS: '1',
        CONNECTOR_OUTBOX_DIR: '/tmp/kyros-e2e-observability/outbox',
      },
      reuseExistingServer: false,
      timeout: 60_000,
      stdout: 'ignore',
      stderr: 'pipe',
    },
    {
      command: `npx vite --port ${new URL(CONSOLE_URL).port} --strictPort`,
      url: CONSOLE_URL,
      env: {
        VITE_API_BASE_URL: API_URL,
        VITE_SENTRY_DSN: SENTRY_DSN,
        VITE_SENTRY_ENVIRONMENT: 'e2e',
        VITE_POSTHOG_KEY: POSTHOG_KEY,
        VITE_POSTHOG_HOST: POSTHOG_HOST,
      },
      reuseExistingServer: false,
      timeout: 60_000,
    },
  ],
});
