import { useState } from 'react';
import { Link } from 'react-router';
import { Button } from '@/components/ui/Button';
import { Dialog } from '@/components/ui/Dialog';
import { EmptyState, ErrorState, LoadingBlock, Skeleton } from '@/components/ui/States';
import { useToast } from '@/components/ui/Toast';
import { AccountName } from '@/components/connections/AccountName';
import { ApiError } from '@/lib/api/problem';
import type { PostResults, Schedule, ScheduleRun } from '@/lib/api/types';
import { describeCounts } from '@/lib/results';
import { isWebUrl } from '@/lib/webUrl';
import { browserTimeZone } from '@/lib/zoned';
import { channelLabel, dateTimeIn } from '../format';
import {
  useDeleteSchedule,
  useSchedule,
  useScheduleRuns,
  useUpdateSchedule,
  useVariant,
} from '../queries';
import { describeStored } from '../recurrence';
import { PostStatusBadge } from './Badges';
import { ScheduleForm } from './ScheduleForm';

function message(e: unknown) {
  return e instanceof ApiError ? e.userMessage : 'Please try again.';
}

function When({ at, timeZone }: { at: string; timeZone: string }) {
  const mine = browserTimeZone();
  return (
    <span className="flex flex-col">
      <time dateTime={at}>{dateTimeIn(at, timeZone)}</time>
      {timeZone !== mine && (
        <span className="text-xs text-muted">{dateTimeIn(at, mine)} your time</span>
      )}
    </span>
  );
}

function PostPreview({ variantId }: { variantId: string }) {
  const variant = useVariant(variantId);
  if (variant.isPending) return <Skeleton className="h-16 w-full" />;
  if (variant.isError) return null;
  const text = variant.data.content;
  return (
    <figure className="rounded-lg border border-border bg-surface-2 p-3">
      <blockquote className="line-clamp-4 text-sm whitespace-pre-line">{text}</blockquote>
      <figcaption className="mt-2 text-xs">
        <Link
          to={`/jobs/${variant.data.job_id}`}
          className="font-medium text-accent-text hover:underline"
        >
          Open the article
        </Link>
      </figcaption>
    </figure>
  );
}

/** A published post's counts, or when they will first be read. */
function RunResults({
  results,
  timeZone,
}: {
  results: PostResults | null | undefined;
  timeZone: string;
}) {
  if (!results) {
    return (
      <p className="text-xs text-muted" data-testid="run-results">
        Likes, reposts and replies are counted an hour after publishing, then for a week.
      </p>
    );
  }
  return (
    <p className="text-xs text-muted" data-testid="run-results">
      <span className="font-medium text-fg tabular-nums">
        {describeCounts(results).join(' · ')}
      </span>{' '}
      · counted {dateTimeIn(results.fetched_at, timeZone)}
      {!results.next_fetch_at && ' (final)'}
    </p>
  );
}

function RunRow({ run, timeZone }: { run: ScheduleRun; timeZone: string }) {
  return (
    <li className="flex flex-col gap-1 px-3 py-2.5" data-testid="run-row">
      <div className="flex flex-wrap items-center gap-2">
        <time dateTime={run.occurrence_at} className="text-sm font-medium tabular-nums">
          {dateTimeIn(run.occurrence_at, timeZone)}
        </time>
        <PostStatusBadge status={run.status} />
        {run.late && <span className="text-xs text-warning">late</span>}
      </div>
      <p className="text-xs text-muted">
        {run.attempts} attempt{run.attempts === 1 ? '' : 's'}
        {run.published_at && <> · published {dateTimeIn(run.published_at, timeZone)}</>}
        {run.next_attempt_at && <> · next try {dateTimeIn(run.next_attempt_at, timeZone)}</>}
        {run.missed > 0 && (
          <>
            {' '}
            · {run.missed} earlier post{run.missed === 1 ? '' : 's'} skipped while offline
          </>
        )}
      </p>
      {run.published_url && isWebUrl(run.published_url) && (
        <a
          href={run.published_url}
          target="_blank"
          rel="noopener noreferrer"
          className="w-fit text-sm font-medium text-accent-text hover:underline"
          data-testid="run-published-link"
        >
          View post <span className="sr-only">(opens in a new tab)</span>
        </a>
      )}
      {run.published_url && <RunResults results={run.results} timeZone={timeZone} />}
      {run.last_error && <p className="text-xs break-words text-danger">{run.last_error}</p>}
    </li>
  );
}

function Runs({ schedule }: { schedule: Schedule }) {
  const runs = useScheduleRuns(schedule.id, schedule.last_run_at);
  return (
    <section aria-labelledby="runs-title">
      <h3 id="runs-title" className="mb-2 text-xs font-semibold tracking-wide text-muted uppercase">
        History
      </h3>
      {runs.isPending ? (
        <LoadingBlock label="Loading the history…" rows={1} />
      ) : runs.isError ? (
        <ErrorState message={message(runs.error)} onRetry={() => void runs.refetch()} />
      ) : runs.data.length === 0 ? (
        <p className="text-sm text-muted">Nothing published yet.</p>
      ) : (
        <ul
          className="divide-y divide-border rounded-lg border border-border"
          data-testid="run-list"
        >
          {runs.data.map((r) => (
            <RunRow key={r.id} run={r} timeZone={schedule.timezone} />
          ))}
        </ul>
      )}
    </section>
  );
}

