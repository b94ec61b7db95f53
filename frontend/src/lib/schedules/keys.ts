/** Query keys of schedules; connected accounts' changes invalidate through these too. */
export const scheduleKeys = {
  all: ['schedules'] as const,
  calendars: () => [...scheduleKeys.all, 'calendar'] as const,
  calendar: (from: string, to: string) => [...scheduleKeys.calendars(), { from, to }] as const,
  detail: (id: string) => [...scheduleKeys.all, 'detail', id] as const,
  runs: (id: string) => [...scheduleKeys.all, 'runs', id] as const,
  webhook: () => ['connectors', 'webhook'] as const,
  feed: () => [...scheduleKeys.all, 'feed'] as const,
  mine: () => [...scheduleKeys.calendars(), 'mine'] as const,
  /** The recent window the console reads to report published posts to analytics. */
  published: (userId: string) => [...scheduleKeys.calendars(), 'published', userId] as const,
  openSlots: (from: string, to: string) =>
    [...scheduleKeys.calendars(), 'open-slots', { from, to }] as const,
  queue: (connectionId: string) => [...scheduleKeys.all, 'queue', connectionId] as const,
};
