import { clsx } from 'clsx';
import { useId, useState } from 'react';
import { Button } from '@/components/ui/Button';
import { TextField } from '@/components/ui/Field';
import { ErrorState, LoadingBlock } from '@/components/ui/States';
import { useToast } from '@/components/ui/Toast';
import { ApiError } from '@/lib/api/problem';
import type { Connection, Slot, Weekday } from '@/lib/api/types';
import { browserTimeZone } from '@/lib/zoned';
import { accountLabel } from '@/lib/connections/networks';
import { useSaveSlots, useSlots } from '@/lib/connections/queries';
import { addSlots, MAX_SLOTS, removeSlot, slotLabel, WEEKDAY_LABELS, WEEKDAYS } from './slots';

function message(e: unknown) {
  return e instanceof ApiError ? e.userMessage : 'Please try again.';
}

/**
 * An account's weekly posting slots: weekday chips and a time add slots, each slot can be
 * removed, and Save replaces the account's set. "Add to queue" fills the next free slot.
 */
export function SlotEditor({ connection }: { connection: Connection }) {
  const slots = useSlots(connection.id);
  const save = useSaveSlots(connection.id);
  const toast = useToast();
  const titleId = useId();
  const daysId = useId();
  /** The slots being edited; `null` while they are the saved ones. */
  const [draft, setDraft] = useState<Slot[] | null>(null);
  const [days, setDays] = useState<Weekday[]>([]);
  const [time, setTime] = useState('09:00');
  const [error, setError] = useState<string | null>(null);

  if (slots.isPending) return <LoadingBlock label="Loading posting slots…" rows={1} />;
  if (slots.isError)
    return <ErrorState message={message(slots.error)} onRetry={() => void slots.refetch()} />;

  const saved = slots.data;
  const current = draft ?? saved.slots;
  const zone = saved.timezone ?? browserTimeZone();
  const full = current.length >= MAX_SLOTS;

  function toggle(day: Weekday) {
    setDays((chosen) =>
      chosen.includes(day) ? chosen.filter((d) => d !== day) : [...chosen, day],
    );
  }

  function add() {
    setError(null);
    setDraft(addSlots(current, days, time).slice(0, MAX_SLOTS));
    setDays([]);
  }

  function submit() {
    setError(null);
    save.mutate(
      { timezone: zone, slots: current },
      {
        onSuccess: () => {
          setDraft(null);
          toast.success(`Posting slots saved for ${accountLabel(connection)}`);
        },
        onError: (e) => setError(message(e)),
      },
    );
  }

  return (
    <section
      aria-labelledby={titleId}
      className="flex flex-col gap-3 rounded-lg border border-border bg-surface-2/50 p-3"
      data-testid="slot-editor"
    >
      <div>
        <h4 id={titleId} className="text-sm font-medium">
          Posting slots for {connection.handle}
        </h4>
        <p className="text-xs text-muted">
          Times in {zone}. “Add to queue” puts a post into the next free slot.
        </p>
      </div>
      {current.length === 0 ? (
        <p className="text-sm text-muted">No slots yet: pick days and a time below.</p>
      ) : (
        <ul className="flex flex-wrap gap-1.5" aria-label="Slots" data-testid="slot-list">
          {current.map((slot) => (
            <li
              key={`${slot.weekday}-${slot.time}`}
              className="inline-flex items-center gap-1 rounded-full border border-border bg-surface py-0.5 pr-0.5 pl-2.5 text-sm tabular-nums"
            >
              {slotLabel(slot)}
              <button
                type="button"
                onClick={() => setDraft(removeSlot(current, slot))}
                aria-label={`Remove ${slotLabel(slot)}`}
                className="inline-flex size-6 items-center justify-center rounded-full text-muted hover:bg-surface-2 hover:text-fg"
              >
                <span aria-hidden="true">×</span>
              </button>
            </li>
          ))}
        </ul>
      )}
      <div className="flex flex-wrap items-end gap-3">
        <div role="group" aria-labelledby={daysId} className="flex flex-col gap-1.5">
          <span id={daysId} className="text-sm font-medium">
            Days
          </span>
          <div className="flex flex-wrap gap-1">
            {WEEKDAYS.map((day) => (
              <button
                key={day}
                type="button"
                aria-pressed={days.includes(day)}
                onClick={() => toggle(day)}
                className={clsx(
                  'h-8 min-w-11 rounded-full border px-2 text-sm font-medium',
                  days.includes(day)
                    ? 'border-accent bg-accent text-accent-fg'
                    : 'border-border bg-surface text-fg hover:bg-surface-2',
                )}
              >
                {WEEKDAY_LABELS[day]}
              </button>
            ))}
          </div>
        </div>
        <TextField
          label="Time"
          type="time"
          value={time}
          onChange={(e) => setTime(e.target.value)}
          className="w-32"
        />
        <Button size="sm" onClick={add} disabled={days.length === 0 || !time || full}>
          Add slot
        </Button>
      </div>
      {full && <p className="text-xs text-muted">An account can have {MAX_SLOTS} slots.</p>}
      {error && (
        <p role="alert" className="text-sm text-danger">
          {error}
        </p>
      )}
      <div className="flex gap-2">
        <Button
          size="sm"
          variant="primary"
          onClick={submit}
          disabled={draft === null}
          loading={save.isPending}
        >
          Save slots
        </Button>
        {draft !== null && (
          <Button size="sm" variant="ghost" onClick={() => setDraft(null)}>
            Discard changes
          </Button>
        )}
      </div>
    </section>
  );
}
