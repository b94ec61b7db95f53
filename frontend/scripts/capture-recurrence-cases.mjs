// Asks a running Kyros API how it expands the recurrences the schedule form writes, and saves
// its answers to src/features/scheduler/recurrence.agreement.json, which the console's own
// expansion is tested against. Start the API first (`kyros serve`), then:
//   node scripts/capture-recurrence-cases.mjs [http://127.0.0.1:8000]
import { readFileSync, writeFileSync } from 'node:fs';

const API = process.argv[2] ?? 'http://127.0.0.1:8000';
const OUT = new URL('../src/features/scheduler/recurrence.agreement.json', import.meta.url);
const ARTICLE = new URL('../../backend/crates/kyros/examples/four-day-week.md', import.meta.url);

async function call(method, path, body, token) {
  const response = await fetch(`${API}${path}`, {
    method,
    headers: {
      'Content-Type': 'application/json',
      ...(token ? { Authorization: `Bearer ${token}` } : {}),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : null };
}

/** Next year, so every start is ahead of the API's clock. */
const year = new Date().getUTCFullYear() + 1;
const day = (month, date) =>
  `${year}-${String(month).padStart(2, '0')}-${String(date).padStart(2, '0')}`;
const until = (month, date) => `${day(month, date).replaceAll('-', '')}T235959`;

// The subset the editor writes, in zones with and without daylight saving, around the changes.
const CASES = [
  [`${day(1, 4)}T09:00`, 'Europe/Berlin', 'FREQ=WEEKLY;BYDAY=MO'],
  [`${day(10, 19)}T09:00`, 'Europe/Berlin', 'FREQ=WEEKLY;BYDAY=MO'],
  [`${day(3, 20)}T09:00`, 'Europe/Berlin', 'FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,TH;COUNT=10'],
  [`${day(3, 26)}T02:30`, 'Europe/Berlin', 'FREQ=DAILY;COUNT=5'],
  [`${day(10, 29)}T02:30`, 'Europe/Berlin', 'FREQ=DAILY;COUNT=5'],
  [`${day(3, 10)}T02:30`, 'America/New_York', 'FREQ=DAILY'],
  [`${day(11, 1)}T01:30`, 'America/New_York', 'FREQ=DAILY;INTERVAL=3'],
  [`${day(9, 2)}T00:00`, 'America/Santiago', 'FREQ=DAILY;COUNT=6'],
  [`${day(4, 1)}T23:30`, 'Australia/Sydney', 'FREQ=WEEKLY;BYDAY=SA,SU'],
  [`${day(9, 25)}T01:00`, 'Pacific/Auckland', 'FREQ=DAILY;UNTIL=' + until(9, 29)],
  [`${day(1, 31)}T09:00`, 'UTC', 'FREQ=MONTHLY;BYMONTHDAY=31'],
  [`${day(1, 15)}T18:45`, 'Asia/Kolkata', 'FREQ=MONTHLY;INTERVAL=2;BYMONTHDAY=15;COUNT=4'],
  [`${day(2, 10)}T08:00`, 'Europe/London', 'FREQ=MONTHLY;BYMONTHDAY=29;UNTIL=' + until(8, 1)],
  [`${day(6, 3)}T12:00`, 'Europe/Berlin', 'FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR'],
  [
    `${day(6, 3)}T07:15`,
    'America/Los_Angeles',
    'FREQ=WEEKLY;INTERVAL=3;BYDAY=WE;UNTIL=' + until(8, 31),
  ],
  [`${day(12, 30)}T23:00`, 'Pacific/Auckland', 'FREQ=DAILY;INTERVAL=7'],
  [`${day(5, 5)}T10:00`, 'Europe/Berlin', null],
  [`${day(10, 31)}T02:30`, 'Europe/Berlin', null],
];

const email = `agreement-${Date.now()}@example.com`;
const password = 'correct horse battery'; // pragma: allowlist secret
await call('POST', '/auth/register', { email, password });
const { body: tokens } = await call('POST', '/auth/login', { email, password });
const token = tokens.access_token;
const content = readFileSync(ARTICLE, 'utf8');
let { body: job } = await call(
  'POST',
  '/jobs',
  { name: 'agreement', source: { type: 'markdown', content } },
  token,
);
for (let i = 0; i < 60 && !['needs_review', 'done', 'failed'].includes(job.status); i += 1) {
  await new Promise((resolve) => setTimeout(resolve, 1000));
  ({ body: job } = await call('GET', `/jobs/${job.id}`, undefined, token));
}
const variant = job.variants?.[0];
if (!variant) throw new Error(`the job did not produce posts (${job.status})`);
await call('PUT', `/variants/${variant.id}`, { accepted: true }, token);

const cases = [];
for (const [run_at, timezone, recurrence] of CASES) {
  const { status, body } = await call(
    'POST',
    '/schedule',
    { variant_id: variant.id, run_at, timezone, recurrence },
    token,
  );
  if (status !== 201)
    throw new Error(`${run_at} ${timezone} ${recurrence}: ${JSON.stringify(body)}`);
  cases.push({ run_at, timezone, recurrence, upcoming: body.upcoming });
}
writeFileSync(
  OUT,
  `${JSON.stringify({ captured_from: 'POST /schedule → upcoming', cases }, null, 2)}\n`,
);
console.log(`wrote ${cases.length} cases to ${OUT.pathname}`);
