import { describe, expect, it } from 'vitest';
import {
  customRangeError,
  DEFAULT_PERIOD,
  describeWindow,
  periodFromParams,
  periodToParams,
  periodWindow,
  windowDays,
} from './period';

const now = new Date('2026-12-01T15:30:00Z');

describe('periodWindow', () => {
  it('ends a preset at the coming UTC midnight so today is its last day', () => {
    expect(periodWindow({ kind: 'preset', days: 7 }, now)).toEqual({
      from: '2026-11-25T00:00:00.000Z',
      to: '2026-12-02T00:00:00.000Z',
    });
    expect(periodWindow({ kind: 'preset', days: 90 }, now).from).toBe('2026-09-03T00:00:00.000Z');
  });

  it('covers both ends of a custom range', () => {
    expect(
      periodWindow({ kind: 'custom', firstDay: '2026-03-01', lastDay: '2026-03-31' }, now),
    ).toEqual({ from: '2026-03-01T00:00:00.000Z', to: '2026-04-01T00:00:00.000Z' });
  });
});

describe('the period in the address', () => {
  it('round-trips presets and custom ranges', () => {
    for (const period of [
      { kind: 'preset', days: 7 },
      { kind: 'preset', days: 90 },
      { kind: 'custom', firstDay: '2026-01-10', lastDay: '2026-02-10' },
    ] as const) {
      expect(periodFromParams(new URLSearchParams(periodToParams(period)))).toEqual(period);
    }
  });

  it('leaves the default out of the address', () => {
    expect(periodToParams(DEFAULT_PERIOD)).toEqual({});
    expect(periodFromParams(new URLSearchParams())).toEqual(DEFAULT_PERIOD);
  });

  it('falls back to the default for what it cannot read', () => {
    for (const query of ['period=12d', 'from=2026-02-30&to=2026-03-01', 'from=2026-03-01']) {
      expect(periodFromParams(new URLSearchParams(query))).toEqual(DEFAULT_PERIOD);
    }
  });
});

describe('customRangeError', () => {
  it('accepts one day up to the API’s longest window', () => {
    expect(customRangeError('2026-03-01', '2026-03-01')).toBeNull();
    expect(customRangeError('2025-01-01', '2026-01-01')).toBeNull();
  });

  it('says what is wrong with a range, and at which end', () => {
    expect(customRangeError('', '2026-03-01')).toEqual({
      field: 'firstDay',
      message: 'Pick the first day.',
    });
    expect(customRangeError('2026-03-01', 'soon')).toEqual({
      field: 'lastDay',
      message: 'Pick the last day.',
    });
    expect(customRangeError('2026-03-02', '2026-03-01')).toEqual({
      field: 'lastDay',
      message: 'The last day must not be before the first day.',
    });
    expect(customRangeError('2025-01-01', '2026-01-02')).toEqual({
      field: 'firstDay',
      message: 'Pick at most 366 days.',
    });
  });
});

describe('describing a window', () => {
  const range = { from: '2026-11-25T00:00:00.000Z', to: '2026-12-02T00:00:00.000Z' };

  it('names its first and last days, the end being exclusive', () => {
    expect(windowDays(range)).toEqual({ firstDay: '2026-11-25', lastDay: '2026-12-01' });
    expect(describeWindow(range)).toBe('Nov 25 – Dec 1, 2026');
  });

  it('shows both years when the window spans a new year', () => {
    expect(describeWindow({ from: '2025-12-30T00:00:00Z', to: '2026-01-02T00:00:00Z' })).toBe(
      'Dec 30, 2025 – Jan 1, 2026',
    );
  });
});
