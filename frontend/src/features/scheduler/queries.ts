import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef } from 'react';
import { track } from '@/lib/analytics';
import { api, unwrap, unwrapOrNull } from '@/lib/api/client';
import { networkError, toApiError } from '@/lib/api/problem';
import type {
  CreateScheduleRequest,
  FeedStatus,
  QueueList,
  Schedule,
  UpdateScheduleRequest,
  Variant,
} from '@/lib/api/types';
import { filenameFromDisposition } from '@/lib/download';
import { connectionKeys } from '@/lib/connections/queries';
import { variantKeys } from '@/lib/jobs/keys';
import { scheduleKeys } from '@/lib/schedules/keys';
import { runsRefetchInterval, scheduleRefetchInterval } from './follow';
import { moveInQueue } from './queue';

/** The caller's schedules and their occurrences in `[from, to)` (RFC 3339 instants). */
export function useCalendar(from: string, to: string) {
  return useQuery({
    queryKey: scheduleKeys.calendar(from, to),
    queryFn: () => unwrap(api.GET('/schedule', { params: { query: { from, to } } })),
    placeholderData: keepPreviousData,
  });
}

export function useSchedule(id: string, initial?: Schedule) {
  return useQuery({
    queryKey: scheduleKeys.detail(id),
    queryFn: () => unwrap(api.GET('/schedule/{id}', { params: { path: { id } } })),
    initialData: initial,
    // The calendar's copy is a snapshot; fetch the current one behind it.
    initialDataUpdatedAt: 0,
    refetchInterval: (query) => scheduleRefetchInterval(query.state.data, Date.now()),
  });
}

/**
 * A schedule's runs. `lastRunAt` (the schedule's `last_run_at`) is part of the key: when the
 * scheduler claims a post, the schedule's next fetch sees it and the runs are fetched with it.
 * A run that appears or changes status changes the calendar too, so the calendar behind an open
 * schedule is fetched again rather than left saying the post is still to come; so are the
 * connected accounts, whose status a publishing attempt finds out.
 */
export function useScheduleRuns(id: string, lastRunAt: string | null | undefined) {
  const qc = useQueryClient();
  const runs = useQuery({
    queryKey: [...scheduleKeys.runs(id), lastRunAt ?? null],
    queryFn: async () =>
      (await unwrap(api.GET('/schedule/{id}/runs', { params: { path: { id } } }))).items,
    placeholderData: keepPreviousData,
    refetchInterval: (query) => runsRefetchInterval(query.state.data, Date.now()),
  });
  const statuses = runs.data?.map((run) => `${run.id}:${run.status}`).join(',');
  const seen = useRef(statuses);
  useEffect(() => {
    if (statuses === undefined || statuses === seen.current) return;
    // The first answer is what the calendar already showed; only a change is news. A failed
    // attempt may have found the account's access revoked: the reconnect notices and Settings
    // read the accounts again rather than wait for their copy to go stale.
    if (seen.current !== undefined) {
      void qc.invalidateQueries({ queryKey: scheduleKeys.calendars() });
      void qc.invalidateQueries({ queryKey: connectionKeys.all });
    }
    seen.current = statuses;
  }, [statuses, qc]);
  return runs;
}

/** The variant a schedule publishes, shared with the Studio's cache. */
export function useVariant(id: string) {
  return useQuery({
    queryKey: variantKeys.detail(id),
    queryFn: (): Promise<Variant> =>
      unwrap(api.GET('/variants/{id}', { params: { path: { id } } })),
  });
}

/** Whether the caller has set up a webhook, without which the `webhook` connector is refused. */
export function useWebhookConfigured() {
  return useQuery({
    queryKey: scheduleKeys.webhook(),
    queryFn: async () => (await unwrapOrNull(api.GET('/connectors/webhook'))) !== null,
    staleTime: 60_000,
  });
}

export function useCreateSchedule() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: CreateScheduleRequest) => unwrap(api.POST('/schedule', { body })),
    onSuccess: (schedule) => {
      track('scheduled', {
        channel: schedule.channel,
        recurring: !!schedule.recurrence,
        via: 'schedule',
      });
      qc.setQueryData(scheduleKeys.detail(schedule.id), schedule);
      void qc.invalidateQueries({ queryKey: scheduleKeys.calendars() });
    },
  });
}

export function useUpdateSchedule() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ id, body }: { id: string; body: UpdateScheduleRequest }) =>
      unwrap(api.PATCH('/schedule/{id}', { params: { path: { id } }, body })),
    onSuccess: (schedule) => {
      qc.setQueryData(scheduleKeys.detail(schedule.id), schedule);
      void qc.invalidateQueries({ queryKey: scheduleKeys.calendars() });
    },
  });
}

export function useDeleteSchedule() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => unwrap(api.DELETE('/schedule/{id}', { params: { path: { id } } })),
    onSuccess: (_none, id) => {
      qc.removeQueries({ queryKey: scheduleKeys.detail(id) });
      qc.removeQueries({ queryKey: scheduleKeys.runs(id) });
      void qc.invalidateQueries({ queryKey: scheduleKeys.calendars() });
    },
  });
}

