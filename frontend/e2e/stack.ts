/** The database the suite's own API serves (a fresh file per run, see playwright.config.ts). */
export const E2E_DATABASE_URL = 'sqlite:///tmp/kyros-e2e/kyros.db?mode=rwc';

/** Where that API listens. */
export const API_URL = 'http://127.0.0.1:8000';

/**
 * Where the `fakenets` binary's loopback networks listen (started by playwright.config.ts); the
 * API is configured to reach X there, and the specs steer and read it under `/_fakenets/`.
 */
export const FAKE_X_URL = 'http://127.0.0.1:8101';

/** Where the fake LinkedIn listens (same binary); the API is configured to reach it there. */
export const FAKE_LINKEDIN_URL = 'http://127.0.0.1:8102';

/** The page the member administers on the fake LinkedIn (`fakenets --linkedin-page`). */
export const FAKE_LINKEDIN_PAGE = 'Rye & Crumb Bakery';
