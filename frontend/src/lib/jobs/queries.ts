import {
  keepPreviousData,
  useInfiniteQuery,
  useMutation,
  useQuery,
  useQueryClient,
} from '@tanstack/react-query';
import { track } from '@/lib/analytics';
import { api, unwrap } from '@/lib/api/client';
import type { CreateJobRequest, JobDetail } from '@/lib/api/types';
import { isInProgress, jobKeys, type JobFilters } from './keys';
import { useJobEvents } from './useJobEvents';

const PAGE_SIZE = 20;

export function useJobList(filters: JobFilters) {
  return useInfiniteQuery({
    queryKey: jobKeys.list(filters),
    initialPageParam: undefined as string | undefined,
    queryFn: ({ pageParam }) =>
      unwrap(
        api.GET('/jobs', {
          params: {
            query: {
              limit: PAGE_SIZE,
              ...(filters.status === 'all' ? {} : { status: filters.status }),
              ...(filters.channel === 'all' ? {} : { channel: filters.channel }),
              ...(filters.q ? { q: filters.q } : {}),
              ...(pageParam ? { cursor: pageParam } : {}),
            },
          },
        }),
      ),
    placeholderData: keepPreviousData,
    getNextPageParam: (last) => last.next_cursor ?? undefined,
  });
}

/** How often an in-progress job is refetched when its events stream is not open. */
const POLL_INTERVAL_MS = 700;

function jobDetailQuery(id: string | null) {
  return {
    queryKey: jobKeys.detail(id ?? 'none'),
    queryFn: () => unwrap(api.GET('/jobs/{id}', { params: { path: { id: id as string } } })),
    enabled: Boolean(id),
  };
}

/** A job with its variants, kept current while it is generated: by its events stream, else polling. */
export function useJob(id: string | null) {
  const status = useQuery({ ...jobDetailQuery(id), select: (job) => job.status }).data;
  const streaming = useJobEvents(id, isInProgress(status));
  return useQuery({
    ...jobDetailQuery(id),
    refetchInterval: (query) =>
      isInProgress(query.state.data?.status) && !streaming ? POLL_INTERVAL_MS : false,
  });
}

export function useCreateJob() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ body, idempotencyKey }: { body: CreateJobRequest; idempotencyKey: string }) =>
      unwrap(
        api.POST('/jobs', { body, params: { header: { 'Idempotency-Key': idempotencyKey } } }),
      ),
    onSuccess: (job, { body }) => {
      track('job_created', { source_kind: body.source?.type ?? 'draft', channels: job.channels });
      qc.setQueryData<JobDetail>(jobKeys.detail(job.id), { ...job, variants: [] });
      void qc.invalidateQueries({ queryKey: jobKeys.lists() });
    },
  });
}

export function useRetryJob() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => unwrap(api.POST('/jobs/{id}/retry', { params: { path: { id } } })),
    onSuccess: (_job, id) => {
      void qc.invalidateQueries({ queryKey: jobKeys.detail(id) });
      void qc.invalidateQueries({ queryKey: jobKeys.lists() });
    },
  });
}

export function useMarkDone() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => unwrap(api.POST('/jobs/{id}/done', { params: { path: { id } } })),
    onSuccess: (_job, id) => {
      void qc.invalidateQueries({ queryKey: jobKeys.detail(id) });
      void qc.invalidateQueries({ queryKey: jobKeys.lists() });
    },
  });
}
