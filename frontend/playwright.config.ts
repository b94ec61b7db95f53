import { defineConfig } from '@playwright/test';
import {
  API_URL,
  E2E_DATABASE_URL,
  FAKE_LINKEDIN_PAGE,
  FAKE_LINKEDIN_URL,
  FAKE_X_URL,
} from './e2e/stack';

// Set by CI's e2e-tests workflow, which starts the stack itself the way ./scripts/start.sh does.
const externalStack = process.env.KYROS_E2E_EXTERNAL_STACK === '1';

// The binaries the stack runs: the debug build by default; the test script points these at the
// instrumented build its backend suite already made.
export const KYROS_BIN = process.env.KYROS_BIN ?? '../backend/target/debug/kyros';
const FAKENETS_BIN = process.env.FAKENETS_BIN ?? '../backend/target/debug/fakenets';

export default defineConfig({
  testDir: './e2e',
  // Run by playwright.one-port.config.ts against `kyros serve` alone, and by
  // playwright.observability.config.ts against a console built with Sentry and PostHog.
  testIgnore: ['one-port/**', 'observability/**'],
  outputDir: '../test-results/playwright',
  snapshotPathTemplate: '{testDir}/__screenshots__/{testFilePath}/{arg}{ext}',
  fullyParallel: false,
  workers: 1,
  retries: process.env.CI ? 1 : 0,
  timeout: 60_000,
  expect: {
    timeout: 10_000,
    toHaveScreenshot: { maxDiffPixelRatio: 0.02, animations: 'disabled', caret: 'hide' },
  },
  reporter: process.env.CI
    ? [['list'], ['junit', { outputFile: '../test-results/frontend-e2e-junit.xml' }]]
    : [['list']],
  use: {
    baseURL: 'http://localhost:3001',
    trace: 'retain-on-failure',
    // Recording needs Playwright's own ffmpeg (`npx playwright install ffmpeg`), so it is opt-in.
    video: process.env.PLAYWRIGHT_VIDEO === '1' ? 'retain-on-failure' : 'off',
    viewport: { width: 1280, height: 800 },
    colorScheme: 'dark',
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    },
  },
  projects: [{ name: 'chromium', use: { viewport: { width: 1280, height: 800 } } }],
  webServer: [
    // The stack started outside has no fake networks: the stories needing them skip there.
    ...(externalStack
      ? []
      : [
          {
            // Built beside `kyros` (`cargo build -p kyros -p fakenets`); the API below uses it.
            command: [
              FAKENETS_BIN,
              `--x-port ${new URL(FAKE_X_URL).port}`,
              `--linkedin-port ${new URL(FAKE_LINKEDIN_URL).port}`,
              `--linkedin-page '${FAKE_LINKEDIN_PAGE}'`,
            ].join(' '),
            url: `${FAKE_X_URL}/_fakenets/stats`,
            timeout: 30_000,
            stdout: 'ignore' as const,
            stderr: 'pipe' as const,
          },
        ]),
    {
      command: `rm -rf /tmp/kyros-e2e && mkdir -p /tmp/kyros-e2e && ${KYROS_BIN} serve`,
      url: `${API_URL}/healthz`,
      env: {
        DATABASE_URL: E2E_DATABASE_URL,
        PORT: '8000',
        LOG_FORMAT: 'pretty',
        // Every test signs up from the same address; the limiter stays on, with room for the suite.
        AUTH_RATE_LIMIT_PER_MINUTE: '600',
        AUTH_RATE_LIMIT_BURST: '200',
        // A reload in a long story reads a lot at once; the console waits out a brief limit
        // (lib/api/retry.ts), and the limiter stays on with room for the stories' pace.
        RATE_LIMIT_BURST: '60',
        // The fake X's registered app (fakenets::x::CLIENT_ID and CLIENT_SECRET).
        X_CLIENT_ID: 'fake-x-client-id',
        X_CLIENT_SECRET: 'fake-x-client-secret', // pragma: allowlist secret
        X_API_URL: FAKE_X_URL,
        X_AUTHORIZE_URL: `${FAKE_X_URL}/i/oauth2/authorize`,
        X_TOKEN_URL: `${FAKE_X_URL}/2/oauth2/token`,
        // The fake LinkedIn's app (fakenets::linkedin), with company pages offered after consent.
        LINKEDIN_CLIENT_ID: 'fake-linkedin-client-id',
        LINKEDIN_CLIENT_SECRET: 'fake-linkedin-client-secret', // pragma: allowlist secret
        LINKEDIN_API_URL: FAKE_LINKEDIN_URL,
        LINKEDIN_AUTHORIZE_URL: `${FAKE_LINKEDIN_URL}/oauth/v2/authorization`,
        LINKEDIN_TOKEN_URL: `${FAKE_LINKEDIN_URL}/oauth/v2/accessToken`,
        LINKEDIN_ORGANIZATION_PAGES: 'true',
        // A post scheduled for the next minute goes out within a second of it.
        SCHEDULER_POLL_SECONDS: '1',
      },
      reuseExistingServer: externalStack,
      timeout: 60_000,
      stdout: 'ignore',
      stderr: 'pipe',
    },
    {
      command: 'npm run dev',
      url: 'http://localhost:3001',
      reuseExistingServer: externalStack || !process.env.CI,
      timeout: 60_000,
    },
  ],
});
