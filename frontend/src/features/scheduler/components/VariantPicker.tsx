import { useMemo, useState } from 'react';
import { Link } from 'react-router';
import { SelectField } from '@/components/ui/Field';
import { Skeleton } from '@/components/ui/States';
import type { Variant } from '@/lib/api/types';
import { fixErrorsFirst, publishChecks } from '@/lib/checks';
import { useJob, useJobList } from '@/lib/jobs/queries';
import { channelLabel } from '../format';

const WITH_POSTS = new Set(['needs_review', 'done']);

function excerpt(text: string) {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > 48 ? `${line.slice(0, 47)}…` : line;
}

/** Why a post cannot be scheduled: the errors its checks report; null when it can be. */
function scheduleBlockedReason(variant: Variant): string | null {
  const { errors } = publishChecks(variant.metadata.lint);
  return errors.length > 0 ? fixErrorsFirst(errors, 'schedule') : null;
}

/** Picks an accepted post to schedule: an article from recent jobs, then one of its posts. */
export function VariantPicker({
  value,
  onChange,
  error,
}: {
  value: string;
  /** The picked post and its channel; `''` and `null` while none is. */
  onChange: (variantId: string, channel: string | null) => void;
  error?: string;
}) {
  const jobs = useJobList({ status: 'all', channel: 'all', q: '' });
  const [jobId, setJobId] = useState('');
  const job = useJob(jobId || null);

  const articles = useMemo(
    () => (jobs.data?.pages.flatMap((p) => p.items) ?? []).filter((j) => WITH_POSTS.has(j.status)),
    [jobs.data],
  );
  const accepted = useMemo(
    () =>
      (job.data?.variants ?? [])
        .filter((v) => v.accepted)
        .map((variant) => ({ variant, blockedReason: scheduleBlockedReason(variant) })),
    [job.data],
  );
  const blocked = accepted.filter((post) => post.blockedReason !== null);

  if (jobs.isPending) {
    return (
      <div role="status" className="flex flex-col gap-2">
        <span className="sr-only">Loading your articles…</span>
        <Skeleton className="h-10 w-full" />
      </div>
    );
  }
  if (articles.length === 0) {
    return (
      <div className="rounded-lg border border-dashed border-border px-4 py-3 text-sm text-muted">
        No posts to schedule yet.{' '}
        <Link to="/studio" className="font-medium text-accent-text hover:underline">
          Repurpose an article in the Studio
        </Link>{' '}
        and accept a post first.
      </div>
    );
  }
  return (
    <div className="grid gap-3 sm:grid-cols-2">
      <SelectField
        label="Article"
        value={jobId}
        onChange={(e) => {
          setJobId(e.target.value);
          onChange('', null);
        }}
        error={!jobId ? error : undefined}
        data-testid="pick-job"
      >
        <option value="">Choose an article…</option>
        {articles.map((j) => (
          <option key={j.id} value={j.id}>
            {j.name}
          </option>
        ))}
      </SelectField>
      <SelectField
        label="Post"
        value={value}
        onChange={(e) => {
          const picked = accepted.find(({ variant: v }) => v.id === e.target.value);
          onChange(e.target.value, picked?.variant.channel ?? null);
        }}
        disabled={!jobId || job.isPending || accepted.length === 0}
        error={jobId ? error : undefined}
        hint={
          jobId && !job.isPending && accepted.length === 0
            ? 'None of its posts is accepted yet: accept one first.'
            : blocked.length > 0
              ? blocked
                  .map((post) => `${channelLabel(post.variant.channel)}: ${post.blockedReason}`)
                  .join(' ')
              : 'Only accepted posts can be scheduled.'
        }
        data-testid="pick-variant"
      >
        <option value="">{job.isFetching ? 'Loading…' : 'Choose a post…'}</option>
        {accepted.map(({ variant: v, blockedReason }) => (
          <option key={v.id} value={v.id} disabled={blockedReason !== null}>
            {`${channelLabel(v.channel)} · ${excerpt(v.content)}`}
            {blockedReason !== null ? ' (fix its errors first)' : ''}
          </option>
        ))}
      </SelectField>
    </div>
  );
}
