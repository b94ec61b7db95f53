import { useId, useState } from 'react';
import { Button } from '@/components/ui/Button';
import { Card } from '@/components/ui/Card';
import { Skeleton } from '@/components/ui/States';
import { useToast } from '@/components/ui/Toast';
import { CalendarIcon, CopyIcon } from '@/components/ui/icons';
import { ApiError } from '@/lib/api/problem';
import { loadJSON, saveJSON, storageKeys } from '@/lib/storage';
import { useMe } from '@/lib/auth/queries';
import type { FeedStatus } from '@/lib/api/types';
import { formatDateTime, formatTimeAgo } from '@/lib/format';
import { useCreateFeedLink, useFeedStatus } from '../queries';

/** When the link was made and last fetched by a calendar app, as the API knows it. */
function FeedUse({ status }: { status: FeedStatus }) {
  return (
    <p className="text-xs text-muted" data-testid="ical-status">
      Created {formatDateTime(status.created_at)} ·{' '}
      {status.last_fetched_at
        ? `last fetched by a calendar app ${formatTimeAgo(status.last_fetched_at)}`
        : 'not fetched by a calendar app yet'}
    </p>
  );
}

/**
 * The secret iCalendar link. The API shows it only when it is made, so this browser keeps it;
 * every device learns from the API that a link exists, and is asked before replacing it, as
 * making a new one retires the old link everywhere.
 */
function FeedLink({ userId, status }: { userId: string; status: FeedStatus | null }) {
  const key = storageKeys.calendarFeed(userId);
  const [url, setUrl] = useState<string | null>(() => (status ? loadJSON<string>(key) : null));
  const [confirming, setConfirming] = useState(false);
  const create = useCreateFeedLink();
  const toast = useToast();
  const inputId = useId();

  function makeLink() {
    create.mutate(undefined, {
      onSuccess: (feed) => {
        saveJSON(key, feed.url);
        setUrl(feed.url);
        setConfirming(false);
        toast.success(
          url ? 'New calendar link ready' : 'Calendar link ready',
          url ? 'The old link no longer works.' : undefined,
        );
      },
      onError: (e) =>
        toast.error(
          'Could not make the calendar link',
          e instanceof ApiError ? e.userMessage : undefined,
        ),
    });
  }

  async function copy(value: string) {
    try {
      await navigator.clipboard.writeText(value);
      toast.success('Calendar link copied');
    } catch {
      toast.error('Could not copy', 'Select the link and copy it yourself.');
    }
  }

  const replace = confirming ? (
    <div className="flex flex-wrap items-center gap-2" role="group" aria-label="Confirm new link">
      <p className="text-xs">The current link stops working in every calendar using it.</p>
      <Button
        size="sm"
        variant="danger"
        onClick={makeLink}
        loading={create.isPending}
        data-testid="ical-replace-confirm"
      >
        Replace link
      </Button>
      <Button size="sm" variant="ghost" onClick={() => setConfirming(false)}>
        Keep
      </Button>
    </div>
  ) : (
    <Button
      size="sm"
      variant="ghost"
      className="self-start"
      onClick={() => setConfirming(true)}
      data-testid="ical-replace"
    >
      Replace link
    </Button>
  );

  if (!url && status) {
    // Made on another device (or this browser forgot it): it is in use, and only replacing it
    // shows a link here.
    return (
      <div className="flex flex-col items-start gap-3" data-testid="ical-exists">
        <p className="text-sm">
          You have a calendar link. It is shown only once, on the device that made it; to see a link
          here, replace it.
        </p>
        <FeedUse status={status} />
        {replace}
      </div>
    );
  }
  if (!url) {
    return (
      <div className="flex flex-col items-start gap-3">
        <p className="text-sm text-muted">
          See upcoming posts in Google Calendar, Apple Calendar or Outlook with a private
          subscription link.
        </p>
        <Button
          size="sm"
          variant="primary"
          onClick={makeLink}
          loading={create.isPending}
          data-testid="ical-create"
        >
          <CalendarIcon width={14} height={14} />
          Create calendar link
        </Button>
      </div>
    );
  }
  return (
    <div className="flex flex-col gap-3">
      <label htmlFor={inputId} className="text-sm font-medium">
        Subscribe URL
      </label>
      <div className="flex gap-2">
        <input
          id={inputId}
          readOnly
          value={url}
          onFocus={(e) => e.currentTarget.select()}
          className="h-9 min-w-0 flex-1 rounded-lg border border-border bg-surface-2 px-3 font-mono text-xs text-fg"
          data-testid="ical-link"
        />
        <Button size="sm" className="h-9" onClick={() => void copy(url)} data-testid="ical-copy">
          <CopyIcon width={14} height={14} />
          Copy
        </Button>
      </div>
      <p className="text-xs text-muted">
        Anyone with this link can read your posting calendar. Calendar apps refresh it every few
        hours.
      </p>
      {status && <FeedUse status={status} />}
      {replace}
    </div>
  );
}

export function CalendarFeed() {
  const me = useMe();
  const status = useFeedStatus();
  return (
    <Card className="p-5" data-testid="calendar-feed">
      <h2 className="mb-3 font-semibold">Calendar feed</h2>
      {me.data && status.isSuccess ? (
        <FeedLink key={me.data.id} userId={me.data.id} status={status.data} />
      ) : (
        <div role="status">
          <span className="sr-only">Loading…</span>
          <Skeleton className="h-9 w-full" />
        </div>
      )}
    </Card>
  );
}
