import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import { track, useAnalyticsEnabled } from '@/lib/analytics';
import { api, unwrap } from '@/lib/api/client';
import { loadJSON, removeKey, saveJSON, storageKeys } from '@/lib/storage';
import { scheduleKeys } from './keys';
import { publishedWindow, reportPublished, type PublishedRecord } from './publishedReports';

/** How often the console looks for posts the scheduler published since it last looked. */
const LOOK_EVERY_MS = 5 * 60_000;

/**
 * Reports the `published` funnel event for the posts the scheduler published, which it does with
 * no console open: the signed-in console looks at a recent calendar window on start, every few
 * minutes and whenever it refreshes the calendars. Nothing is fetched while analytics are off.
 */
export function useReportPublished(userId: string | undefined): void {
  const enabled = useAnalyticsEnabled() && userId !== undefined;
  const qc = useQueryClient();
  const calendar = useQuery({
    queryKey: scheduleKeys.published(userId ?? ''),
    queryFn: async () => {
      const window = publishedWindow(Date.now());
      const list = await unwrap(api.GET('/schedule', { params: { query: window } }));
      return { list, from: window.from };
    },
    enabled,
    refetchInterval: LOOK_EVERY_MS,
  });

  useEffect(() => {
    if (userId === undefined) return;
    const key = storageKeys.publishedReported(userId);
    if (!enabled) {
      // Forgotten while analytics are off, the record and the last look alike, so switching
      // them back on does not report the posts published meanwhile.
      removeKey(key);
      qc.removeQueries({ queryKey: scheduleKeys.published(userId), exact: true });
      return;
    }
    if (!calendar.data) return;
    // Read, kept and reported at once: another tab reading the record next sees these as seen.
    const { reports, record } = reportPublished(
      loadJSON<PublishedRecord>(key),
      calendar.data.list,
      calendar.data.from,
    );
    saveJSON(key, record);
    for (const report of reports) track('published', report);
  }, [qc, userId, enabled, calendar.data]);
}
