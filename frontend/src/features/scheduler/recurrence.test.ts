import { describe as group, expect, it } from 'vitest';
import { naiveFrom, timeOf, wallClock } from '@/lib/zoned';
import {
  describe,
  describeStored,
  expand,
  oneOff,
  parseRRule,
  toRRule,
  validateRecurrence,
  type Recurrence,
} from './recurrence';

const BERLIN = 'Europe/Berlin';

function rule(overrides: Partial<Recurrence>): Recurrence {
  return { ...oneOff(), ...overrides };
}

const weekly = (...weekdays: Recurrence['weekdays']) => rule({ frequency: 'weekly', weekdays });

function iso(instants: number[]): string[] {
  return instants.map((i) => new Date(i).toISOString().replace('.000', ''));
}

function localTimes(instants: number[], zone: string): string[] {
  return instants.map((i) => {
    const naive = wallClock(i, zone);
    return `${new Date(naive).toISOString().slice(0, 10)} ${timeOf(naive)}`;
  });
}

group('the RRULE the editor writes', () => {
  it('is null for a one-off post', () => {
    expect(toRRule(oneOff())).toBeNull();
  });

  it('names the weekdays in calendar order, with interval and count', () => {
    const r = rule({
      frequency: 'weekly',
      interval: 2,
      weekdays: ['TH', 'MO'],
      end: { kind: 'count', count: 10 },
    });
    expect(toRRule(r)).toBe('FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,TH;COUNT=10');
  });

  it('ends on a date with a floating UNTIL at the end of that day', () => {
    const r = rule({
      frequency: 'monthly',
      monthDay: 15,
      end: { kind: 'until', date: '2027-06-30' },
    });
    expect(toRRule(r)).toBe('FREQ=MONTHLY;BYMONTHDAY=15;UNTIL=20270630T235959');
  });

  it('reads its own rules back', () => {
    const rules: Recurrence[] = [
      rule({ frequency: 'daily', interval: 3 }),
      rule({ frequency: 'weekly', weekdays: ['MO', 'WE', 'FR'], end: { kind: 'count', count: 4 } }),
      rule({ frequency: 'monthly', monthDay: 31, end: { kind: 'until', date: '2027-12-31' } }),
    ];
    for (const r of rules) {
      const written = toRRule(r);
      const read = parseRRule(written, '2026-12-07');
      expect(read && toRRule(read)).toBe(written);
      expect(read?.end).toEqual(r.end);
    }
  });

  it('fills in what a bare rule leaves to the start date, as RFC 5545 does', () => {
    // 2026-12-09 is a Wednesday.
    expect(parseRRule('rrule:freq=weekly', '2026-12-09')?.weekdays).toEqual(['WE']);
    expect(parseRRule('FREQ=MONTHLY', '2026-12-09')?.monthDay).toBe(9);
  });

  it('leaves rules it cannot show to the custom editor', () => {
    for (const custom of [
      'FREQ=WEEKLY;BYDAY=1MO',
      'FREQ=MONTHLY;BYMONTHDAY=1,15',
      'FREQ=DAILY;BYHOUR=9,17',
      'FREQ=HOURLY',
      'FREQ=YEARLY',
      'FREQ=DAILY;UNTIL=20261231T120000Z',
      'FREQ=WEEKLY;WKST=SU',
      'FREQ',
    ]) {
      expect(parseRRule(custom, '2026-12-07'), custom).toBeNull();
    }
  });
});

