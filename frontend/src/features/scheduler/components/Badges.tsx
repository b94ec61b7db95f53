import { clsx } from 'clsx';
import { CHANNEL_DOTS, channelLabel } from '../format';

/** Occurrence statuses (`scheduled`, `paused` or a run's status) and schedule statuses. */
const LABELS: Record<string, string> = {
  scheduled: 'Scheduled',
  paused: 'Paused',
  publishing: 'Publishing',
  retrying: 'Retrying',
  published: 'Published',
  failed: 'Failed',
  active: 'Active',
  completed: 'Completed',
};

const STYLES: Record<string, string> = {
  scheduled:
    'bg-indigo-100 text-indigo-800 border-indigo-200 dark:bg-indigo-400/10 dark:text-indigo-300 dark:border-indigo-400/20',
  active:
    'bg-indigo-100 text-indigo-800 border-indigo-200 dark:bg-indigo-400/10 dark:text-indigo-300 dark:border-indigo-400/20',
  paused: 'bg-surface-2 text-muted border-border',
  completed: 'bg-surface-2 text-muted border-border',
  publishing:
    'bg-sky-100 text-sky-800 border-sky-200 dark:bg-sky-400/10 dark:text-sky-300 dark:border-sky-400/20',
  retrying:
    'bg-amber-100 text-amber-900 border-amber-200 dark:bg-amber-400/10 dark:text-amber-300 dark:border-amber-400/20',
  published:
    'bg-emerald-100 text-emerald-800 border-emerald-200 dark:bg-emerald-400/10 dark:text-emerald-300 dark:border-emerald-400/20',
  failed:
    'bg-red-100 text-red-800 border-red-200 dark:bg-red-400/10 dark:text-red-300 dark:border-red-400/20',
};

export function statusLabel(status: string): string {
  return LABELS[status] ?? status;
}

export function PostStatusBadge({ status, className }: { status: string; className?: string }) {
  return (
    <span
      data-status={status}
      className={clsx(
        'inline-flex items-center gap-1.5 rounded-full border px-2 py-0.5 text-xs font-medium whitespace-nowrap',
        STYLES[status] ?? STYLES.paused,
        className,
      )}
    >
      <span aria-hidden="true" className="size-1.5 rounded-full bg-current" />
      {statusLabel(status)}
    </span>
  );
}

export function ChannelName({ channel, className }: { channel: string; className?: string }) {
  return (
    <span className={clsx('inline-flex items-center gap-1.5', className)}>
      <span
        aria-hidden="true"
        className={clsx('size-2 shrink-0 rounded-full', CHANNEL_DOTS[channel] ?? 'bg-muted')}
      />
      {channelLabel(channel)}
    </span>
  );
}
