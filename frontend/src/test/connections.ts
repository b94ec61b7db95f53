import { http, HttpResponse } from 'msw';
import type { Connection } from '@/lib/api/types';
import { API, server } from './server';

/** A connected account as `GET /connections` lists it. */
export function connection(overrides: Partial<Connection> = {}): Connection {
  return {
    id: '0193a000-0000-7000-8000-0000000c0001',
    network: 'x',
    handle: '@kyros',
    display_name: 'Kyros',
    avatar_url: null,
    instance_url: null,
    char_limit: null,
    status: 'active',
    status_reason: null,
    expires_at: null,
    created_at: '2026-11-20T10:00:00Z',
    updated_at: '2026-11-20T10:00:00Z',
    ...overrides,
  };
}

/** Serves `GET /connections` from a list the test can read back (and count reads of). */
export function serveConnections(initial: Connection[]) {
  const state = { items: [...initial], deleted: [] as string[], reads: 0 };
  server.use(
    http.get(`${API}/connections`, () => {
      state.reads += 1;
      return HttpResponse.json({ items: state.items });
    }),
    http.delete(`${API}/connections/:id`, ({ params }) => {
      state.deleted.push(String(params.id));
      state.items = state.items.filter((c) => c.id !== params.id);
      return new HttpResponse(null, { status: 204 });
    }),
  );
  return state;
}
