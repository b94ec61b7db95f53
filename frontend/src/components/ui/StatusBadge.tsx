import { clsx } from 'clsx';
import type { JobStatus } from '@/lib/api/types';

export const STATUS_LABELS: Record<JobStatus, string> = {
  draft: 'Draft',
  queued: 'Queued',
  running: 'Running',
  needs_review: 'Needs review',
  done: 'Done',
  failed: 'Failed',
};

const styles: Record<JobStatus, string> = {
  draft: 'bg-surface-2 text-muted border-border',
  queued:
    'bg-sky-100 text-sky-800 border-sky-200 dark:bg-sky-400/10 dark:text-sky-300 dark:border-sky-400/20',
  running:
    'bg-indigo-100 text-indigo-800 border-indigo-200 dark:bg-indigo-400/10 dark:text-indigo-300 dark:border-indigo-400/20',
  needs_review:
    'bg-amber-100 text-amber-900 border-amber-200 dark:bg-amber-400/10 dark:text-amber-300 dark:border-amber-400/20',
  done: 'bg-emerald-100 text-emerald-800 border-emerald-200 dark:bg-emerald-400/10 dark:text-emerald-300 dark:border-emerald-400/20',
  failed:
    'bg-red-100 text-red-800 border-red-200 dark:bg-red-400/10 dark:text-red-300 dark:border-red-400/20',
};

export function StatusBadge({
  status,
  className,
  testId,
}: {
  status: JobStatus;
  className?: string;
  testId?: string;
}) {
  return (
    <span
      data-testid={testId}
      data-status={status}
      className={clsx(
        'inline-flex items-center gap-1.5 rounded-full border px-2.5 py-0.5 text-xs font-medium whitespace-nowrap',
        styles[status],
        className,
      )}
    >
      <span aria-hidden="true" className="size-1.5 rounded-full bg-current" />
      {STATUS_LABELS[status]}
    </span>
  );
}
