import { clsx } from 'clsx';
import type { ReactNode } from 'react';
import { Link } from 'react-router';
import { StatusBadge } from '@/components/ui/StatusBadge';
import { JOB_STATUSES, type Kpis } from '@/lib/api/types';
import { formatCount, formatDateTime, formatDuration, formatPercent } from '@/lib/format';

/** Shown instead of a figure the period cannot give; the card says why. */
const NO_FIGURE = '—';

function KpiCard({
  name,
  label,
  value,
  children,
  className,
}: {
  name: string;
  label: string;
  value: string;
  children?: ReactNode;
  className?: string;
}) {
  return (
    <div
      data-testid={`kpi-${name}`}
      className={clsx(
        'flex min-w-0 flex-col gap-1.5 rounded-xl border border-border bg-surface p-4 shadow-sm',
        className,
      )}
    >
      <dt className="text-xs font-medium text-muted">{label}</dt>
      <dd className="text-3xl font-semibold tabular-nums whitespace-nowrap" data-dynamic>
        {value}
      </dd>
      {children && <dd className="text-xs text-muted">{children}</dd>}
    </div>
  );
}

/** The period's headline figures, each card named `kpi-<name>` for the E2E suite. */
export function KpiCards({ kpis }: { kpis: Kpis }) {
  const { jobs, variants, posts } = kpis;
  return (
    <dl className="grid grid-cols-1 gap-4 sm:grid-cols-2 xl:grid-cols-4" data-testid="kpi-cards">
      <KpiCard
        name="jobs"
        label="Jobs created"
        value={formatCount(jobs.total)}
        className="sm:col-span-2"
      >
        <span className="sr-only">By status: </span>
        <ul className="mt-1 flex flex-wrap gap-x-4 gap-y-2">
          {JOB_STATUSES.map((status) => (
            <li key={status} className="inline-flex items-center gap-1.5">
              <StatusBadge status={status} />
              <span
                className="text-sm font-semibold text-fg tabular-nums"
                data-testid={`kpi-jobs-${status}`}
                data-dynamic
              >
                {formatCount(jobs[status])}
              </span>
            </li>
          ))}
        </ul>
      </KpiCard>
      <KpiCard name="variants" label="Variants generated" value={formatCount(variants.generated)}>
        <span data-dynamic>{formatCount(variants.accepted)} accepted</span>
      </KpiCard>
      <KpiCard
        name="acceptance-rate"
        label="Acceptance rate"
        value={
          variants.acceptance_rate == null ? NO_FIGURE : formatPercent(variants.acceptance_rate)
        }
      >
        {variants.acceptance_rate == null
          ? 'No variants were generated in this period, so there is nothing to rate.'
          : `${formatCount(variants.accepted)} of ${formatCount(variants.generated)} variants accepted.`}
      </KpiCard>
      <KpiCard
        name="time-to-review"
        label="Median time to review"
        value={
          kpis.median_seconds_to_review == null
            ? NO_FIGURE
            : formatDuration(kpis.median_seconds_to_review)
        }
      >
        {kpis.median_seconds_to_review == null
          ? 'No job of this period has reached review yet.'
          : 'From creating a job until its variants are ready to review.'}
      </KpiCard>
      <KpiCard
        name="time-to-accept"
        label="Median time to accept"
        value={
          kpis.median_seconds_to_accept == null
            ? NO_FIGURE
            : formatDuration(kpis.median_seconds_to_accept)
        }
      >
        {kpis.median_seconds_to_accept == null
          ? 'No variant of this period’s jobs has been accepted yet.'
          : 'From creating a job until each of its variants is accepted.'}
      </KpiCard>
      <KpiCard name="posts-published" label="Posts published" value={formatCount(posts.published)}>
        <span data-dynamic>
          {formatCount(posts.published_late)} late · {formatCount(posts.failed)} failed
        </span>
      </KpiCard>
      <KpiCard name="posts-upcoming" label="Upcoming posts" value={formatCount(posts.upcoming)}>
        <span className="flex flex-col gap-1">
          <span data-dynamic>
            {posts.next_at ? (
              <>
                In the next 30 days; the first on{' '}
                <time dateTime={posts.next_at}>{formatDateTime(posts.next_at)}</time>.
              </>
            ) : (
              'Nothing scheduled in the next 30 days.'
            )}
          </span>
          <Link to="/scheduler" className="font-medium text-accent-text hover:underline">
            Open the Scheduler
          </Link>
        </span>
      </KpiCard>
    </dl>
  );
}
