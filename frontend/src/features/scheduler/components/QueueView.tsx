import {
  closestCenter,
  DndContext,
  KeyboardSensor,
  MouseSensor,
  TouchSensor,
  useSensor,
  useSensors,
  type Announcements,
  type DragEndEvent,
  type UniqueIdentifier,
} from '@dnd-kit/core';
import {
  rectSwappingStrategy,
  SortableContext,
  sortableKeyboardCoordinates,
  useSortable,
} from '@dnd-kit/sortable';
import { CSS } from '@dnd-kit/utilities';
import { clsx } from 'clsx';
import { useEffect, useRef, useState } from 'react';
import { Link } from 'react-router';
import { Button } from '@/components/ui/Button';
import { SelectField } from '@/components/ui/Field';
import { EmptyState, ErrorState, LoadingBlock } from '@/components/ui/States';
import { useToast } from '@/components/ui/Toast';
import { ApiError } from '@/lib/api/problem';
import type { QueueSlot } from '@/lib/api/types';
import { CONNECTIONS_SETTINGS } from '@/lib/connections/links';
import { accountLabel } from '@/lib/connections/networks';
import { useConnections } from '@/lib/connections/queries';
import { dateTimeIn } from '../format';
import { useMoveInQueue, useQueue } from '../queries';

function message(e: unknown) {
  return e instanceof ApiError ? e.userMessage : 'Please try again.';
}

type Direction = 'up' | 'down';

/** How a post is named to people moving it: its first line, or that it has none. */
function postName(slot: QueueSlot | undefined) {
  return `“${slot?.first_line || 'A post without text'}”`;
}

/**
 * What a screen reader hears while a post is dragged (with the keyboard or a pointer): the slots
 * are named by their time, and a filled one says that its post will swap places.
 */
function announcements(items: QueueSlot[], timezone: string): Announcements {
  const slot = (id: UniqueIdentifier | undefined) => items.find((s) => s.at === id);
  const when = (id: UniqueIdentifier) => dateTimeIn(String(id), timezone);
  const target = (id: UniqueIdentifier) => {
    const over = slot(id);
    return over?.schedule_id
      ? `the slot at ${when(id)}, where ${postName(over)} will take its place`
      : `the empty slot at ${when(id)}`;
  };
  return {
    onDragStart: ({ active }) => `Picked up ${postName(slot(active.id))} from ${when(active.id)}.`,
    onDragOver: ({ active, over }) =>
      over && over.id !== active.id ? `Over ${target(over.id)}.` : `Back at ${when(active.id)}.`,
    onDragEnd: ({ active, over }) =>
      over && over.id !== active.id
        ? `Moved ${postName(slot(active.id))} to ${target(over.id)}.`
        : `${postName(slot(active.id))} stays at ${when(active.id)}.`,
    onDragCancel: ({ active }) =>
      `Moving cancelled: ${postName(slot(active.id))} stays at ${when(active.id)}.`,
  };
}

const INSTRUCTIONS = {
  draggable:
    'To move a queued post, press Space on its handle, pick a slot with the arrow keys and press Space again to drop it there, or Escape to cancel. A post already in that slot takes the moved one’s place.',
};

/**
 * One slot of the queue. A filled one is dragged by its handle to another slot (the pointer, a
 * finger after a short press, or the keyboard); every slot, empty or not, can be dropped on.
 */