function Facts({ schedule }: { schedule: Schedule }) {
  return (
    <dl className="grid grid-cols-[8rem_1fr] gap-x-3 gap-y-2.5 text-sm">
      <dt className="text-muted">Status</dt>
      <dd>
        <PostStatusBadge status={schedule.status} />
      </dd>
      <dt className="text-muted">Next post</dt>
      <dd data-testid="schedule-next">
        {schedule.next_run_at && schedule.status === 'active' ? (
          <When at={schedule.next_run_at} timeZone={schedule.timezone} />
        ) : schedule.status === 'paused' ? (
          'Paused'
        ) : (
          'None: every post has gone out'
        )}
      </dd>
      <dt className="text-muted">Time zone</dt>
      <dd>{schedule.timezone}</dd>
      <dt className="text-muted">Publishes through</dt>
      <dd data-testid="schedule-target">
        {schedule.connector === 'account' ? (
          <AccountName id={schedule.connection_id} />
        ) : schedule.connector === 'webhook' ? (
          'Webhook'
        ) : (
          'Outbox file'
        )}
      </dd>
      {schedule.last_run_at && (
        <>
          <dt className="text-muted">Last post</dt>
          <dd>
            <When at={schedule.last_run_at} timeZone={schedule.timezone} />
          </dd>
        </>
      )}
    </dl>
  );
}

function Actions({
  schedule,
  onEdit,
  onDeleted,
}: {
  schedule: Schedule;
  onEdit: () => void;
  onDeleted: () => void;
}) {
  const update = useUpdateSchedule();
  const remove = useDeleteSchedule();
  const toast = useToast();
  const [confirming, setConfirming] = useState(false);
  const paused = schedule.status === 'paused';

  function togglePause() {
    update.mutate(
      { id: schedule.id, body: { status: paused ? 'active' : 'paused' } },
      {
        onSuccess: () => toast.success(paused ? 'Schedule resumed' : 'Schedule paused'),
        onError: (e) =>
          toast.error(
            paused ? 'Could not resume the schedule' : 'Could not pause the schedule',
            message(e),
          ),
      },
    );
  }

  if (confirming) {
    return (
      <div
        className="flex w-full flex-wrap items-center gap-2"
        role="group"
        aria-label="Confirm delete"
      >
        <p className="mr-auto text-sm">Delete this schedule and its history?</p>
        <Button variant="ghost" size="sm" onClick={() => setConfirming(false)}>
          Keep
        </Button>
        <Button
          variant="danger"
          size="sm"
          loading={remove.isPending}
          data-autofocus
          data-testid="schedule-delete-confirm"
          onClick={() =>
            remove.mutate(schedule.id, {
              onSuccess: () => {
                toast.success('Schedule deleted');
                onDeleted();
              },
              onError: (e) => toast.error('Could not delete the schedule', message(e)),
            })
          }
        >
          Delete schedule
        </Button>
      </div>
    );
  }
  return (
    <div className="flex w-full flex-wrap items-center gap-2">
      <Button
        variant="danger"
        size="sm"
        className="mr-auto"
        onClick={() => setConfirming(true)}
        data-testid="schedule-delete"
      >
        Delete
      </Button>
      {schedule.status !== 'completed' && (
        <Button
          size="sm"
          onClick={togglePause}
          loading={update.isPending}
          data-testid="schedule-pause"
        >
          {paused ? 'Resume' : 'Pause'}
        </Button>
      )}
      <Button variant="primary" size="sm" onClick={onEdit} data-testid="schedule-reschedule">
        Reschedule
      </Button>
    </div>
  );
}

/** A schedule's details in a dialog: post, timing, history, and pause / reschedule / delete. */
export function ScheduleDetails({
  id,
  initial,
  onClose,
}: {
  id: string;
  initial?: Schedule;
  onClose: () => void;
}) {
  const schedule = useSchedule(id, initial);
  const [editing, setEditing] = useState(false);
  const data = schedule.data;
  const title = data
    ? `${editing ? 'Reschedule ' : ''}${channelLabel(data.channel)} post`
    : 'Scheduled post';

  let body;
  if (schedule.isPending) {
    body = <LoadingBlock label="Loading the schedule…" rows={3} />;
  } else if (schedule.isError && !data) {
    const gone = schedule.error instanceof ApiError && schedule.error.status === 404;
    body = gone ? (
      <EmptyState title="Schedule not found">It may have been deleted.</EmptyState>
    ) : (
      <ErrorState message={message(schedule.error)} onRetry={() => void schedule.refetch()} />
    );
  } else if (data && editing) {
    body = (
      <ScheduleForm
        existing={data}
        onSaved={() => setEditing(false)}
        onCancel={() => setEditing(false)}
      />
    );
  } else if (data) {
    body = (
      <div className="flex flex-col gap-5">
        <PostPreview variantId={data.variant_id} />
        <Facts schedule={data} />
        {data.upcoming.length > 1 && (
          <section aria-labelledby="upcoming-title">
            <h3
              id="upcoming-title"
              className="mb-2 text-xs font-semibold tracking-wide text-muted uppercase"
            >
              Coming up
            </h3>
            <ol className="flex flex-col gap-1 text-sm tabular-nums">
              {data.upcoming.map((at) => (
                <li key={at}>
                  <time dateTime={at}>{dateTimeIn(at, data.timezone)}</time>
                </li>
              ))}
            </ol>
          </section>
        )}
        <Runs schedule={data} />
      </div>
    );
  }

  return (
    <Dialog
      title={title}
      description={
        data && !editing
          ? describeStored(data.run_at, data.timezone, data.recurrence)
          : editing
            ? 'Change when and how often it posts.'
            : undefined
      }
      onClose={onClose}
      closeOnBackdrop={!editing}
      size="lg"
      testId="schedule-details"
      footer={
        data && !editing ? (
          <Actions schedule={data} onEdit={() => setEditing(true)} onDeleted={onClose} />
        ) : undefined
      }
    >
      {body}
    </Dialog>
  );
}
