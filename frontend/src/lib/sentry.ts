import { captureException, captureMessage, init } from '@sentry/react';
import { scrubBreadcrumb, scrubEvent } from './scrub';
import type { ApiFailure } from './errorReports';

/** Loaded only when `VITE_SENTRY_DSN` is set (see errorReports.ts), so a console built without
 * it neither downloads nor runs the SDK. */
export function start(dsn: string): void {
  init({
    dsn,
    environment: (import.meta.env.VITE_SENTRY_ENVIRONMENT as string | undefined) || undefined,
    release: __KYROS_RELEASE__,
    // Sentry 11's successor of `sendDefaultPii: false`: no user, IP address, cookies, headers,
    // bodies or query strings are collected; what remains is scrubbed before it is sent.
    dataCollection: {
      userInfo: false,
      cookies: false,
      httpHeaders: false,
      httpBodies: [],
      urlQueryParams: false,
    },
    beforeSend: scrubEvent,
    beforeBreadcrumb: scrubBreadcrumb,
  });
}

export function captureRenderError(error: unknown): void {
  captureException(error, { tags: { kind: 'render' } });
}

export function captureApiFailure(failure: ApiFailure): void {
  captureMessage(`${failure.method} ${failure.path} answered ${failure.status}`, {
    level: 'error',
    // One issue per endpoint and status, whatever the ids in the path or the request ids.
    fingerprint: ['api-failure', failure.method, failure.path, String(failure.status)],
    tags: {
      kind: 'api',
      status: failure.status,
      problem_type: failure.problemType ?? undefined,
      request_id: failure.requestId ?? undefined,
      trace_id: failure.traceId ?? undefined,
    },
  });
}