group('the summary', () => {
  const monday9 = naiveFrom('2026-12-07', '09:00');

  it('reads like the examples in the product brief', () => {
    expect(describe(monday9, BERLIN, weekly('MO'))).toBe('Every Monday at 09:00 Europe/Berlin');
    expect(
      describe(
        monday9,
        BERLIN,
        rule({
          frequency: 'weekly',
          interval: 2,
          weekdays: ['TH', 'MO'],
          end: { kind: 'count', count: 10 },
        }),
      ),
    ).toBe('Every 2 weeks on Monday and Thursday at 09:00 Europe/Berlin, 10 times');
  });

  it('covers one-off, daily, weekday, monthly and end dates', () => {
    expect(describe(monday9, BERLIN, oneOff())).toBe(
      'Once on Monday 7 December 2026 at 09:00 Europe/Berlin',
    );
    expect(describe(monday9, 'UTC', rule({ frequency: 'daily' }))).toBe('Every day at 09:00 UTC');
    expect(describe(monday9, 'UTC', rule({ frequency: 'daily', interval: 3 }))).toBe(
      'Every 3 days at 09:00 UTC',
    );
    expect(describe(monday9, 'UTC', weekly('MO', 'TU', 'WE', 'TH', 'FR'))).toBe(
      'Every weekday at 09:00 UTC',
    );
    expect(describe(monday9, 'UTC', weekly('FR', 'MO', 'WE'))).toBe(
      'Every Monday, Wednesday and Friday at 09:00 UTC',
    );
    expect(
      describe(
        monday9,
        'UTC',
        rule({
          frequency: 'monthly',
          interval: 3,
          monthDay: 22,
          end: { kind: 'until', date: '2027-12-31' },
        }),
      ),
    ).toBe('Every 3 months on the 22nd at 09:00 UTC, until 31 December 2027');
    expect(
      describe(monday9, 'UTC', rule({ frequency: 'daily', end: { kind: 'count', count: 1 } })),
    ).toBe('Every day at 09:00 UTC, 1 time');
  });

  it('describes a stored schedule in its own zone, quoting rules the editor cannot show', () => {
    expect(describeStored('2026-12-07T08:00:00Z', BERLIN, 'FREQ=WEEKLY;BYDAY=MO')).toBe(
      'Every Monday at 09:00 Europe/Berlin',
    );
    expect(describeStored('2026-12-07T08:00:00Z', BERLIN, 'FREQ=DAILY;BYHOUR=9,17')).toBe(
      'Custom rule FREQ=DAILY;BYHOUR=9,17 from Monday 7 December 2026 at 09:00 Europe/Berlin',
    );
  });
});

