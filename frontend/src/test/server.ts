import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';

export const API = 'http://localhost:8000';

/** Answers every test gets unless it says otherwise: a user with no schedules yet (each post
 * card looks up the schedules that publish it), no connected accounts (the dashboard, the
 * schedule dialog and Settings list them) and so no open posting slots (the calendar). */
export const server = setupServer(
  http.get(`${API}/schedule`, () => HttpResponse.json({ items: [], occurrences: [] })),
  http.get(`${API}/queue/open-slots`, () => HttpResponse.json({ items: [] })),
  http.get(`${API}/connections`, () => HttpResponse.json({ items: [] })),
);
