import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { analyticsAllowed, browserAsksNotToTrack } from './analytics';

const capture = vi.fn();
const start = vi.fn(() => ({ capture }));
vi.mock('./posthog', () => ({ start }));

const CONFIG = { key: 'phc_test', host: 'https://eu.i.posthog.com' };

describe('analyticsAllowed', () => {
  it('needs a key and a host, no privacy signal from the browser and no opt-out', () => {
    expect(analyticsAllowed(CONFIG, {}, false)).toBe(true);
    expect(analyticsAllowed(null, {}, false)).toBe(false);
    expect(analyticsAllowed(CONFIG, {}, true)).toBe(false);
    expect(analyticsAllowed(CONFIG, { doNotTrack: '1' }, false)).toBe(false);
    expect(analyticsAllowed(CONFIG, { globalPrivacyControl: true }, false)).toBe(false);
  });

  it('reads Do Not Track as only "1" asking not to be tracked', () => {
    expect(browserAsksNotToTrack({ doNotTrack: '0' })).toBe(false);
    expect(browserAsksNotToTrack({ doNotTrack: 'unspecified' })).toBe(false);
    expect(browserAsksNotToTrack({ doNotTrack: null, globalPrivacyControl: false })).toBe(false);
    expect(browserAsksNotToTrack({ doNotTrack: '1' })).toBe(true);
  });
});

/** A fresh copy of the module, built with (or without) PostHog's variables. */
async function analyticsBuiltWith(env: Record<string, string>) {
  vi.resetModules();
  for (const [name, value] of Object.entries(env)) vi.stubEnv(name, value);
  return import('./analytics');
}

async function settled() {
  await vi.dynamicImportSettled();
  await new Promise((resolve) => setTimeout(resolve, 0));
}

describe('track', () => {
  const configured = { VITE_POSTHOG_KEY: CONFIG.key, VITE_POSTHOG_HOST: CONFIG.host };

  beforeEach(() => {
    capture.mockClear();
    start.mockClear();
  });
  afterEach(() => {
    vi.unstubAllEnvs();
    vi.unstubAllGlobals();
  });

  it('loads PostHog on the first event and sends the events in order', async () => {
    const { track } = await analyticsBuiltWith(configured);
    track('job_created', { source_kind: 'text', channels: ['linkedin', 'x'] });
    track('variant_accepted', { channel: 'x' });
    await settled();
    expect(start).toHaveBeenCalledExactlyOnceWith(CONFIG.key, CONFIG.host);
    expect(capture.mock.calls).toEqual([
      ['job_created', { source_kind: 'text', channels: ['linkedin', 'x'] }],
      ['variant_accepted', { channel: 'x' }],
    ]);
  });

  it('loads nothing without a key and host', async () => {
    const { track, analyticsAvailable } = await analyticsBuiltWith({ VITE_POSTHOG_KEY: '' });
    track('signed_up', {});
    await settled();
    expect(analyticsAvailable()).toBe('unconfigured');
    expect(start).not.toHaveBeenCalled();
  });

  it('loads nothing when the browser sends Do Not Track or Global Privacy Control', async () => {
    for (const signal of [{ doNotTrack: '1' }, { globalPrivacyControl: true }]) {
      vi.stubGlobal('navigator', { ...navigator, ...signal });
      const { track, analyticsAvailable } = await analyticsBuiltWith(configured);
      track('signed_up', {});
      await settled();
      expect(analyticsAvailable()).toBe('refused-by-browser');
    }
    expect(start).not.toHaveBeenCalled();
  });

  it('stops at once when switched off, and remembers it', async () => {
    const { track, setAnalyticsOptOut } = await analyticsBuiltWith(configured);
    track('signed_up', {});
    await settled();
    setAnalyticsOptOut(true);
    track('exported', { format: 'md', channel: 'blog' });
    await settled();
    expect(capture.mock.calls).toEqual([['signed_up', {}]]);

    const reloaded = await analyticsBuiltWith(configured);
    reloaded.track('signed_up', {});
    await settled();
    expect(start).toHaveBeenCalledOnce();
  });
});
