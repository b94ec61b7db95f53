import type { Schedule, ScheduleRun } from '@/lib/api/types';

/** How often an open schedule is looked at again while one of its posts is going out. */
export const FOLLOW_MS = 2_000;
/** A post further off is not waited for: opening the details again shows where it stands. */
const HORIZON_MS = 10 * 60_000;

/** The wait until `at` (never under FOLLOW_MS), or `false` when there is no time or it is far. */
function untilSoon(at: string | null | undefined, now: number): number | false {
  if (!at) return false;
  const wait = Date.parse(at) - now;
  return wait > HORIZON_MS ? false : Math.max(wait, FOLLOW_MS);
}

/**
 * When to fetch an active schedule again so its open details see the next post fall due: at its
 * time, then every FOLLOW_MS until the scheduler has claimed it (and moved `next_run_at` on).
 */
export function scheduleRefetchInterval(
  schedule: Schedule | undefined,
  now: number,
): number | false {
  return schedule?.status === 'active' ? untilSoon(schedule.next_run_at, now) : false;
}

/**
 * When to fetch a schedule's runs again: every FOLLOW_MS while one is being published, at the
 * next attempt of one being retried, and not at all once every run is published or failed.
 */
export function runsRefetchInterval(runs: ScheduleRun[] | undefined, now: number): number | false {
  const waits = (runs ?? []).flatMap((run) => {
    if (run.status === 'publishing') return [FOLLOW_MS];
    const wait = run.status === 'retrying' ? untilSoon(run.next_attempt_at, now) : false;
    return wait === false ? [] : [wait];
  });
  return waits.length > 0 ? Math.min(...waits) : false;
}
