import { useMutation, useQuery, useQueryClient, type QueryClient } from '@tanstack/react-query';
import { track } from '@/lib/analytics';
import { api, unwrap } from '@/lib/api/client';
import { ApiError, toApiError, networkError } from '@/lib/api/problem';
import type { ExportFormat, JobDetail, Schemas, Variant } from '@/lib/api/types';
import { filenameFromDisposition } from '@/lib/download';
import { jobKeys, variantKeys } from '@/lib/jobs/keys';

export type VariantVersion = Schemas['VariantVersion'];

/** Puts a post the API returned in the caches that show it, and marks its versions stale. */
function showUpdatedVariant(qc: QueryClient, jobId: string, updated: Variant) {
  qc.setQueryData(variantKeys.detail(updated.id), updated);
  qc.setQueryData<JobDetail>(jobKeys.detail(jobId), (job) =>
    job ? { ...job, variants: job.variants.map((v) => (v.id === updated.id ? updated : v)) } : job,
  );
  void qc.invalidateQueries({ queryKey: variantKeys.versions(updated.id) });
}

export type VariantUpdate = {
  id: string;
  content?: string;
  accepted?: boolean;
  /** Accept despite the post's warnings (never its errors). */
  publishAnyway?: boolean;
};

export function useUpdateVariant(jobId: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ id, content, accepted, publishAnyway }: VariantUpdate) =>
      unwrap(
        api.PUT('/variants/{id}', {
          params: { path: { id } },
          body: {
            ...(content !== undefined ? { content } : {}),
            ...(accepted !== undefined ? { accepted } : {}),
            ...(publishAnyway ? { publish_anyway: true } : {}),
          },
        }),
      ),
    onError: (e) => {
      // A refusal for failing checks may mean the post changed elsewhere: show its current text.
      if (e instanceof ApiError && e.checks.length > 0) {
        void qc.invalidateQueries({ queryKey: jobKeys.detail(jobId) });
      }
    },
    onSuccess: (updated: Variant, { content, accepted }) => {
      if (content !== undefined) track('variant_edited', { channel: updated.channel });
      if (accepted === true) track('variant_accepted', { channel: updated.channel });
      showUpdatedVariant(qc, jobId, updated);
    },
  });
}

/**
 * Adds the engine's next alternative as a new version and shows it; earlier versions stay, and
 * the accepted one stays accepted (restoring it shows it as accepted again).
 */
export function useRegenerateVariant(jobId: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (id: string) =>
      unwrap(api.POST('/variants/{id}/regenerate', { params: { path: { id } } })),
    onSuccess: (updated: Variant) => {
      showUpdatedVariant(qc, jobId, updated);
      // The new version is not the accepted one, which may move the job back to review.
      void qc.invalidateQueries({ queryKey: jobKeys.detail(jobId) });
    },
  });
}

/** A post's versions, newest first, each saying how it came to be and whether it is shown. */
export function useVariantVersions(variantId: string) {
  return useQuery({
    queryKey: variantKeys.versions(variantId),
    queryFn: (): Promise<VariantVersion[]> =>
      unwrap(api.GET('/variants/{id}/versions', { params: { path: { id: variantId } } })),
  });
}

/** Shows an earlier version of a post again; no version is added or lost. */
export function useRestoreVersion(jobId: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ variantId, number }: { variantId: string; number: number }) =>
      unwrap(
        api.POST('/variants/{id}/versions/{number}/restore', {
          params: { path: { id: variantId, number } },
        }),
      ),
    onSuccess: (updated: Variant) => {
      showUpdatedVariant(qc, jobId, updated);
      // Restoring the accepted version (or leaving it) can finish the job or reopen its review.
      void qc.invalidateQueries({ queryKey: jobKeys.detail(jobId) });
    },
  });
}

/**
 * Whether Try another was refused because the source gives no text other than the post's
 * versions: the API says so only in the 409's detail, beside other conflicts that are failures.
 */
export function isNoOtherAlternative(e: unknown): e is ApiError {
  return e instanceof ApiError && e.status === 409 && e.detail.startsWith('No other alternative');
}

/** Downloads a variant in the given format; resolves to the server's file name and body. */
export async function exportVariant(
  variantId: string,
  format: ExportFormat,
): Promise<{ blob: Blob; filename: string }> {
  let result;
  try {
    result = await api.POST('/export/{variant_id}', {
      params: { path: { variant_id: variantId } },
      body: { format },
      parseAs: 'blob',
    });
  } catch (e) {
    throw networkError(e);
  }
  const { data, error, response } = result;
  if (error !== undefined || !response.ok || !data) throw toApiError(error, response);
  const filename = filenameFromDisposition(
    response.headers.get('content-disposition'),
    `variant.${format}`,
  );
  return { blob: data as Blob, filename };
}
