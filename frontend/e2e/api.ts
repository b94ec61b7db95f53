/**
 * What a story does the way another client of the API would, beside the console it drives:
 * signing in for a token and rescheduling a post to an exact second. And the one step no
 * client can take: making a published post's first counts read due without waiting an hour.
 */
import { expect, type APIRequestContext } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { PASSWORD } from './helpers';
import { API_URL, E2E_DATABASE_URL } from './stack';

/** An access token for the account registered with `email` (and the suite's password), from
 * `api`: the main suite's API unless a story runs against another stack. */
export async function signIn(
  request: APIRequestContext,
  email: string,
  api = API_URL,
): Promise<string> {
  const response = await request.post(`${api}/auth/login`, {
    data: { email, password: PASSWORD },
  });
  expect(response.ok(), 'the API signs the account in').toBe(true);
  return ((await response.json()) as { access_token: string }).access_token;
}

/**
 * Moves a schedule's post to `seconds` from now (`PATCH /schedule/{id}` takes RFC 3339 to the
 * second, where the console's dialog picks minutes), so a story waits seconds, not a minute,
 * for the scheduler to publish it. `api` as for `signIn`.
 */
export async function publishInSeconds(
  request: APIRequestContext,
  token: string,
  scheduleId: string,
  seconds: number,
  api = API_URL,
): Promise<void> {
  const runAt = new Date(Date.now() + seconds * 1000).toISOString();
  const response = await request.patch(`${api}/schedule/${scheduleId}`, {
    headers: { Authorization: `Bearer ${token}` },
    data: { run_at: runAt },
  });
  expect(response.ok(), `the API moves schedule ${scheduleId} to ${runAt}`).toBe(true);
}

const DATABASE = fileURLToPath(E2E_DATABASE_URL.replace(/^sqlite:/, 'file:').replace(/\?.*$/, ''));

/**
 * A post's counts are first read an hour after it went out (`results::model::FETCH_AFTER`). The
 * e2e API runs on the wall clock, so this moves that first read of the account's published posts
 * to their publication time in the suite's own database (with the `sqlite3` shell), as the
 * backend's tests move their `ShiftedClock`; the scheduler's next tick then reads the counts
 * from the network like any other read.
 */
export function makeFirstCountsReadDue(email: string): void {
  execFileSync('sqlite3', [
    '-cmd',
    '.timeout 5000',
    DATABASE,
    `UPDATE post_results SET next_fetch_at = published_at
       WHERE fetched_at IS NULL
         AND owner_id IN (SELECT id FROM users WHERE email = '${email.replace(/'/g, "''")}')`,
  ]);
}
