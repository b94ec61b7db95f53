/** The database the suite's own API serves (a fresh file per run, see playwright.config.ts). */
export const E2E_DATABASE_URL = 'sqlite:///tmp/kyros-e2e/kyros.db?mode=rwc';

/** Where that API listens. */
export const API_URL = 'http://127.0.0.1:8000';

/**
 * Where the `fakenets` binary's loopback networks listen (started by playwright.config.ts); the
 * API is configured to reach X there, and the specs steer and read it under `/_fakenets/`.
 */
export const FAKE_X_URL = 'http://127.0.0.1:8101';
