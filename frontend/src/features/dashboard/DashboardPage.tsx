import { Link } from 'react-router';
import { Card } from '@/components/ui/Card';
import { EmptyState, ErrorState, PageHeader, Skeleton } from '@/components/ui/States';
import { STATUS_LABELS, StatusBadge } from '@/components/ui/StatusBadge';
import { ApiError } from '@/lib/api/problem';
import { JOB_STATUSES } from '@/lib/api/types';
import { formatDateTime } from '@/lib/format';
import { useJobStats } from '@/features/jobs/queries';

const studioLink =
  'inline-flex h-10 items-center rounded-lg bg-accent px-4 text-sm font-medium text-accent-fg hover:bg-accent-hover';

export function DashboardPage() {
  const stats = useJobStats();
  return (
    <div>
      <PageHeader
        title="Dashboard"
        description="Where your content stands, counted from your jobs."
        actions={
          <Link to="/studio" className={studioLink}>
            Repurpose an article
          </Link>
        }
      />
      {stats.isPending ? (
        <div role="status" className="grid grid-cols-2 gap-4 md:grid-cols-3 xl:grid-cols-6">
          <span className="sr-only">Loading…</span>
          {JOB_STATUSES.map((s) => (
            <Skeleton key={s} className="h-24" />
          ))}
        </div>
      ) : stats.isError ? (
        <ErrorState
          title="Could not load your jobs"
          message={stats.error instanceof ApiError ? stats.error.userMessage : 'Please try again.'}
          onRetry={() => void stats.refetch()}
        />
      ) : stats.data.total === 0 ? (
        <EmptyState
          title="Nothing here yet"
          action={
            <Link to="/studio" className={studioLink}>
              Open the Studio
            </Link>
          }
        >
          Paste an article in the Studio and Kyros drafts a LinkedIn post, an X thread, a newsletter
          and a blog post from it. Your numbers show up here once you have jobs.
        </EmptyState>
      ) : (
        <div className="flex flex-col gap-8">
          <section aria-labelledby="counts-title">
            <h2 id="counts-title" className="mb-3 text-sm font-semibold text-muted">
              Jobs by status{' '}
              <span className="font-normal" data-dynamic>
                ({stats.data.capped ? `first ${stats.data.total}` : stats.data.total} total)
              </span>
            </h2>
            <ul
              className="grid grid-cols-2 gap-4 md:grid-cols-3 xl:grid-cols-6"
              data-testid="status-counts"
            >
              {JOB_STATUSES.map((s) => (
                <li key={s}>
                  <Link
                    to={`/jobs?status=${s}`}
                    className="flex h-full flex-col gap-2 rounded-xl border border-border bg-surface p-4 hover:border-muted/60"
                  >
                    <span className="text-xs font-medium text-muted">{STATUS_LABELS[s]}</span>
                    <span
                      className="text-3xl font-semibold tabular-nums"
                      data-testid={`count-${s}`}
                      data-dynamic
                    >
                      {stats.data.counts[s]}
                    </span>
                  </Link>
                </li>
              ))}
            </ul>
          </section>
          <section aria-labelledby="recent-title">
            <div className="mb-3 flex items-center justify-between">
              <h2 id="recent-title" className="text-sm font-semibold text-muted">
                Recent jobs
              </h2>
              <Link to="/jobs" className="text-sm font-medium text-accent-text hover:underline">
                View all
              </Link>
            </div>
            <Card className="overflow-hidden" data-dynamic>
              <ul className="divide-y divide-border">
                {stats.data.recent.map((job) => (
                  <li key={job.id}>
                    <Link
                      to={`/jobs/${job.id}`}
                      className="flex items-center gap-4 px-4 py-3 hover:bg-surface-2"
                    >
                      <span className="min-w-0 flex-1 truncate font-medium">{job.name}</span>
                      <StatusBadge status={job.status} />
                      <time
                        dateTime={job.created_at}
                        className="hidden text-xs text-muted sm:inline"
                      >
                        {formatDateTime(job.created_at)}
                      </time>
                    </Link>
                  </li>
                ))}
              </ul>
            </Card>
          </section>
        </div>
      )}
    </div>
  );
}
