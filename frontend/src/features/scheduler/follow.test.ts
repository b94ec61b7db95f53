import { describe, expect, it } from 'vitest';
import type { Schedule, ScheduleRun } from '@/lib/api/types';
import { FOLLOW_MS, runsRefetchInterval, scheduleRefetchInterval } from './follow';

const NOW = Date.parse('2030-01-07T12:00:00Z');

function schedule(patch: Partial<Schedule>): Schedule {
  return {
    id: 's-1',
    variant_id: 'v-1',
    channel: 'x',
    first_line: 'Rye & Crumb moved to a four-day week.',
    connector: 'account',
    run_at: '2030-01-07T12:01:00Z',
    timezone: 'UTC',
    exdates: [],
    status: 'active',
    next_run_at: '2030-01-07T12:01:00Z',
    upcoming: [],
    created_at: '2030-01-07T11:00:00Z',
    updated_at: '2030-01-07T11:00:00Z',
    ...patch,
  };
}

function run(patch: Partial<ScheduleRun>): ScheduleRun {
  return {
    id: 'r-1',
    schedule_id: 's-1',
    occurrence_at: '2030-01-07T12:00:00Z',
    status: 'publishing',
    attempts: 0,
    late: false,
    missed: 0,
    attempt_log: [],
    created_at: '2030-01-07T12:00:00Z',
    ...patch,
  };
}

describe('following a schedule while its post goes out', () => {
  it('looks again when the next post falls due, then every couple of seconds until claimed', () => {
    expect(scheduleRefetchInterval(schedule({}), NOW)).toBe(60_000);
    expect(scheduleRefetchInterval(schedule({}), NOW + 59_500)).toBe(FOLLOW_MS);
    expect(scheduleRefetchInterval(schedule({}), NOW + 90_000)).toBe(FOLLOW_MS);
  });

  it('does not wait for a post far off, nor for a paused or finished schedule', () => {
    expect(scheduleRefetchInterval(schedule({ next_run_at: '2030-01-08T12:00:00Z' }), NOW)).toBe(
      false,
    );
    expect(scheduleRefetchInterval(schedule({ status: 'paused' }), NOW)).toBe(false);
    expect(scheduleRefetchInterval(schedule({ status: 'completed', next_run_at: null }), NOW)).toBe(
      false,
    );
    expect(scheduleRefetchInterval(undefined, NOW)).toBe(false);
  });

  it('follows a run being published, and one being retried at its next attempt', () => {
    expect(runsRefetchInterval([run({})], NOW)).toBe(FOLLOW_MS);
    const retrying = run({ status: 'retrying', next_attempt_at: '2030-01-07T12:00:30Z' });
    expect(runsRefetchInterval([retrying], NOW)).toBe(30_000);
    expect(runsRefetchInterval([retrying, run({ id: 'r-2' })], NOW)).toBe(FOLLOW_MS);
  });

  it('stops once every run is published or failed, or the next attempt is far off', () => {
    expect(
      runsRefetchInterval([run({ status: 'published' }), run({ status: 'failed' })], NOW),
    ).toBe(false);
    const later = run({ status: 'retrying', next_attempt_at: '2030-01-07T13:00:00Z' });
    expect(runsRefetchInterval([later], NOW)).toBe(false);
    expect(runsRefetchInterval([], NOW)).toBe(false);
    expect(runsRefetchInterval(undefined, NOW)).toBe(false);
  });
});
