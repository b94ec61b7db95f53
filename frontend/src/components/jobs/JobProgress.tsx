import { clsx } from 'clsx';
import { Button } from '@/components/ui/Button';
import { Card } from '@/components/ui/Card';
import { Spinner } from '@/components/ui/Spinner';
import { StatusBadge } from '@/components/ui/StatusBadge';
import { useToast } from '@/components/ui/Toast';
import { ApiError } from '@/lib/api/problem';
import type { Job, JobStatus } from '@/lib/api/types';
import { useRetryJob } from '@/lib/jobs/queries';

const steps: Array<{ key: string; label: string; done: JobStatus[]; active: JobStatus[] }> = [
  {
    key: 'queued',
    label: 'Queued',
    done: ['running', 'needs_review', 'done', 'failed'],
    active: ['queued'],
  },
  { key: 'running', label: 'Generating', done: ['needs_review', 'done'], active: ['running'] },
  { key: 'review', label: 'Ready for review', done: ['done'], active: ['needs_review'] },
];

export function JobProgress({ job }: { job: Job }) {
  const retry = useRetryJob();
  const toast = useToast();
  const failed = job.status === 'failed';

  return (
    <Card className="p-4" aria-live="polite">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <div className="flex min-w-0 items-center gap-3">
          <h2 className="truncate font-semibold">{job.name}</h2>
          <StatusBadge status={job.status} testId="job-status" />
        </div>
        {failed && (
          <Button
            variant="primary"
            size="sm"
            loading={retry.isPending}
            data-testid="retry"
            onClick={() =>
              retry.mutate(job.id, {
                onSuccess: () => toast.info('Retrying', 'The job is back in the queue.'),
                onError: (e) =>
                  toast.error('Could not retry', e instanceof ApiError ? e.userMessage : undefined),
              })
            }
          >
            Retry
          </Button>
        )}
      </div>
      {job.status !== 'draft' && (
        <ol className="mt-4 grid grid-cols-3 gap-2" aria-label="Progress">
          {steps.map((s) => {
            const isDone = s.done.includes(job.status);
            const isActive = s.active.includes(job.status);
            const isFailed = failed && s.key === 'running';
            return (
              <li
                key={s.key}
                className="flex flex-col gap-2"
                aria-current={isActive ? 'step' : undefined}
              >
                <span
                  className={clsx(
                    'h-1.5 rounded-full',
                    isFailed
                      ? 'bg-danger'
                      : isDone
                        ? 'bg-accent'
                        : isActive
                          ? 'animate-pulse bg-accent/60'
                          : 'bg-surface-2',
                  )}
                />
                <span
                  className={clsx(
                    'flex items-center gap-1.5 text-xs',
                    isDone || isActive ? 'text-fg' : 'text-muted',
                    isFailed && 'text-danger',
                  )}
                >
                  {isActive && (s.key === 'queued' || s.key === 'running') && (
                    <Spinner className="size-3" />
                  )}
                  {isFailed ? 'Failed' : s.label}
                </span>
              </li>
            );
          })}
        </ol>
      )}
      {failed && (
        <p
          className="mt-3 rounded-lg bg-danger-soft px-3 py-2 text-sm text-danger"
          data-testid="failure-reason"
        >
          {job.failure_reason ?? 'Generation failed.'}
        </p>
      )}
    </Card>
  );
}
