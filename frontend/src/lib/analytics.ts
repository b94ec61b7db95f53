import { useSyncExternalStore } from 'react';
import { loadJSON, saveJSON, storageKeys } from './storage';

/**
 * Product analytics: a few named funnel events sent to PostHog, only when the build sets
 * `VITE_POSTHOG_KEY` and `VITE_POSTHOG_HOST`, the browser does not ask not to be tracked (Do Not
 * Track, Global Privacy Control) and the person has not switched them off in Settings. The events
 * carry kinds and counts, never content, emails or ids: PostHog's anonymous id is the only one.
 */
export type AnalyticsEvents = {
  signed_up: Record<string, never>;
  job_created: { source_kind: string; channels: string[] };
  variant_edited: { channel: string };
  variant_accepted: { channel: string };
  exported: { format: string; channel: string };
  scheduled: { channel: string; recurring: boolean; via: 'queue' | 'schedule' };
  /** Reported when the console next looks, as the scheduler publishes with no console open. */
  published: { channel: string; connector: string };
};

export type AnalyticsEvent = keyof AnalyticsEvents;

type Config = { key: string; host: string };

const CONFIG: Config | null = (() => {
  const key = import.meta.env.VITE_POSTHOG_KEY as string | undefined;
  const host = import.meta.env.VITE_POSTHOG_HOST as string | undefined;
  return key && host ? { key, host } : null;
})();

type PrivacySignals = { doNotTrack?: string | null; globalPrivacyControl?: boolean };

/** Whether the browser asks sites not to track: `navigator.doNotTrack` or Global Privacy Control. */
export function browserAsksNotToTrack(signals: PrivacySignals): boolean {
  return signals.doNotTrack === '1' || signals.globalPrivacyControl === true;
}

/** Whether events may be sent: configured, not refused by the browser, not switched off. */
export function analyticsAllowed(
  config: Config | null,
  signals: PrivacySignals,
  optedOut: boolean,
): boolean {
  return config !== null && !browserAsksNotToTrack(signals) && !optedOut;
}

const listeners = new Set<() => void>();

function optedOut(): boolean {
  return loadJSON<boolean>(storageKeys.analyticsOptOut) === true;
}

/** Whether analytics can run at all in this build and browser: what the Settings switch needs. */
export function analyticsAvailable(): 'unconfigured' | 'refused-by-browser' | 'available' {
  if (CONFIG === null) return 'unconfigured';
  return browserAsksNotToTrack(navigator as PrivacySignals) ? 'refused-by-browser' : 'available';
}

/** Switches analytics off (or back on) in this browser: `track` checks it before each event,
 * and PostHog sends nothing of its own. */
export function setAnalyticsOptOut(value: boolean): void {
  saveJSON(storageKeys.analyticsOptOut, value);
  for (const listener of listeners) listener();
}

/** The Settings switch's state, kept in step across components. */
export function useAnalyticsOptOut(): boolean {
  return useSyncExternalStore((listener) => {
    listeners.add(listener);
    return () => listeners.delete(listener);
  }, optedOut);
}

/** Whether `track` would send events now, kept in step with the Settings switch: for work done
 * only to find out what to report. */
export function useAnalyticsEnabled(): boolean {
  return analyticsAllowed(CONFIG, navigator as PrivacySignals, useAnalyticsOptOut());
}

type PostHog = Awaited<ReturnType<typeof import('./posthog').start>>;

let client: Promise<PostHog> | null = null;

/**
 * Sends one funnel event. The SDK is fetched on the first event that may be sent; events wait
 * for it in the order they were tracked.
 */
export function track<E extends AnalyticsEvent>(event: E, properties: AnalyticsEvents[E]): void {
  if (!CONFIG || !analyticsAllowed(CONFIG, navigator as PrivacySignals, optedOut())) return;
  const config = CONFIG;
  client ??= import('./posthog').then((module) => module.start(config.key, config.host));
  void client.then((posthog) => {
    // Checked again: the switch may have been turned off while the SDK was fetched.
    if (!optedOut()) posthog.capture(event, properties);
  });
}