group('the next occurrences', () => {
  it('keep a weekly 09:00 Berlin post at 09:00 local across the late-October change', () => {
    // Monday 2026-10-19 09:00 CEST (UTC+2); clocks go back on Sunday 2026-10-25.
    const start = naiveFrom('2026-10-19', '09:00');
    const { instants } = expand(start, BERLIN, weekly('MO'), { limit: 3 });
    expect(iso(instants)).toEqual([
      '2026-10-19T07:00:00Z',
      '2026-10-26T08:00:00Z',
      '2026-11-02T08:00:00Z',
    ]);
    expect(localTimes(instants, BERLIN).map((t) => t.slice(-5))).toEqual([
      '09:00',
      '09:00',
      '09:00',
    ]);
  });

  it('agree with the API on its own DST case (Tuesdays from 2026-10-20)', () => {
    const start = naiveFrom('2026-10-20', '09:00');
    const { instants } = expand(start, BERLIN, weekly('TU'), { limit: 3 });
    expect(iso(instants)).toEqual([
      '2026-10-20T07:00:00Z',
      '2026-10-27T08:00:00Z',
      '2026-11-03T08:00:00Z',
    ]);
  });

  it('keep the local hour when New York springs forward', () => {
    const start = naiveFrom('2027-03-12', '08:30');
    const r = rule({ frequency: 'daily', end: { kind: 'count', count: 4 } });
    expect(iso(expand(start, 'America/New_York', r, { limit: 10 }).instants)).toEqual([
      '2027-03-12T13:30:00Z',
      '2027-03-13T13:30:00Z',
      '2027-03-14T12:30:00Z',
      '2027-03-15T12:30:00Z',
    ]);
  });

  it('move a skipped 02:30 to 03:30 on the day clocks go forward', () => {
    const start = naiveFrom('2027-03-27', '02:30');
    const { instants } = expand(start, BERLIN, rule({ frequency: 'daily' }), { limit: 3 });
    expect(localTimes(instants, BERLIN)).toEqual([
      '2027-03-27 02:30',
      '2027-03-28 03:30',
      '2027-03-29 02:30',
    ]);
  });

  it('honour interval and an end date, inclusive', () => {
    const start = naiveFrom('2026-12-01', '10:00');
    const r = rule({ frequency: 'daily', interval: 2, end: { kind: 'until', date: '2026-12-09' } });
    expect(localTimes(expand(start, BERLIN, r, { limit: 50 }).instants, BERLIN)).toEqual([
      '2026-12-01 10:00',
      '2026-12-03 10:00',
      '2026-12-05 10:00',
      '2026-12-07 10:00',
      '2026-12-09 10:00',
    ]);
  });

  it('count weeks from the week of the start, Monday first', () => {
    // Wednesday 2026-12-09: that week's Thursday, then Monday and Thursday every other week.
    const start = naiveFrom('2026-12-09', '09:00');
    const r = rule({
      frequency: 'weekly',
      interval: 2,
      weekdays: ['MO', 'TH'],
      end: { kind: 'count', count: 4 },
    });
    expect(localTimes(expand(start, BERLIN, r, { limit: 10 }).instants, BERLIN)).toEqual([
      '2026-12-10 09:00',
      '2026-12-21 09:00',
      '2026-12-24 09:00',
      '2027-01-04 09:00',
    ]);
  });

  it('skip months without the chosen day', () => {
    const start = naiveFrom('2027-01-31', '09:00');
    const r = rule({ frequency: 'monthly', monthDay: 31 });
    expect(localTimes(expand(start, 'UTC', r, { limit: 4 }).instants, 'UTC')).toEqual([
      '2027-01-31 09:00',
      '2027-03-31 09:00',
      '2027-05-31 09:00',
      '2027-07-31 09:00',
    ]);
  });

  it('start from the first matching day when the start date does not match', () => {
    // 2026-12-08 is a Tuesday; the rule posts on Mondays.
    const start = naiveFrom('2026-12-08', '09:00');
    const { instants } = expand(start, 'UTC', weekly('MO'), { limit: 1 });
    expect(iso(instants)).toEqual(['2026-12-14T09:00:00Z']);
  });

  it('show only what is still to come, counting COUNT from the start', () => {
    const start = naiveFrom('2026-12-01', '09:00');
    const r = rule({ frequency: 'daily', end: { kind: 'count', count: 5 } });
    const notBefore = Date.parse('2026-12-03T12:00:00Z');
    expect(localTimes(expand(start, 'UTC', r, { limit: 5, notBefore }).instants, 'UTC')).toEqual([
      '2026-12-04 09:00',
      '2026-12-05 09:00',
    ]);
  });

  it('say when the start time does not exist, and take the first of a repeated one', () => {
    expect(expand(naiveFrom('2027-03-28', '02:30'), BERLIN, oneOff(), { limit: 5 })).toEqual({
      instants: [],
      startMissing: true,
    });
    expect(
      iso(expand(naiveFrom('2026-10-25', '02:30'), BERLIN, oneOff(), { limit: 5 }).instants),
    ).toEqual(['2026-10-25T00:30:00Z']);
  });

  it('find nothing for a rule that never matches', () => {
    const r = rule({ frequency: 'monthly', interval: 12, monthDay: 30 });
    expect(expand(naiveFrom('2027-02-01', '09:00'), 'UTC', r, { limit: 5 }).instants).toEqual([]);
  });
});

group('recurrence validation', () => {
  it('names the control to fix', () => {
    expect(validateRecurrence(weekly(), '2026-12-07')).toEqual({
      weekdays: 'Pick at least one day of the week.',
    });
    expect(
      validateRecurrence(rule({ frequency: 'daily', interval: 0 }), '2026-12-07'),
    ).toHaveProperty('interval');
    expect(
      validateRecurrence(
        rule({ frequency: 'daily', end: { kind: 'until', date: '2026-12-01' } }),
        '2026-12-07',
      ),
    ).toEqual({ end: 'The end date is before the start date.' });
    expect(
      validateRecurrence(
        rule({ frequency: 'daily', end: { kind: 'count', count: 0 } }),
        '2026-12-07',
      ),
    ).toHaveProperty('end');
    expect(validateRecurrence(oneOff(), '2026-12-07')).toEqual({});
  });
});
