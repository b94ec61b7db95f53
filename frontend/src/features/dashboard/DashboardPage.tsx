import { lazy, Suspense } from 'react';
import { Link, useSearchParams } from 'react-router';
import { EmptyState, ErrorState, PageHeader, Skeleton } from '@/components/ui/States';
import { ReconnectNotice } from '@/components/connections/ReconnectNotice';
import { UsageCard } from '@/components/usage/UsageMeters';
import { ApiError } from '@/lib/api/problem';
import type { Kpis } from '@/lib/api/types';
import { formatCount } from '@/lib/format';
import { usePageTitle } from '@/lib/usePageTitle';
import { KpiCards } from './components/KpiCards';
import { PeriodSelector } from './components/PeriodSelector';
import { describeWindow, periodFromParams, periodToParams, periodWindow } from './period';
import { useKpis } from './queries';

// The chart library is the console's largest dependency: only the dashboard loads it.
const KpiCharts = lazy(() =>
  import('./components/KpiCharts').then((module) => ({ default: module.KpiCharts })),
);

const studioLink =
  'inline-flex h-10 items-center rounded-lg bg-accent px-4 text-sm font-medium text-accent-fg hover:bg-accent-hover';

export function DashboardPage() {
  usePageTitle('Dashboard');
  const [params, setParams] = useSearchParams();
  const period = periodFromParams(params);
  const requested = periodWindow(period, new Date());
  const kpis = useKpis(requested);

  return (
    <div>
      <PageHeader
        title="Dashboard"
        description="Your jobs, variants and posts, counted by the server for the period you pick."
        actions={
          <Link to="/studio" className={studioLink}>
            Repurpose an article
          </Link>
        }
      />
      <ReconnectNotice className="mb-6" />
      <div className="mb-6 flex flex-col gap-3 md:flex-row md:items-end md:justify-between">
        <PeriodSelector
          period={period}
          shown={requested}
          onChange={(next) => setParams(periodToParams(next))}
        />
        <p className="text-sm text-muted" aria-live="polite" data-dynamic>
          {kpis.isPlaceholderData ? 'Updating…' : `${describeWindow(requested)}, in UTC days`}
        </p>
      </div>
      {kpis.isError ? (
        <ErrorState
          title="Could not load the dashboard"
          message={kpis.error instanceof ApiError ? kpis.error.userMessage : 'Please try again.'}
          onRetry={() => void kpis.refetch()}
        />
      ) : kpis.isPending ? (
        <DashboardSkeleton />
      ) : kpis.data.jobs.total === 0 ? (
        <NoJobs kpis={kpis.data} />
      ) : (
        <div
          className="flex flex-col gap-6 transition-opacity aria-busy:opacity-60"
          aria-busy={kpis.isPlaceholderData || undefined}
        >
          <section aria-labelledby="figures-title">
            <h2 id="figures-title" className="sr-only">
              Figures
            </h2>
            <KpiCards kpis={kpis.data} />
          </section>
          <Suspense fallback={<ChartsSkeleton />}>
            <KpiCharts kpis={kpis.data} />
          </Suspense>
        </div>
      )}
      <div className="mt-6">
        <UsageCard />
      </div>
    </div>
  );
}

function DashboardSkeleton() {
  return (
    <div role="status" aria-live="polite" className="flex flex-col gap-6">
      <span className="sr-only">Loading the dashboard…</span>
      <div className="grid grid-cols-1 gap-4 sm:grid-cols-2 xl:grid-cols-4">
        <Skeleton className="h-32 sm:col-span-2" />
        {Array.from({ length: 6 }, (_, index) => (
          <Skeleton key={index} className="h-32" />
        ))}
      </div>
      <Skeleton className="h-80" />
    </div>
  );
}

function ChartsSkeleton() {
  return (
    <div role="status" aria-live="polite">
      <span className="sr-only">Loading the charts…</span>
      <Skeleton className="h-80" />
    </div>
  );
}

function NoJobs({ kpis }: { kpis: Kpis }) {
  const { published, upcoming } = kpis.posts;
  return (
    <EmptyState
      title="No jobs in this period"
      action={
        <Link to="/studio" className={studioLink}>
          Open the Studio
        </Link>
      }
    >
      <p>
        No job was created in this period ({describeWindow(kpis)}), so there is nothing to count.
        Pick a longer period, or paste an article in the Studio and Kyros drafts a LinkedIn post, an
        X thread, a newsletter and a blog post from it.
      </p>
      {(published > 0 || upcoming > 0) && (
        <p className="mt-2">
          Posts still ran: {formatCount(published)} published in this period and{' '}
          {formatCount(upcoming)} coming up in the next 30 days.{' '}
          <Link to="/scheduler" className="font-medium text-accent-text hover:underline">
            Open the Scheduler
          </Link>
        </p>
      )}
    </EmptyState>
  );
}
