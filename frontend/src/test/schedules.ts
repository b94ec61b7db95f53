import type { Occurrence, Schedule } from '@/lib/api/types';

/** A weekly schedule as `GET /schedule` lists it. */
export function scheduleOf(overrides: Partial<Schedule> = {}): Schedule {
  return {
    id: '00000000-0000-0000-0000-0000000000cc',
    variant_id: '00000000-0000-0000-0000-0000000000dd',
    channel: 'linkedin',
    first_line: 'Rye & Crumb moved to a four-day week.',
    connector: 'file',
    run_at: '2030-01-07T12:00:00Z',
    timezone: 'UTC',
    recurrence: 'FREQ=WEEKLY;BYDAY=MO',
    exdates: [],
    status: 'active',
    upcoming: [],
    created_at: '2029-12-01T00:00:00Z',
    updated_at: '2029-12-01T00:00:00Z',
    ...overrides,
  };
}

/** One of a schedule's posts on the calendar, at `at` (UTC), with its status. */
export function occurrenceOf(at: string, overrides: Partial<Occurrence> = {}): Occurrence {
  return {
    schedule_id: '00000000-0000-0000-0000-0000000000cc',
    variant_id: '00000000-0000-0000-0000-0000000000dd',
    channel: 'linkedin',
    first_line: 'Rye & Crumb moved to a four-day week.',
    at,
    local_time: at.slice(0, 16),
    timezone: 'UTC',
    status: 'scheduled',
    late: false,
    ...overrides,
  };
}
