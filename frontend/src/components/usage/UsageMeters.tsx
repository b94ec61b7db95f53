import { clsx } from 'clsx';
import { useId } from 'react';
import { Card } from '@/components/ui/Card';
import { Meter, meterTone } from '@/components/ui/Meter';
import { ErrorState, Skeleton } from '@/components/ui/States';
import { ApiError } from '@/lib/api/problem';
import type { Allowance } from '@/lib/api/types';
import { formatCount, formatDuration } from '@/lib/format';
import { useNow } from '@/lib/useNow';
import { useUsage } from '@/lib/usage';

type Metric = 'jobs' | 'chars';

const METRICS: Record<Metric, { label: string; unit: string }> = {
  jobs: { label: 'Jobs today', unit: 'jobs' },
  chars: { label: 'Characters this month', unit: 'characters' },
};

function resetsIn(resetsAt: string, now: number): string {
  const seconds = Math.max(0, (Date.parse(resetsAt) - now) / 1000);
  return `resets in ${formatDuration(seconds)}`;
}

/** One allowance: used of limit as a meter, what is left and when it resets; or "Unlimited". */
function AllowanceMeter({
  metric,
  allowance,
  now,
  compact,
}: {
  metric: Metric;
  allowance: Allowance;
  now: number;
  compact: boolean;
}) {
  const labelId = useId();
  const { label, unit } = METRICS[metric];
  const { used, limit } = allowance;
  const limited = limit != null;
  const tone = limited ? meterTone(used, limit) : 'ok';
  const remaining = allowance.remaining ?? (limited ? Math.max(0, limit - used) : null);
  return (
    <div
      className="flex min-w-0 flex-col gap-2"
      data-testid={`usage-meter-${metric}`}
      data-limited={limited}
    >
      <div className="flex flex-wrap items-baseline justify-between gap-x-3 gap-y-1">
        <span id={labelId} className="text-sm font-medium">
          {label}
        </span>
        <span
          className={clsx('tabular-nums', compact ? 'text-sm' : 'text-lg font-semibold')}
          data-dynamic
        >
          {formatCount(used)}
          {limited ? <span className="font-normal text-muted"> / {formatCount(limit)}</span> : null}
        </span>
      </div>
      {limited ? (
        <Meter
          value={used}
          max={limit}
          labelledBy={labelId}
          valueText={`${formatCount(used)} of ${formatCount(limit)} ${unit} used`}
        />
      ) : (
        <div
          aria-hidden="true"
          className="h-2 w-full rounded-full border border-dashed border-border"
        />
      )}
      <p
        className={clsx('text-xs', tone === 'full' ? 'font-medium text-danger' : 'text-muted')}
        data-dynamic
      >
        {!limited ? (
          <>
            <span className="font-medium text-fg">Unlimited</span> · no cap for your role
          </>
        ) : tone === 'full' ? (
          <>Limit reached · {resetsIn(allowance.resets_at, now)}</>
        ) : (
          <>
            {formatCount(remaining ?? 0)} left · {resetsIn(allowance.resets_at, now)}
          </>
        )}
      </p>
    </div>
  );
}

function UsageBody({ compact }: { compact: boolean }) {
  const usage = useUsage();
  const now = useNow();
  if (usage.isPending) {
    return (
      <div role="status" aria-live="polite" className="grid gap-4 sm:grid-cols-2">
        <span className="sr-only">Loading your usage…</span>
        <Skeleton className="h-14" />
        <Skeleton className="h-14" />
      </div>
    );
  }
  if (usage.isError) {
    return (
      <ErrorState
        title="Could not load your usage"
        message={usage.error instanceof ApiError ? usage.error.userMessage : 'Please try again.'}
        onRetry={() => void usage.refetch()}
      />
    );
  }
  return (
    <div className={clsx('grid gap-5', !compact && 'sm:grid-cols-2 sm:gap-8')}>
      <AllowanceMeter
        metric="jobs"
        allowance={usage.data.jobs_per_day}
        now={now}
        compact={compact}
      />
      <AllowanceMeter
        metric="chars"
        allowance={usage.data.chars_per_month}
        now={now}
        compact={compact}
      />
    </div>
  );
}

/** The dashboard's usage card: jobs today and generated characters this month. */
export function UsageCard() {
  const usage = useUsage();
  return (
    <Card className="p-5">
      <section aria-labelledby="usage-title" className="flex flex-col gap-4">
        <div className="flex flex-wrap items-baseline justify-between gap-2">
          <h2 id="usage-title" className="font-semibold">
            Usage
          </h2>
          <p className="text-xs text-muted">
            {usage.data ? (
              <>
                Allowance for the <span className="font-medium text-fg">{usage.data.role}</span>{' '}
                role ·{' '}
              </>
            ) : null}
            Days and months are counted in UTC.
          </p>
        </div>
        <UsageBody compact={false} />
      </section>
    </Card>
  );
}

/** The usage meters stacked, for a side panel (Settings). */
export function UsageCompact() {
  return (
    <section aria-labelledby="usage-compact-title" className="flex flex-col gap-3">
      <h3 id="usage-compact-title" className="text-sm font-semibold">
        Usage
      </h3>
      <UsageBody compact />
    </section>
  );
}
