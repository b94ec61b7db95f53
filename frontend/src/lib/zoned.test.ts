import { describe, expect, it } from 'vitest';
import {
  addDays,
  dayInZone,
  instantsAt,
  isValidTimeZone,
  localDateTime,
  naiveFrom,
  naiveFromDay,
  startOfDay,
  wallClock,
} from './zoned';

const at = (iso: string) => Date.parse(iso);

describe('wall-clock time in a zone', () => {
  it('reads an instant as local time, on either side of a DST change', () => {
    expect(localDateTime(wallClock(at('2026-10-24T07:00:00Z'), 'Europe/Berlin'))).toBe(
      '2026-10-24T09:00',
    );
    expect(localDateTime(wallClock(at('2026-10-26T08:00:00Z'), 'Europe/Berlin'))).toBe(
      '2026-10-26T09:00',
    );
    expect(localDateTime(wallClock(at('2026-12-07T00:30:00Z'), 'Asia/Kolkata'))).toBe(
      '2026-12-07T06:00',
    );
  });

  it('finds both instants of a repeated hour and none of a skipped one', () => {
    expect(instantsAt(naiveFrom('2026-10-25', '02:30'), 'Europe/Berlin')).toEqual([
      at('2026-10-25T00:30:00Z'),
      at('2026-10-25T01:30:00Z'),
    ]);
    expect(instantsAt(naiveFrom('2027-03-28', '02:30'), 'Europe/Berlin')).toEqual([]);
    expect(instantsAt(naiveFrom('2027-03-28', '03:30'), 'Europe/Berlin')).toEqual([
      at('2027-03-28T01:30:00Z'),
    ]);
  });

  it('starts a day at local midnight, or when the clocks jump past it', () => {
    expect(startOfDay('2026-12-07', 'Europe/Berlin')).toBe(at('2026-12-06T23:00:00Z'));
    // Santiago skips 00:00–01:00 on 2026-09-06.
    expect(startOfDay('2026-09-06', 'America/Santiago')).toBe(at('2026-09-06T04:00:00Z'));
  });

  it('puts an instant on the right calendar day', () => {
    expect(dayInZone(at('2026-12-06T23:30:00Z'), 'Europe/Berlin')).toBe('2026-12-07');
    expect(dayInZone(at('2026-12-06T23:30:00Z'), 'America/New_York')).toBe('2026-12-06');
  });

  it('checks zone names and dates', () => {
    expect(isValidTimeZone('Europe/Berlin')).toBe(true);
    expect(isValidTimeZone('UTC')).toBe(true);
    expect(isValidTimeZone('Mars/Olympus')).toBe(false);
    expect(isValidTimeZone('')).toBe(false);
    expect(naiveFromDay('2027-02-29')).toBeNaN();
    expect(naiveFrom('2026-12-07', '24:00')).toBeNaN();
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addDays('2027-03-01', -1)).toBe('2027-02-28');
  });
});