/** Schedules every row of a CSV file, or none (the 422 names each wrong row). */
export function useImportSchedules() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (csv: string) =>
      unwrap(
        api.POST('/schedule/import', {
          body: csv,
          bodySerializer: (body: string) => body,
          headers: { 'Content-Type': 'text/csv' },
        }),
      ),
    onSuccess: () => void qc.invalidateQueries({ queryKey: scheduleKeys.calendars() }),
  });
}

/** The CSV template to fill in: a row for each of the caller's accepted posts, with the time
 * zone `timezone` filled in and the dates left empty. */
export async function downloadImportTemplate(
  timezone: string,
): Promise<{ blob: Blob; filename: string }> {
  let result;
  try {
    result = await api.GET('/schedule/import/template', {
      params: { query: { timezone } },
      parseAs: 'blob',
    });
  } catch (e) {
    throw networkError(e);
  }
  const { data, error, response } = result;
  if (error !== undefined || !response.ok || !data) throw toApiError(error, response);
  const filename = filenameFromDisposition(
    response.headers.get('content-disposition'),
    'kyros-schedule.csv',
  );
  return { blob: data as Blob, filename };
}

/** The caller's schedules that publish `variantId` and are still to run (active or paused).
 * Every schedule comes with any calendar window, so one short window serves every card. */
export function useSchedulesOfVariant(variantId: string) {
  return useQuery({
    queryKey: scheduleKeys.mine(),
    queryFn: () => {
      const from = new Date();
      const to = new Date(from.getTime() + 24 * 3600 * 1000);
      return unwrap(
        api.GET('/schedule', {
          params: { query: { from: from.toISOString(), to: to.toISOString() } },
        }),
      );
    },
    select: (list) =>
      list.items.filter(
        (s) => s.variant_id === variantId && (s.status === 'active' || s.status === 'paused'),
      ),
  });
}

/** Whether the caller has a calendar link (made on any device), or `null` when none (404). */
export function useFeedStatus() {
  return useQuery({
    queryKey: scheduleKeys.feed(),
    queryFn: (): Promise<FeedStatus | null> => unwrapOrNull(api.GET('/schedule/feed-token')),
  });
}

/** Creates a new secret calendar-feed link; the previous one stops working. */
export function useCreateFeedLink() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: () => unwrap(api.POST('/schedule/feed-token')),
    onSuccess: () => qc.invalidateQueries({ queryKey: scheduleKeys.feed() }),
  });
}

/** The empty posting slots of the caller's accounts in `[from, to)`, for the calendar. */
export function useOpenSlots(from: string, to: string) {
  return useQuery({
    queryKey: scheduleKeys.openSlots(from, to),
    queryFn: async () =>
      (await unwrap(api.GET('/queue/open-slots', { params: { query: { from, to } } }))).items,
    placeholderData: keepPreviousData,
  });
}

/** An account's next slots, each filled by a queued post or empty. */
export function useQueue(connectionId: string) {
  return useQuery({
    queryKey: scheduleKeys.queue(connectionId),
    queryFn: () =>
      unwrap(
        api.GET('/connections/{id}/queue', {
          params: { path: { id: connectionId }, query: { limit: QUEUE_LENGTH } },
        }),
      ),
  });
}

/** How many upcoming slots the Queue view shows. */
export const QUEUE_LENGTH = 20;

/** Puts an accepted post into an account's next free slot. */
export function useAddToQueue() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ connectionId, variantId }: { connectionId: string; variantId: string }) =>
      unwrap(
        api.POST('/connections/{id}/queue', {
          params: { path: { id: connectionId } },
          body: { variant_id: variantId },
        }),
      ),
    onSuccess: (schedule) => {
      track('scheduled', { channel: schedule.channel, recurring: false, via: 'queue' });
      qc.setQueryData(scheduleKeys.detail(schedule.id), schedule);
      void qc.invalidateQueries({ queryKey: scheduleKeys.all });
    },
  });
}

/**
 * Moves a queued post to another slot of its account; a post already there swaps with it. The
 * queue shows the move at once and goes back to what it was if the API refuses it.
 */
export function useMoveInQueue(connectionId: string) {
  const qc = useQueryClient();
  const key = scheduleKeys.queue(connectionId);
  return useMutation({
    mutationFn: (body: { schedule_id: string; to: string }) =>
      unwrap(
        api.POST('/connections/{id}/queue/move', { params: { path: { id: connectionId } }, body }),
      ),
    onMutate: async (body) => {
      // A fetch still on its way would overwrite the moved queue with the one before.
      await qc.cancelQueries({ queryKey: key });
      const before = qc.getQueryData<QueueList>(key);
      if (before) qc.setQueryData(key, moveInQueue(before, body.schedule_id, body.to));
      return { before };
    },
    onError: (_error, _body, context) => {
      if (context?.before) qc.setQueryData(key, context.before);
    },
    onSettled: () => qc.invalidateQueries({ queryKey: scheduleKeys.all }),
  });
}
