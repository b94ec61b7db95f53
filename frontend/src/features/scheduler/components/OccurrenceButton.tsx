import { clsx } from 'clsx';
import type { Occurrence } from '@/lib/api/types';
import { channelLabel, CHANNEL_DOTS, timeIn } from '../format';
import { PostStatusBadge, statusLabel } from './Badges';

const STATUS_EDGE: Record<string, string> = {
  scheduled: 'border-l-accent',
  paused: 'border-l-muted',
  publishing: 'border-l-sky-400',
  retrying: 'border-l-amber-400',
  published: 'border-l-success',
  failed: 'border-l-danger',
};

function label(o: Occurrence, timeZone: string) {
  const post = `${channelLabel(o.channel)} post at ${timeIn(o.at, timeZone)}`;
  const parts = [o.first_line ? `${post}: “${o.first_line}”` : post, statusLabel(o.status)];
  if (o.late) parts.push('published late');
  return parts.join(', ');
}

/** One post on the calendar; opens its schedule. `compact` is the month grid's chip. */
export function OccurrenceButton({
  occurrence: o,
  timeZone,
  onOpen,
  compact = false,
  detail,
}: {
  occurrence: Occurrence;
  timeZone: string;
  onOpen: (scheduleId: string) => void;
  compact?: boolean;
  /** A second line, e.g. the schedule's recurrence (rows only). */
  detail?: string;
}) {
  return (
    <button
      type="button"
      onClick={() => onOpen(o.schedule_id)}
      aria-label={label(o, timeZone)}
      aria-haspopup="dialog"
      data-testid="occurrence"
      data-schedule-id={o.schedule_id}
      data-status={o.status}
      className={clsx(
        'flex w-full min-w-0 items-center gap-1.5 overflow-hidden rounded-md border border-l-[3px] border-border bg-surface-2 text-left transition-colors hover:border-muted/60 hover:bg-surface',
        STATUS_EDGE[o.status] ?? 'border-l-muted',
        compact ? 'px-1.5 py-0.5 text-xs' : 'px-2.5 py-2 text-sm',
        o.status === 'paused' && 'opacity-70',
      )}
    >
      <span className="shrink-0 font-medium tabular-nums">{timeIn(o.at, timeZone)}</span>
      <span
        aria-hidden="true"
        title={channelLabel(o.channel)}
        className={clsx('size-1.5 shrink-0 rounded-full', CHANNEL_DOTS[o.channel] ?? 'bg-muted')}
      />
      {/* The post's first line says which post goes out; the channel is its dot and label. */}
      <span className="flex min-w-0 flex-col">
        <span className={clsx('truncate', compact ? 'text-muted' : 'font-medium')}>
          {o.first_line || channelLabel(o.channel)}
        </span>
        {!compact && (
          <span className="truncate text-xs text-muted">
            {detail ? `${channelLabel(o.channel)} · ${detail}` : channelLabel(o.channel)}
          </span>
        )}
      </span>
      {!compact && <PostStatusBadge status={o.status} className="ml-auto" />}
    </button>
  );
}
