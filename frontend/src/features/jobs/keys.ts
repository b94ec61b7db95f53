import type { Channel, JobStatus } from '@/lib/api/types';

/** Query keys of the jobs feature; other features invalidate through these. */
export const jobKeys = {
  all: ['jobs'] as const,
  lists: () => [...jobKeys.all, 'list'] as const,
  list: (filters: JobFilters) => [...jobKeys.lists(), filters] as const,
  detail: (id: string) => [...jobKeys.all, 'detail', id] as const,
};

/** What the Jobs page narrows the list to; the server does the filtering. */
export type JobFilters = {
  status: JobStatus | 'all';
  channel: Channel | 'all';
  /** Text the job's name must contain (case-insensitive); empty for none. */
  q: string;
};

export function isInProgress(status: JobStatus | undefined): boolean {
  return status === 'queued' || status === 'running';
}
