// The build without autocapture, recording, surveys and the like, and that never fetches
// scripts from PostHog (which the console's Content-Security-Policy would refuse anyway).
import posthog from 'posthog-js/dist/module.slim.no-external';

/** Loaded only when PostHog is configured and allowed (see analytics.ts). */
export function start(key: string, host: string) {
  posthog.init(key, {
    api_host: host,
    // Only the events the console names; nothing PostHog would gather by itself.
    autocapture: false,
    capture_pageview: false,
    capture_pageleave: false,
    capture_exceptions: false,
    capture_performance: false,
    capture_heatmaps: false,
    capture_dead_clicks: false,
    rageclick: false,
    disable_session_recording: true,
    disable_surveys: true,
    disable_product_tours: true,
    disable_conversations: true,
    disable_web_experiments: true,
    disable_external_dependency_loading: true,
    // No feature flags or remote configuration: the console asks PostHog for nothing.
    advanced_disable_flags: true,
    // The anonymous id lives in localStorage: no cookie, nothing that a CSP or a cookie policy
    // gets in the way of.
    persistence: 'localStorage',
    // The console never calls identify: events stay on the anonymous id, with no person profile.
    person_profiles: 'identified_only',
    save_referrer: false,
    // Addresses lose their query and fragment (search words, an OAuth code).
    before_send: (event) => {
      if (!event) return null;
      for (const name of ['$current_url', '$referrer', '$initial_current_url']) {
        const value = event.properties[name];
        if (typeof value === 'string') event.properties[name] = value.replace(/[?#].*$/s, '');
      }
      return event;
    },
  });
  return posthog;
}
