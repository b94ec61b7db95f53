import { Link, useParams } from 'react-router';
import { Button } from '@/components/ui/Button';
import { EmptyState, ErrorState, LoadingBlock, PageHeader } from '@/components/ui/States';
import { useToast } from '@/components/ui/Toast';
import { JobProgress } from '@/components/jobs/JobProgress';
import { ApiError } from '@/lib/api/problem';
import { formatDateTime } from '@/lib/format';
import { usePageTitle } from '@/lib/usePageTitle';
import { isInProgress } from '@/lib/jobs/keys';
import { useJob, useMarkDone } from '@/lib/jobs/queries';
// The one import from another feature this page may make (see eslint.config.js): it composes
// the variant workspace; the scheduler's controls for its cards are handed in by the routes.
import type { VariantScheduling } from '@/features/variants/components/VariantCard';
import { VariantWorkspace } from '@/features/variants/components/VariantWorkspace';

/** A job and its posts; `scheduling` is the scheduler's part of each post's card. */
export function JobDetailPage({ scheduling }: { scheduling: VariantScheduling }) {
  const { id = '' } = useParams();
  const job = useJob(id);
  usePageTitle(job.data?.name, 'Jobs');
  const markDone = useMarkDone();
  const toast = useToast();

  if (job.isPending) return <LoadingBlock label="Loading the job…" rows={4} />;
  if (job.isError) {
    const notFound = job.error instanceof ApiError && job.error.status === 404;
    return notFound ? (
      <EmptyState
        title="Job not found"
        action={
          <Link to="/jobs" className="text-sm text-accent-text hover:underline">
            Back to jobs
          </Link>
        }
      >
        It may have been removed, or it belongs to another account.
      </EmptyState>
    ) : (
      <ErrorState
        title="Could not load the job"
        message={job.error instanceof ApiError ? job.error.userMessage : 'Please try again.'}
        onRetry={() => void job.refetch()}
      />
    );
  }
  const data = job.data;
  return (
    <div>
      <nav aria-label="Breadcrumb" className="mb-2 text-sm text-muted">
        <Link to="/jobs" className="hover:text-fg hover:underline">
          Jobs
        </Link>{' '}
        / <span className="text-fg">{data.name}</span>
      </nav>
      <PageHeader
        title={data.name}
        description={
          <span data-dynamic>
            Created {formatDateTime(data.created_at)} · {data.attempts} attempt
            {data.attempts === 1 ? '' : 's'}
          </span>
        }
        actions={
          data.status === 'needs_review' ? (
            <Button
              variant="primary"
              loading={markDone.isPending}
              onClick={() =>
                markDone.mutate(data.id, {
                  onSuccess: () => toast.success('Job marked as done'),
                  onError: (e) =>
                    toast.error(
                      'Could not mark as done',
                      e instanceof ApiError ? e.userMessage : undefined,
                    ),
                })
              }
            >
              Mark as done
            </Button>
          ) : undefined
        }
      />
      <div className="flex flex-col gap-6">
        <JobProgress job={data} />
        {data.variants.length > 0 || isInProgress(data.status) ? (
          <VariantWorkspace job={data} scheduling={scheduling} />
        ) : data.status === 'failed' || data.status === 'draft' ? null : (
          <EmptyState title="No posts yet">
            The posts appear here as soon as generation finishes.
          </EmptyState>
        )}
      </div>
    </div>
  );
}
