import type { Channel, JobStatus } from '@/lib/api/types';

/** Query keys of jobs; the pages that show a job, its posts or its schedules share these. */
export const jobKeys = {
  all: ['jobs'] as const,
  lists: () => [...jobKeys.all, 'list'] as const,
  list: (filters: JobFilters) => [...jobKeys.lists(), filters] as const,
  detail: (id: string) => [...jobKeys.all, 'detail', id] as const,
};

/** Query keys of a job's posts: a post is edited beside its job and published by a schedule. */
export const variantKeys = {
  all: ['variants'] as const,
  detail: (id: string) => [...variantKeys.all, 'detail', id] as const,
  versions: (id: string) => ['variant-versions', id] as const,
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
