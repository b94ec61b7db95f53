import type { AnalyticsEvents } from '@/lib/analytics';
import type { ScheduleList } from '@/lib/api/types';

/**
 * How far back the console looks for posts the scheduler published. A post published longer
 * ago than this before any console looked again is not reported.
 */
const LOOKBACK_MS = 3 * 24 * 3600_000;
/** Past the browser's clock, for a server whose clock is a little ahead. */
const LOOKAHEAD_MS = 3600_000;
/** The most published posts remembered; older ones are settled by `after` instead. */
export const MAX_REMEMBERED = 500;

/**
 * What this browser has reported for an account: the published occurrences it has seen
 * (`schedule_id@at`) and an instant at or before which every occurrence is settled, so the
 * list can stay short.
 */
export type PublishedRecord = { after: string; seen: string[] };

export type PublishedReport = AnalyticsEvents['published'];

/** The calendar window (`GET /schedule?from=…&to=…`) read at `now`. */
export function publishedWindow(now: number): { from: string; to: string } {
  return {
    from: new Date(now - LOOKBACK_MS).toISOString(),
    to: new Date(now + LOOKAHEAD_MS).toISOString(),
  };
}

const occurrenceKey = (scheduleId: string, at: string) => `${scheduleId}@${at}`;
const keyTime = (key: string) => Date.parse(key.slice(key.lastIndexOf('@') + 1));

/**
 * The posts published since the record was made, to report once each, and the record to keep.
 * Without a record (the first look in this browser), the posts already published are only
 * remembered: history is not replayed. `list` is the calendar of the window starting at `from`;
 * remembered posts from before it are forgotten, as no later window returns them.
 */
export function reportPublished(
  record: PublishedRecord | null,
  list: ScheduleList,
  from: string,
): { reports: PublishedReport[]; record: PublishedRecord } {
  const connectors = new Map(list.items.map((schedule) => [schedule.id, schedule.connector]));
  const after = Date.parse(record?.after ?? from);
  const seen = new Set(record?.seen.filter((key) => keyTime(key) >= Date.parse(from)));
  const reports: PublishedReport[] = [];
  for (const occurrence of list.occurrences) {
    if (occurrence.status !== 'published') continue;
    const key = occurrenceKey(occurrence.schedule_id, occurrence.at);
    const connector = connectors.get(occurrence.schedule_id);
    if (record && !seen.has(key) && Date.parse(occurrence.at) > after && connector) {
      reports.push({ channel: occurrence.channel, connector });
    }
    seen.add(key);
  }
  // The newest are kept; the newest forgotten one moves `after`, so none is reported again.
  const newestFirst = [...seen].sort((a, b) => keyTime(b) - keyTime(a));
  const forgotten = newestFirst[MAX_REMEMBERED];
  const settled = forgotten ? Math.max(after, keyTime(forgotten)) : after;
  return {
    reports,
    record: { after: new Date(settled).toISOString(), seen: newestFirst.slice(0, MAX_REMEMBERED) },
  };
}
