import type { Breadcrumb, ErrorEvent } from '@sentry/react';

/**
 * What leaves the browser in an error report: where and how the console failed, never who was
 * using it or what they wrote. Applied to every event (`beforeSend`) and breadcrumb
 * (`beforeBreadcrumb`) before Sentry sends it.
 */

const EMAIL = /[\w.%+-]+@[\w-]+(?:\.[\w-]+)+/g;
const BEARER = /\bBearer\s+[\w.~+/=-]+/gi;
// A JWT (the access token), and the opaque tokens the API hands out (`kyr_…` API tokens,
// refresh tokens, base64url): long runs of token characters. Ids (UUIDs) are kept: they name
// records, not people. Tags are not scrubbed: only the console's own code sets them.
const JWT = /\beyJ[\w-]+\.[\w-]+\.[\w-]+/g;
const LONG_TOKEN = /\b[\w-]{32,}\b/g;

/** Breadcrumbs worth keeping: where the console went and which calls it made. Console output,
 * clicks and key presses can carry what a person typed or the names they gave things. */
const KEPT_BREADCRUMBS = new Set(['navigation', 'fetch', 'xhr']);

export function scrubText(text: string): string {
  return text
    .replace(JWT, '[token]')
    .replace(BEARER, 'Bearer [token]')
    .replace(EMAIL, '[email]')
    .replace(LONG_TOKEN, (match) => (/^[0-9a-f-]{36}$/i.test(match) ? match : '[token]'));
}

/** A URL without its query and fragment (search words, an OAuth code and state), scrubbed. */
export function scrubUrl(url: string): string {
  return scrubText(url.replace(/[?#].*$/s, ''));
}

export function scrubBreadcrumb(crumb: Breadcrumb): Breadcrumb | null {
  if (!crumb.category || !KEPT_BREADCRUMBS.has(crumb.category)) return null;
  const data: Record<string, unknown> = {};
  for (const key of ['method', 'status_code', 'from', 'to', 'url'] as const) {
    const value: unknown = crumb.data?.[key];
    if (value === undefined) continue;
    data[key] = typeof value === 'string' ? scrubUrl(value) : value;
  }
  return { ...crumb, message: crumb.message && scrubText(crumb.message), data };
}

export function scrubEvent(event: ErrorEvent): ErrorEvent {
  const scrubbed: ErrorEvent = { ...event, user: undefined, extra: undefined };
  if (event.request) {
    // No body, cookies, query or headers (the Authorization header among them).
    scrubbed.request = { url: event.request.url && scrubUrl(event.request.url) };
  }
  if (event.message) scrubbed.message = scrubText(event.message);
  if (event.exception?.values) {
    scrubbed.exception = {
      values: event.exception.values.map((value) => ({
        ...value,
        value: value.value && scrubText(value.value),
      })),
    };
  }
  if (event.breadcrumbs) {
    scrubbed.breadcrumbs = event.breadcrumbs.flatMap((crumb) => scrubBreadcrumb(crumb) ?? []);
  }
  return scrubbed;
}
