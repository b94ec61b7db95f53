import { clsx } from 'clsx';
import { useEffect, useRef, useState } from 'react';
import { Link } from 'react-router';
import { Button } from '@/components/ui/Button';
import { SelectField } from '@/components/ui/Field';
import { EmptyState, ErrorState, LoadingBlock } from '@/components/ui/States';
import { useToast } from '@/components/ui/Toast';
import { ApiError } from '@/lib/api/problem';
import type { QueueSlot } from '@/lib/api/types';
import { CONNECTIONS_SETTINGS } from '@/features/connections/links';
import { accountLabel } from '@/features/connections/networks';
import { useConnections } from '@/features/connections/queries';
import { dateTimeIn } from '../format';
import { useMoveInQueue, useQueue } from '../queries';

function message(e: unknown) {
  return e instanceof ApiError ? e.userMessage : 'Please try again.';
}

type Direction = 'up' | 'down';

/** One account's upcoming slots in order: filled ones with their post, empty ones dimmed. */
function AccountQueue({ connectionId, handle }: { connectionId: string; handle: string }) {
  const queue = useQueue(connectionId);
  const move = useMoveInQueue(connectionId);
  const toast = useToast();
  const buttons = useRef(new Map<string, HTMLButtonElement | null>());
  /** The button to focus once a moved post is in its new place. */
  const [refocus, setRefocus] = useState<[string, Direction] | null>(null);

  // A post moved to the top or bottom has that direction's button disabled: focus the other.
  useEffect(() => {
    if (!refocus || move.isPending) return;
    const [scheduleId, direction] = refocus;
    const other: Direction = direction === 'up' ? 'down' : 'up';
    const same = buttons.current.get(`${scheduleId}-${direction}`);
    (same && !same.disabled ? same : buttons.current.get(`${scheduleId}-${other}`))?.focus();
  }, [refocus, move.isPending, queue.data]);

  if (queue.isPending) return <LoadingBlock label="Loading the queue…" rows={3} />;
  if (queue.isError)
    return <ErrorState message={message(queue.error)} onRetry={() => void queue.refetch()} />;
  const { items, timezone } = queue.data;
  if (items.length === 0 || !timezone)
    return (
      <EmptyState title={`No posting slots for ${handle} yet`}>
        Add weekly slots in <Link to={CONNECTIONS_SETTINGS}>Settings → Connections</Link>, then
        press “Add to queue” on an accepted post.
      </EmptyState>
    );

  function shift(slot: QueueSlot, index: number, direction: Direction) {
    const target = items[direction === 'up' ? index - 1 : index + 1];
    if (!slot.schedule_id || !target) return;
    const scheduleId = slot.schedule_id;
    move.mutate(
      { schedule_id: slot.schedule_id, to: target.at },
      {
        onSuccess: () => setRefocus([scheduleId, direction]),
        onError: (e) => toast.error('Could not move the post', message(e)),
      },
    );
  }

  return (
    <div className="flex flex-col gap-2">
      <p className="text-xs text-muted">Slot times in {timezone}.</p>
      <ol className="flex flex-col gap-2" aria-label={`Queue of ${handle}`} data-testid="queue">
        {items.map((slot, index) => {
          const when = dateTimeIn(slot.at, timezone);
          const filled = slot.schedule_id !== null && slot.schedule_id !== undefined;
          return (
            <li
              key={slot.at}
              data-filled={filled}
              className={clsx(
                'flex flex-col gap-2 rounded-lg border px-3 py-2 sm:flex-row sm:items-center',
                filled ? 'border-border bg-surface' : 'border-dashed border-border/70 opacity-60',
              )}
            >
              <div className="min-w-0 flex-1">
                <p className="text-xs font-medium text-muted tabular-nums">{when}</p>
                {filled ? (
                  <Link
                    to={`/scheduler?schedule=${slot.schedule_id}`}
                    className="line-clamp-2 text-sm break-words hover:underline"
                  >
                    {slot.first_line || 'A post without text'}
                  </Link>
                ) : (
                  <p className="text-sm text-muted">Empty slot</p>
                )}
              </div>
              {filled && (
                <div className="flex gap-1 self-end sm:self-auto">
                  {(['up', 'down'] as const).map((direction) => {
                    const edge = direction === 'up' ? index === 0 : index === items.length - 1;
                    return (
                      <Button
                        key={direction}
                        ref={(el) => {
                          buttons.current.set(`${slot.schedule_id}-${direction}`, el);
                        }}
                        size="sm"
                        variant="ghost"
                        disabled={edge || move.isPending}
                        onClick={() => shift(slot, index, direction)}
                        aria-label={`Move “${slot.first_line}” ${direction} from ${when}`}
                      >
                        {direction === 'up' ? '↑ Up' : '↓ Down'}
                      </Button>
                    );
                  })}
                </div>
              )}
            </li>
          );
        })}
      </ol>
    </div>
  );
}

/** The Scheduler's Queue view: pick a connected account, see and reorder its queue. */
export function QueueView() {
  const connections = useConnections();
  const [chosen, setChosen] = useState<string | null>(null);
  if (connections.isPending) return <LoadingBlock label="Loading your accounts…" rows={2} />;
  if (connections.isError)
    return (
      <ErrorState message={message(connections.error)} onRetry={() => void connections.refetch()} />
    );
  const accounts = connections.data;
  if (accounts.length === 0)
    return (
      <EmptyState title="No connected accounts">
        Connect an account in <Link to={CONNECTIONS_SETTINGS}>Settings → Connections</Link> and give
        it posting slots to queue posts for it.
      </EmptyState>
    );
  const account = accounts.find((a) => a.id === chosen) ?? accounts[0];
  return (
    <div className="flex flex-col gap-3" data-testid="queue-view">
      <SelectField
        label="Account"
        value={account.id}
        onChange={(e) => setChosen(e.target.value)}
        className="max-w-sm"
      >
        {accounts.map((a) => (
          <option key={a.id} value={a.id}>
            {accountLabel(a)}
          </option>
        ))}
      </SelectField>
      <AccountQueue key={account.id} connectionId={account.id} handle={account.handle} />
    </div>
  );
}
