import createClient, { type Middleware } from 'openapi-fetch';
import { reportApiFailure } from '@/lib/errorReports';
import type { paths } from './schema';
import { ApiError, networkError, toApiError } from './problem';
import { API_BASE_URL, clearSession, getAccessToken, refreshSession } from './session';
import { newTraceparent, traceIdOf } from './traceparent';

const retryCopies = new Map<string, Request>();

function isAuthPath(schemaPath: string) {
  return schemaPath.startsWith('/auth/');
}

/** Adds the bearer token, and on a 401 refreshes once and repeats the request. */
export const authMiddleware: Middleware = {
  async onRequest({ request, schemaPath, id }) {
    if (isAuthPath(schemaPath)) return request;
    const token = await getAccessToken();
    if (token) request.headers.set('Authorization', `Bearer ${token}`);
    retryCopies.set(id, request.clone());
    return request;
  },
  async onResponse({ response, schemaPath, id }) {
    const copy = retryCopies.get(id);
    retryCopies.delete(id);
    if (response.status !== 401 || isAuthPath(schemaPath) || !copy) return response;
    const refused = copy.headers.get('Authorization')?.replace(/^Bearer /, '') ?? null;
    const ok = await refreshSession(refused);
    if (!ok) {
      clearSession('expired');
      return response;
    }
    const token = await getAccessToken();
    const retry = new Request(copy);
    if (token) retry.headers.set('Authorization', `Bearer ${token}`);
    const again = await globalThis.fetch(retry);
    if (again.status === 401) clearSession('expired');
    return again;
  },
  onError({ id }) {
    retryCopies.delete(id);
  },
};

/**
 * Starts a trace for each call and reports the calls the server failed.
 *
 * One trace per user action: every action of the console is one call (Generate is one
 * `POST /jobs`, whose work the API carries on in the same trace through the queue), so each
 * mutation starts a new trace, and each query, refetch or poll gets its own. The repeat of a call
 * after its token was renewed keeps the trace: it is the same action.
 */
export const traceMiddleware: Middleware = {
  onRequest({ request }) {
    if (!request.headers.has('traceparent')) request.headers.set('traceparent', newTraceparent());
    return request;
  },
  onResponse({ request, response, schemaPath }) {
    if (response.status >= 500) void reportFailure(request, response, schemaPath);
    return response;
  },
};

async function reportFailure(request: Request, response: Response, path: string) {
  const problem: unknown = await response
    .clone()
    .json()
    .catch(() => null);
  const field = (name: string) => {
    const value = (problem as Record<string, unknown> | null)?.[name];
    return typeof value === 'string' ? value : null;
  };
  reportApiFailure({
    method: request.method,
    path,
    status: response.status,
    problemType: field('type'),
    requestId: field('request_id') ?? response.headers.get('x-request-id'),
    traceId: traceIdOf(request.headers.get('traceparent')),
  });
}

export const api = createClient<paths>({
  baseUrl: API_BASE_URL,
  // Resolve fetch at call time so test interceptors and page-level mocks apply.
  fetch: (input: Request) => globalThis.fetch(input),
});
// The trace goes on first, so that the copy kept for a repeat carries it; answers pass the
// middleware in reverse, so failures are seen after a repeat.
api.use(traceMiddleware, authMiddleware);

type Result<T> = { data?: T; error?: unknown; response: Response };

/** Awaits an openapi-fetch call and returns its data, or throws an ApiError. */
export async function unwrap<T>(call: Promise<Result<T>>): Promise<T> {
  let result: Result<T>;
  try {
    result = await call;
  } catch (e) {
    throw networkError(e);
  }
  const { data, error, response } = result;
  if (error !== undefined || !response.ok) throw toApiError(error, response);
  return data as T;
}

/** Like `unwrap`, but `null` when the API answers 404: a resource not made yet. */
export async function unwrapOrNull<T>(call: Promise<Result<T>>): Promise<T | null> {
  try {
    return await unwrap(call);
  } catch (e) {
    if (e instanceof ApiError && e.status === 404) return null;
    throw e;
  }
}

export { ApiError };
