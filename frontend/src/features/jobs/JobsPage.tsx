import { useMemo, useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { Button } from '@/components/ui/Button';
import { Card } from '@/components/ui/Card';
import { SelectField, TextField } from '@/components/ui/Field';
import { EmptyState, ErrorState, LoadingBlock, PageHeader } from '@/components/ui/States';
import { STATUS_LABELS, StatusBadge } from '@/components/ui/StatusBadge';
import { ApiError } from '@/lib/api/problem';
import {
  CHANNEL_LABELS,
  CHANNELS,
  isChannel,
  JOB_STATUSES,
  type Channel,
  type JobStatus,
} from '@/lib/api/types';
import { formatDateTime } from '@/lib/format';
import { useDebouncedValue } from '@/lib/useDebouncedValue';
import { usePageTitle } from '@/lib/usePageTitle';
import { useJobList } from '@/lib/jobs/queries';

function parseStatus(value: string | null): JobStatus | 'all' {
  return value && (JOB_STATUSES as readonly string[]).includes(value)
    ? (value as JobStatus)
    : 'all';
}

function parseChannel(value: string | null): Channel | 'all' {
  return value && isChannel(value) ? value : 'all';
}

export function JobsPage() {
  usePageTitle('Jobs');
  const [params, setParams] = useSearchParams();
  const status = parseStatus(params.get('status'));
  const channel = parseChannel(params.get('channel'));
  const [search, setSearch] = useState(params.get('q') ?? '');
  const q = useDebouncedValue(search.trim());
  const jobs = useJobList({ status, channel, q });
  const filtered = status !== 'all' || channel !== 'all' || q !== '';

  /** Keeps the filters in the address so a filtered list can be bookmarked or shared. */
  const setFilter = (name: 'status' | 'channel' | 'q', value: string) => {
    setParams(
      (current) => {
        const next = new URLSearchParams(current);
        if (value === 'all' || value === '') next.delete(name);
        else next.set(name, value);
        return next;
      },
      { replace: name === 'q' },
    );
  };

  const items = useMemo(() => jobs.data?.pages.flatMap((p) => p.items) ?? [], [jobs.data]);

  return (
    <div>
      <PageHeader
        title="Jobs"
        description="Every article you have repurposed, newest first."
        actions={
          <Link
            to="/studio"
            className="inline-flex h-10 items-center rounded-lg bg-accent px-4 text-sm font-medium text-accent-fg hover:bg-accent-hover"
          >
            New job
          </Link>
        }
      />
      <div className="mb-4 flex flex-col gap-3 sm:flex-row sm:items-end">
        <SelectField
          label="Status"
          value={status}
          onChange={(e) => setFilter('status', e.target.value)}
          className="sm:w-52"
          data-testid="status-filter"
        >
          <option value="all">All statuses</option>
          {JOB_STATUSES.map((s) => (
            <option key={s} value={s}>
              {STATUS_LABELS[s]}
            </option>
          ))}
        </SelectField>
        <SelectField
          label="Channel"
          value={channel}
          onChange={(e) => setFilter('channel', e.target.value)}
          className="sm:w-52"
          data-testid="channel-filter"
        >
          <option value="all">All channels</option>
          {CHANNELS.map((c) => (
            <option key={c} value={c}>
              {CHANNEL_LABELS[c]}
            </option>
          ))}
        </SelectField>
        <TextField
          label="Search by name"
          type="search"
          value={search}
          onChange={(e) => {
            setSearch(e.target.value);
            setFilter('q', e.target.value.trim());
          }}
          placeholder="Search by name…"
          className="sm:w-72"
          data-testid="job-search"
        />
      </div>

      {jobs.isPending ? (
        <LoadingBlock label="Loading jobs…" rows={5} />
      ) : jobs.isError ? (
        <ErrorState
          title="Could not load jobs"
          message={jobs.error instanceof ApiError ? jobs.error.userMessage : 'Please try again.'}
          onRetry={() => void jobs.refetch()}
        />
      ) : items.length === 0 ? (
        <EmptyState
          title={filtered ? 'No matching jobs' : 'No jobs yet'}
          action={
            !filtered ? (
              <Link to="/studio" className="text-sm font-medium text-accent-text hover:underline">
                Repurpose your first article
              </Link>
            ) : undefined
          }
        >
          {filtered
            ? 'Try another status, channel or search term.'
            : 'Jobs appear here once you generate posts in the Studio.'}
        </EmptyState>
      ) : (
        <Card className="overflow-hidden">
          <ul className="divide-y divide-border" data-testid="job-list">
            {items.map((job) => (
              <li key={job.id}>
                <Link
                  to={`/jobs/${job.id}`}
                  className="flex flex-col gap-2 px-4 py-3 hover:bg-surface-2 focus-visible:bg-surface-2 sm:flex-row sm:items-center sm:gap-4"
                  data-testid="job-row"
                >
                  <span className="min-w-0 flex-1">
                    <span className="block truncate font-medium">{job.name}</span>
                    <span className="block text-xs text-muted">
                      {job.channels.map((c) => CHANNEL_LABELS[c]).join(' · ')}
                    </span>
                  </span>
                  <span className="flex items-center gap-3">
                    <StatusBadge status={job.status} />
                    <time
                      dateTime={job.created_at}
                      className="text-xs whitespace-nowrap text-muted"
                      data-dynamic
                    >
                      {formatDateTime(job.created_at)}
                    </time>
                  </span>
                </Link>
              </li>
            ))}
          </ul>
        </Card>
      )}

      {jobs.hasNextPage && (
        <div className="mt-4 flex justify-center">
          <Button
            onClick={() => void jobs.fetchNextPage()}
            loading={jobs.isFetchingNextPage}
            data-testid="load-more"
          >
            Load more
          </Button>
        </div>
      )}
    </div>
  );
}
