import { useSearchParams } from 'react-router';
import { Button } from '@/components/ui/Button';
import { ErrorState, LoadingBlock, PageHeader } from '@/components/ui/States';
import { JobProgress } from '@/components/jobs/JobProgress';
import { ApiError } from '@/lib/api/problem';
import { usePageTitle } from '@/lib/usePageTitle';
import { isInProgress } from '@/lib/jobs/keys';
import { useJob } from '@/lib/jobs/queries';
// The one import from another feature this page may make (see eslint.config.js): it composes
// the variant workspace; the scheduler's controls for its cards are handed in by the routes.
import type { VariantScheduling } from '@/features/variants/components/VariantCard';
import { VariantWorkspace } from '@/features/variants/components/VariantWorkspace';
import { StudioForm } from './components/StudioForm';

function CurrentJob({ id, scheduling }: { id: string; scheduling: VariantScheduling }) {
  const job = useJob(id);
  if (job.isPending) return <LoadingBlock label="Loading the job…" rows={2} />;
  if (job.isError) {
    return (
      <ErrorState
        title="Could not load the job"
        message={job.error instanceof ApiError ? job.error.userMessage : 'Please try again.'}
        onRetry={() => void job.refetch()}
      />
    );
  }
  const data = job.data;
  return (
    <div className="flex flex-col gap-6">
      <JobProgress job={data} />
      {(data.variants.length > 0 || isInProgress(data.status)) && (
        <VariantWorkspace job={data} scheduling={scheduling} />
      )}
    </div>
  );
}

/** The Studio; `scheduling` is the scheduler's part of each post's card. */
export function StudioPage({ scheduling }: { scheduling: VariantScheduling }) {
  usePageTitle('Studio');
  const [params, setParams] = useSearchParams();
  const jobId = params.get('job');
  return (
    <div>
      <PageHeader
        title="Studio"
        description="Paste an article, pick your channels and get a ready-to-review post for each."
        actions={
          jobId ? (
            <Button onClick={() => setParams({})} data-testid="new-job">
              New article
            </Button>
          ) : undefined
        }
      />
      <div className="flex flex-col gap-6">
        {!jobId && <StudioForm onCreated={(id) => setParams({ job: id })} />}
        {jobId && <CurrentJob id={jobId} scheduling={scheduling} />}
      </div>
    </div>
  );
}
