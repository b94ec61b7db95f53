import { describe, expect, it } from 'vitest';
import type { Occurrence } from '@/lib/api/types';
import { byDay, parseDay, parseView, shiftDay, visibleDays, windowOf } from './calendar';

function occurrence(at: string): Occurrence {
  return {
    schedule_id: 's-1',
    variant_id: 'v-1',
    channel: 'linkedin',
    first_line: 'A post',
    at,
    local_time: at.slice(0, 16),
    timezone: 'UTC',
    status: 'scheduled',
    late: false,
  };
}

describe('the calendar grid', () => {
  it('shows whole weeks from Monday around the month', () => {
    // December 2026 starts on a Tuesday and ends on a Thursday.
    const days = visibleDays('month', '2026-12-15');
    expect(days[0]).toBe('2026-11-30');
    expect(days.at(-1)).toBe('2027-01-03');
    expect(days).toHaveLength(35);
    // February 2027 starts on a Monday: exactly four weeks.
    expect(visibleDays('month', '2027-02-10')).toHaveLength(28);
  });

  it('shows the Monday-to-Sunday week of a day, and the month’s days in the list', () => {
    expect(visibleDays('week', '2026-12-10')).toEqual([
      '2026-12-07',
      '2026-12-08',
      '2026-12-09',
      '2026-12-10',
      '2026-12-11',
      '2026-12-12',
      '2026-12-13',
    ]);
    expect(visibleDays('list', '2027-02-10')).toHaveLength(28);
  });

  it('moves by a week or a month, keeping the day where the month has it', () => {
    expect(shiftDay('week', '2026-12-28', 1)).toBe('2027-01-04');
    expect(shiftDay('month', '2027-01-31', 1)).toBe('2027-02-28');
    expect(shiftDay('list', '2027-01-15', -1)).toBe('2026-12-15');
  });

  it('asks the API for the days from local midnight to local midnight', () => {
    expect(windowOf(visibleDays('week', '2026-12-10'), 'Europe/Berlin')).toEqual({
      from: '2026-12-06T23:00:00.000Z',
      to: '2026-12-13T23:00:00.000Z',
    });
  });

  it('puts occurrences on their day in the reader’s zone', () => {
    const late = occurrence('2026-12-07T23:30:00Z');
    const days = byDay([late, occurrence('2026-12-07T08:00:00Z')], 'Europe/Berlin');
    expect([...days.keys()]).toEqual(['2026-12-08', '2026-12-07']);
    expect(byDay([late], 'America/New_York').has('2026-12-07')).toBe(true);
  });

  it('reads the view and day from the URL, falling back to month and today', () => {
    expect(parseView('week')).toBe('week');
    expect(parseView('year')).toBe('month');
    expect(parseDay('2026-02-30', '2026-12-01')).toBe('2026-12-01');
    expect(parseDay('2026-02-03', '2026-12-01')).toBe('2026-02-03');
  });
});