function QueueItem({
  slot,
  index,
  count,
  timezone,
  busy,
  onMove,
  buttonRef,
}: {
  slot: QueueSlot;
  index: number;
  count: number;
  timezone: string;
  busy: boolean;
  onMove: (direction: Direction) => void;
  buttonRef: (direction: Direction, el: HTMLButtonElement | null) => void;
}) {
  const when = dateTimeIn(slot.at, timezone);
  const filled = slot.schedule_id !== null && slot.schedule_id !== undefined;
  const {
    attributes,
    listeners,
    setNodeRef,
    setActivatorNodeRef,
    transform,
    transition,
    isDragging,
    isOver,
  } = useSortable({ id: slot.at, disabled: { draggable: !filled || busy, droppable: false } });
  return (
    <li
      ref={setNodeRef}
      style={{
        transform: CSS.Translate.toString(transform),
        transition: transition,
      }}
      data-filled={filled}
      data-testid="queue-slot"
      className={clsx(
        'flex flex-col gap-2 rounded-lg border px-3 py-2 sm:flex-row sm:items-center',
        // Dashed and muted rather than faded: faded text falls below WCAG AA contrast.
        filled ? 'border-border bg-surface' : 'border-dashed border-border',
        isDragging && 'relative z-10 shadow-lg ring-2 ring-accent',
        isOver && !isDragging && 'ring-2 ring-accent/60',
      )}
    >
      <div className="flex min-w-0 flex-1 items-start gap-2">
        {filled && (
          <button
            type="button"
            ref={setActivatorNodeRef}
            {...attributes}
            {...listeners}
            // A finger on the handle drags the post instead of scrolling the page.
            className="-ml-1 flex h-8 w-8 shrink-0 cursor-grab touch-none items-center justify-center rounded-md text-muted hover:bg-surface-2 hover:text-fg active:cursor-grabbing disabled:cursor-not-allowed"
            aria-label={`Drag ${postName(slot)} from ${when}`}
            data-testid="queue-drag-handle"
          >
            <svg aria-hidden="true" viewBox="0 0 16 16" className="h-4 w-4" fill="currentColor">
              {[3, 8, 13].flatMap((y) => [
                <circle key={`a${y}`} cx="5.5" cy={y} r="1.5" />,
                <circle key={`b${y}`} cx="10.5" cy={y} r="1.5" />,
              ])}
            </svg>
          </button>
        )}
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
      </div>
      {filled && (
        <div className="flex gap-1 self-end sm:self-auto">
          {(['up', 'down'] as const).map((direction) => {
            const edge = direction === 'up' ? index === 0 : index === count - 1;
            return (
              <Button
                key={direction}
                ref={(el) => buttonRef(direction, el)}
                size="sm"
                variant="ghost"
                disabled={edge || busy}
                onClick={() => onMove(direction)}
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
}

/**
 * One account's upcoming slots in order: filled ones with their post, empty ones dashed. A post
 * is dragged onto another slot, or moved a slot up or down with its buttons; either way the API
 * moves it there and swaps it with the post it finds.
 */
function AccountQueue({ connectionId, handle }: { connectionId: string; handle: string }) {
  const queue = useQueue(connectionId);
  const move = useMoveInQueue(connectionId);
  const toast = useToast();
  const buttons = useRef(new Map<string, HTMLButtonElement | null>());
  /** The button to focus once a moved post is in its new place. */
  const [refocus, setRefocus] = useState<[string, Direction] | null>(null);
  const sensors = useSensors(
    // A few pixels of movement before a drag, so a click on the handle stays a click.
    useSensor(MouseSensor, { activationConstraint: { distance: 4 } }),
    // A short press before a drag, so a finger sliding over the list still scrolls it.
    useSensor(TouchSensor, { activationConstraint: { delay: 200, tolerance: 8 } }),
    useSensor(KeyboardSensor, { coordinateGetter: sortableKeyboardCoordinates }),
  );

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

  function moveTo(scheduleId: string, to: string, onSuccess?: () => void) {
    move.mutate(
      { schedule_id: scheduleId, to },
      { onSuccess, onError: (e) => toast.error('Could not move the post', message(e)) },
    );
  }

  function shift(slot: QueueSlot, index: number, direction: Direction) {
    const target = items[direction === 'up' ? index - 1 : index + 1];
    if (!slot.schedule_id || !target) return;
    const scheduleId = slot.schedule_id;
    moveTo(scheduleId, target.at, () => setRefocus([scheduleId, direction]));
  }

  function drop({ active, over }: DragEndEvent) {
    const scheduleId = items.find((slot) => slot.at === active.id)?.schedule_id;
    if (!scheduleId || !over || over.id === active.id) return;
    moveTo(scheduleId, String(over.id));
  }

  return (
    <div className="flex flex-col gap-2">
      <p className="text-xs text-muted">
        Slot times in {timezone}. Drag a post by its handle onto another slot, or use its Up and
        Down buttons; a post already there takes its place.
      </p>
      <DndContext
        sensors={sensors}
        collisionDetection={closestCenter}
        onDragEnd={drop}
        accessibility={{
          announcements: announcements(items, timezone),
          screenReaderInstructions: INSTRUCTIONS,
        }}
      >
        <SortableContext items={items.map((slot) => slot.at)} strategy={rectSwappingStrategy}>
          <ol className="flex flex-col gap-2" aria-label={`Queue of ${handle}`} data-testid="queue">
            {items.map((slot, index) => (
              <QueueItem
                key={slot.at}
                slot={slot}
                index={index}
                count={items.length}
                timezone={timezone}
                busy={move.isPending}
                onMove={(direction) => shift(slot, index, direction)}
                buttonRef={(direction, el) => {
                  buttons.current.set(`${slot.schedule_id}-${direction}`, el);
                }}
              />
            ))}
          </ol>
        </SortableContext>
      </DndContext>
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
