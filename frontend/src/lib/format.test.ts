import { describe, expect, it } from 'vitest';
import {
  formatCount,
  formatDay,
  formatDuration,
  formatPercent,
  formatPlural,
  formatTimeAgo,
} from './format';

describe('formatDuration', () => {
  it('reads sub-second times as under a second', () => {
    expect(formatDuration(0)).toBe('< 1 s');
    expect(formatDuration(0.4)).toBe('< 1 s');
  });

  it('uses seconds under a minute', () => {
    expect(formatDuration(1)).toBe('1 s');
    expect(formatDuration(4.2)).toBe('4 s');
    expect(formatDuration(59.4)).toBe('59 s');
  });

  it('rounds to whole minutes under an hour', () => {
    expect(formatDuration(59.6)).toBe('1 min');
    expect(formatDuration(12 * 60 + 20)).toBe('12 min');
    expect(formatDuration(59 * 60 + 29)).toBe('59 min');
  });

  it('uses hours and minutes under a day, leaving out zero minutes', () => {
    expect(formatDuration(59 * 60 + 31)).toBe('1 h');
    expect(formatDuration(2 * 3600 + 5 * 60)).toBe('2 h 5 min');
    expect(formatDuration(2 * 3600 + 5 * 60 + 40)).toBe('2 h 6 min');
  });

  it('uses days and hours beyond a day', () => {
    expect(formatDuration(24 * 3600 - 10)).toBe('1 d');
    expect(formatDuration(3 * 86_400 + 4 * 3600 + 10 * 60)).toBe('3 d 4 h');
  });
});

describe('formatTimeAgo', () => {
  const now = Date.parse('2026-03-20T12:00:00Z');

  it('reads the last minute, and a clock a little ahead, as just now', () => {
    expect(formatTimeAgo('2026-03-20T11:59:30Z', now)).toBe('just now');
    expect(formatTimeAgo('2026-03-20T12:00:05Z', now)).toBe('just now');
  });

  it('counts back in the units of a duration within a week', () => {
    expect(formatTimeAgo('2026-03-20T11:55:00Z', now)).toBe('5 min ago');
    expect(formatTimeAgo('2026-03-20T09:55:00Z', now)).toBe('2 h 5 min ago');
    expect(formatTimeAgo('2026-03-17T08:00:00Z', now)).toBe('3 d 4 h ago');
  });

  it('gives the date once a week has passed', () => {
    expect(formatTimeAgo('2026-03-05T12:00:00Z', now)).toBe('Mar 5, 2026');
  });
});

describe('formatPercent', () => {
  it('shows a ratio as a percentage with at most one decimal', () => {
    expect(formatPercent(0.5)).toBe('50%');
    expect(formatPercent(1)).toBe('100%');
    expect(formatPercent(0)).toBe('0%');
    expect(formatPercent(0.3333)).toBe('33.3%');
  });
});

describe('formatCount', () => {
  it('groups digits', () => {
    expect(formatCount(7)).toBe('7');
    expect(formatCount(1234)).toBe('1,234');
  });
});

describe('formatPlural', () => {
  it('puts the noun in the number the count needs', () => {
    expect(formatPlural(0, 'job', 'jobs')).toBe('0 jobs');
    expect(formatPlural(1, 'job', 'jobs')).toBe('1 job');
    expect(formatPlural(1200, 'job', 'jobs')).toBe('1,200 jobs');
  });
});

describe('formatDay', () => {
  it('shows the calendar day the API names, whatever the reader’s zone', () => {
    expect(formatDay('2026-03-05')).toBe('Mar 5');
    expect(formatDay('2026-12-31', { withYear: true })).toBe('Dec 31, 2026');
  });
});
