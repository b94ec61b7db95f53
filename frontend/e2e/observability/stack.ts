/** The console built with error reports and analytics on, and its own API (see
 * playwright.observability.config.ts). Ports apart from the main suite's, so both can run. */
export const CONSOLE_URL = 'http://localhost:3002';
export const API_URL = 'http://127.0.0.1:8020';

/** The loopback Sentry the error-report spec starts: envelopes arrive at
 * `POST /api/<project>/envelope/`. */
export const SENTRY_PORT = 8031;
export const SENTRY_DSN = `http://e2epublickey@127.0.0.1:${SENTRY_PORT}/7`;

/** PostHog's address in that build: nothing listens there, the specs answer it with `page.route`. */
export const POSTHOG_HOST = 'http://127.0.0.1:8032';
export const POSTHOG_KEY = 'phc_e2e';
