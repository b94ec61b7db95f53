import { afterEach, describe, expect, it, vi } from 'vitest';

const PAIR = {
  access_token: 'access-1',
  refresh_token: 'refresh-1',
  expires_in: 900,
  token_type: 'Bearer',
};

/** The session module as a freshly loaded page sees it: memory empty, storage kept. */
async function reloadedSession() {
  vi.resetModules();
  return import('./session');
}

afterEach(() => {
  localStorage.clear();
  vi.unstubAllGlobals();
});

describe('session', () => {
  it('a reload uses the stored access token and rotates nothing', async () => {
    const first = await reloadedSession();
    first.setTokens(PAIR, null);
    const fetch = vi.fn();
    vi.stubGlobal('fetch', fetch);
    const reloaded = await reloadedSession();
    await expect(reloaded.getAccessToken()).resolves.toBe('access-1');
    expect(fetch).not.toHaveBeenCalled();
  });

  it('refreshes once, for every caller, when the access token is near its expiry', async () => {
    const first = await reloadedSession();
    first.setTokens({ ...PAIR, expires_in: 30 }, null);
    const fetch = vi.fn(async () =>
      Response.json({ ...PAIR, access_token: 'access-2', refresh_token: 'refresh-2' }),
    );
    vi.stubGlobal('fetch', fetch);
    const reloaded = await reloadedSession();
    const tokens = await Promise.all([reloaded.getAccessToken(), reloaded.getAccessToken()]);
    expect(tokens).toEqual(['access-2', 'access-2']);
    expect(fetch).toHaveBeenCalledTimes(1);
    expect(localStorage.getItem('kyros.refresh_token')).toBe('refresh-2');
  });
});
