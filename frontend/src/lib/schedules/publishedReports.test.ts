import { describe, expect, it } from 'vitest';
import type { Occurrence, ScheduleList } from '@/lib/api/types';
import { occurrenceOf, scheduleOf } from '@/test/schedules';
import {
  MAX_REMEMBERED,
  publishedWindow,
  reportPublished,
  type PublishedRecord,
} from './publishedReports';

const FILE = '00000000-0000-0000-0000-0000000000a1';
const HOOK = '00000000-0000-0000-0000-0000000000a2';
const FROM = '2030-01-04T12:00:00.000Z';

const schedules = [
  scheduleOf({ id: FILE, channel: 'linkedin', connector: 'file' }),
  scheduleOf({ id: HOOK, channel: 'x', connector: 'webhook' }),
];

function occurrence(scheduleId: string, at: string, status: string): Occurrence {
  const channel = scheduleId === FILE ? 'linkedin' : 'x';
  return occurrenceOf(at, { schedule_id: scheduleId, channel, status });
}

const calendar = (...occurrences: Occurrence[]): ScheduleList => ({
  items: schedules,
  occurrences,
});

describe('publishedWindow', () => {
  it('reads the last three days, and an hour ahead for a server clock a little ahead', () => {
    expect(publishedWindow(Date.parse('2030-01-07T12:00:00Z'))).toEqual({
      from: FROM,
      to: '2030-01-07T13:00:00.000Z',
    });
  });
});

describe('reportPublished', () => {
  const before = occurrence(FILE, '2030-01-06T12:00:00Z', 'published');
  const today = occurrence(FILE, '2030-01-07T12:00:00Z', 'published');

  it('on the first look remembers what is published without reporting it', () => {
    const { reports, record } = reportPublished(
      null,
      calendar(before, occurrence(HOOK, '2030-01-07T09:00:00Z', 'failed')),
      FROM,
    );
    expect(reports).toEqual([]);
    expect(record).toEqual({ after: FROM, seen: [`${FILE}@2030-01-06T12:00:00Z`] });
  });

  it('reports each post published since, once, with its channel and connector', () => {
    const first = reportPublished(
      null,
      calendar(before, occurrence(HOOK, '2030-01-07T09:00:00Z', 'retrying')),
      FROM,
    ).record;
    const published = calendar(
      before,
      occurrence(HOOK, '2030-01-07T09:00:00Z', 'published'),
      today,
      occurrence(FILE, '2030-01-08T12:00:00Z', 'scheduled'),
    );
    const second = reportPublished(first, published, FROM);
    expect(second.reports).toEqual([
      { channel: 'x', connector: 'webhook' },
      { channel: 'linkedin', connector: 'file' },
    ]);
    // Another tab, or a reload, reading the same calendar after it reports nothing more.
    expect(reportPublished(second.record, published, FROM).reports).toEqual([]);
  });

  it('forgets the posts older than the window, which no later look returns', () => {
    const record: PublishedRecord = {
      after: '2030-01-01T00:00:00.000Z',
      seen: [`${FILE}@2030-01-02T12:00:00Z`, `${FILE}@2030-01-06T12:00:00Z`],
    };
    const next = reportPublished(record, calendar(before, today), FROM);
    expect(next.reports).toEqual([{ channel: 'linkedin', connector: 'file' }]);
    expect(next.record).toEqual({
      after: '2030-01-01T00:00:00.000Z',
      seen: [`${FILE}@2030-01-07T12:00:00Z`, `${FILE}@2030-01-06T12:00:00Z`],
    });
  });

  it('remembers the newest posts only, and never reports a forgotten one again', () => {
    const start = Date.parse('2030-01-05T00:00:00Z');
    const many = Array.from({ length: MAX_REMEMBERED + 2 }, (_, i) =>
      occurrence(FILE, new Date(start + i * 60_000).toISOString(), 'published'),
    );
    const { record } = reportPublished(null, calendar(...many), FROM);
    expect(record.seen).toHaveLength(MAX_REMEMBERED);
    expect(record.seen[0]).toBe(`${FILE}@${many.at(-1)!.at}`);
    // The two oldest were forgotten: `after` settles them.
    expect(record.after).toBe(many[1].at);
    expect(reportPublished(record, calendar(...many), FROM).reports).toEqual([]);
  });
});
