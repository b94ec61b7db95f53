import type { TokenPair } from './types';
import { networkError } from './problem';

/** Where the API is: `VITE_API_BASE_URL` when set; in development the API's own port; in a
 * build, the server that served the page (`kyros serve` serves the built console itself). */
export const API_BASE_URL: string = (
  (import.meta.env.VITE_API_BASE_URL as string | undefined) ||
  (import.meta.env.DEV ? 'http://localhost:8000' : '')
).replace(/\/$/, '');

const REFRESH_KEY = 'kyros.refresh_token';
/** The access token and its expiry (ms since epoch), kept so a reload or a new tab does not
 * rotate the refresh token: it is rotated only when the access token is near its expiry. */
const ACCESS_KEY = 'kyros.access_token';
const ACCESS_EXPIRES_KEY = 'kyros.access_expires_at';
/** Renew the access token when it has less than this left. */
const RENEW_MARGIN_MS = 60_000;

export type SessionEvent = 'signed-in' | 'signed-out' | 'expired' | 'revoked';

let accessToken: string | null = null;
let expiresAt = 0;
let inflight: Promise<boolean> | null = null;
const listeners = new Set<(event: SessionEvent) => void>();

export function onSessionChange(listener: (event: SessionEvent) => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

function emit(event: SessionEvent) {
  for (const l of listeners) l(event);
}

function readRefreshToken(): string | null {
  try {
    return localStorage.getItem(REFRESH_KEY);
  } catch {
    return null;
  }
}

export function hasStoredSession(): boolean {
  return readRefreshToken() !== null;
}

export function getRefreshToken(): string | null {
  return readRefreshToken();
}

export function setTokens(pair: TokenPair, event: SessionEvent | null = 'signed-in'): void {
  accessToken = pair.access_token;
  expiresAt = Date.now() + pair.expires_in * 1000;
  localStorage.setItem(REFRESH_KEY, pair.refresh_token);
  localStorage.setItem(ACCESS_KEY, accessToken);
  localStorage.setItem(ACCESS_EXPIRES_KEY, String(expiresAt));
  if (event) emit(event);
}

export function clearSession(event: SessionEvent = 'signed-out'): void {
  accessToken = null;
  expiresAt = 0;
  localStorage.removeItem(REFRESH_KEY);
  localStorage.removeItem(ACCESS_KEY);
  localStorage.removeItem(ACCESS_EXPIRES_KEY);
  emit(event);
}

/** Takes the stored access token (this page's earlier load, or another tab's refresh) when it
 * still has more than the renewal margin left and is not the one the API just refused. */
function adoptStoredAccessToken(refused: string | null = null): boolean {
  try {
    const token = localStorage.getItem(ACCESS_KEY);
    const until = Number(localStorage.getItem(ACCESS_EXPIRES_KEY));
    if (!token || token === refused || !(until - Date.now() > RENEW_MARGIN_MS)) return false;
    accessToken = token;
    expiresAt = until;
    return true;
  } catch {
    return false;
  }
}

async function doRefresh(refused: string | null): Promise<boolean> {
  // Another tab may have refreshed while this one waited for the lock.
  if (adoptStoredAccessToken(refused)) return true;
  const token = readRefreshToken();
  if (!token) return false;
  let response: Response;
  try {
    response = await globalThis.fetch(`${API_BASE_URL}/auth/refresh`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ refresh_token: token }),
    });
  } catch (e) {
    throw networkError(e);
  }
  if (response.ok) {
    setTokens((await response.json()) as TokenPair, null);
    return true;
  }
  if (response.status === 401 || response.status === 400 || response.status === 422) {
    // Expired, revoked, or reused: the server has ended this session (a reused token revokes
    // every session of the family), so sign out here too.
    clearSession('revoked');
  }
  return false;
}

/** Exchanges the refresh token for a new pair. Concurrent callers share one request.
 * `refused` is an access token the API has just answered 401 to: it is never adopted again. */
export function refreshSession(refused: string | null = null): Promise<boolean> {
  if (!inflight) {
    const run = async () => {
      const locks = typeof navigator !== 'undefined' ? navigator.locks : undefined;
      // Serialise refreshes across tabs: rotating the same refresh token twice would be
      // treated as reuse by the server.
      if (locks) return locks.request('kyros-refresh', () => doRefresh(refused));
      return doRefresh(refused);
    };
    inflight = run().finally(() => {
      inflight = null;
    });
  }
  return inflight;
}

/** A valid access token, renewed shortly before it expires; null when signed out. */
export async function getAccessToken(): Promise<string | null> {
  if (accessToken && expiresAt - Date.now() > RENEW_MARGIN_MS) return accessToken;
  if (!readRefreshToken()) return null;
  if (adoptStoredAccessToken()) return accessToken;
  const ok = await refreshSession();
  return ok ? accessToken : null;
}

/** For tests. */
export function resetSessionForTests(): void {
  accessToken = null;
  expiresAt = 0;
  inflight = null;
  listeners.clear();
  localStorage.removeItem(REFRESH_KEY);
  localStorage.removeItem(ACCESS_KEY);
  localStorage.removeItem(ACCESS_EXPIRES_KEY);
}
