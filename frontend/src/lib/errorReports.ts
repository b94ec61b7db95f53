/**
 * Error reports to Sentry, only when the build sets `VITE_SENTRY_DSN` (plus
 * `VITE_SENTRY_ENVIRONMENT`, and `VITE_SENTRY_RELEASE` or the package version). Until
 * `startErrorReports` is called, and always without a DSN, reports go nowhere and the SDK is
 * never fetched.
 */
type Sentry = typeof import('./sentry');

let sentry: Promise<Sentry> | null = null;

/**
 * Fetches the SDK and starts it. The entry passes `load` so that it alone imports the SDK's
 * chunk: imported from here, shared by the pages, it would split the main bundle in two.
 */
export function startErrorReports(dsn: string, load: () => Promise<Sentry>): void {
  sentry = load().then((module) => {
    module.start(dsn);
    return module;
  });
}

/** A page that failed to render, caught by the router's error boundary. */
export function reportRenderError(error: unknown): void {
  void sentry?.then((module) => module.captureRenderError(error));
}

/** An API call the server failed (5xx): what the server's logs and traces are found by. */
export type ApiFailure = {
  method: string;
  /** The path as the API document names it (`/jobs/{id}`), without ids or query. */
  path: string;
  status: number;
  /** The problem's `type`, `request_id`, and the trace the call started. */
  problemType: string | null;
  requestId: string | null;
  traceId: string | null;
};

export function reportApiFailure(failure: ApiFailure): void {
  void sentry?.then((module) => module.captureApiFailure(failure));
}
