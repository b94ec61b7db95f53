import { clsx } from 'clsx';
import type { Occurrence, OpenSlot, Schedule } from '@/lib/api/types';
import { isSameMonth } from '../calendar';
import { CHANNEL_DOTS, longDay, shortDay, timeIn } from '../format';
import { describeStored } from '../recurrence';
import { OccurrenceButton } from './OccurrenceButton';
import { OpenSlotChip } from './OpenSlotChip';

type ViewProps = {
  anchor: string;
  today: string;
  days: string[];
  occurrences: Map<string, Occurrence[]>;
  /** The accounts' empty posting slots, shown faintly. */
  openSlots: Map<string, OpenSlot[]>;
  timeZone: string;
  onOpen: (scheduleId: string) => void;
};

const CHIPS_PER_DAY = 3;

function postCount(n: number) {
  return n === 0 ? 'no posts' : `${n} post${n === 1 ? '' : 's'}`;
}

function DayAgenda({
  day,
  occurrences,
  openSlots,
  timeZone,
  onOpen,
}: Omit<ViewProps, 'anchor' | 'today' | 'days' | 'occurrences' | 'openSlots'> & {
  day: string;
  occurrences: Occurrence[];
  openSlots: OpenSlot[];
}) {
  return (
    <section
      aria-labelledby="agenda-title"
      className="rounded-xl border border-border bg-surface p-4"
      data-testid="day-agenda"
    >
      <h3 id="agenda-title" className="mb-3 text-sm font-semibold">
        {longDay(day)}
      </h3>
      {occurrences.length === 0 ? (
        <p className="text-sm text-muted">No posts on this day.</p>
      ) : (
        <ul className="flex flex-col gap-2">
          {occurrences.map((o) => (
            <li key={`${o.schedule_id}-${o.at}`}>
              <OccurrenceButton occurrence={o} timeZone={timeZone} onOpen={onOpen} />
            </li>
          ))}
        </ul>
      )}
      {openSlots.length > 0 && (
        <ul className="mt-2 flex flex-col gap-1" aria-label="Open posting slots">
          {openSlots.map((slot) => (
            <li key={`${slot.connection_id}-${slot.at}`}>
              <OpenSlotChip slot={slot} timeZone={timeZone} />
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

/** Whole weeks around the month; a day's number selects it and lists its posts below. */
export function MonthView({
  anchor,
  today,
  days,
  occurrences,
  openSlots,
  timeZone,
  onOpen,
  onSelectDay,
}: ViewProps & { onSelectDay: (day: string) => void }) {
  return (
    <div className="flex flex-col gap-4">
      <div className="overflow-hidden rounded-xl border border-border bg-surface">
        <div aria-hidden="true" className="grid grid-cols-7 border-b border-border bg-surface-2">
          {days.slice(0, 7).map((d) => (
            <div
              key={d}
              className="px-2 py-2 text-center text-xs font-medium text-muted sm:text-left"
            >
              {shortDay(d).weekday}
            </div>
          ))}
        </div>
        <ol className="grid grid-cols-7">
          {days.map((day, i) => {
            const list = occurrences.get(day) ?? [];
            const open = (openSlots.get(day) ?? []).slice(
              0,
              Math.max(0, CHIPS_PER_DAY - list.length),
            );
            const inMonth = isSameMonth(day, anchor);
            const selected = day === anchor;
            const isToday = day === today;
            return (
              <li
                key={day}
                data-day={day}
                className={clsx(
                  'relative flex min-h-16 min-w-0 flex-col gap-1 border-border p-1 sm:min-h-28 sm:p-1.5',
                  i % 7 !== 6 && 'border-r',
                  i < days.length - 7 && 'border-b',
                  !inMonth && 'bg-bg/40',
                  selected && 'bg-accent-soft/50',
                )}
              >
                <button
                  type="button"
                  onClick={() => onSelectDay(day)}
                  aria-label={`${longDay(day)}, ${postCount(list.length)}`}
                  aria-pressed={selected}
                  aria-current={isToday ? 'date' : undefined}
                  className="absolute inset-0 flex items-start justify-center rounded-none p-1 sm:static sm:inset-auto sm:size-7 sm:items-center sm:justify-center sm:rounded-full sm:p-0"
                >
                  <span
                    className={clsx(
                      'inline-flex size-7 items-center justify-center rounded-full text-xs font-medium tabular-nums',
                      isToday ? 'bg-accent text-accent-fg' : inMonth ? 'text-fg' : 'text-muted',
                      selected && !isToday && 'ring-1 ring-accent',
                    )}
                  >
                    {shortDay(day).date}
                  </span>
                </button>
                {list.length > 0 && (
                  <span
                    aria-hidden="true"
                    className="pointer-events-none mt-auto flex justify-center gap-0.5 pb-1 sm:hidden"
                  >
                    {list.slice(0, 3).map((o) => (
                      <span
                        key={`${o.schedule_id}-${o.at}`}
                        className={clsx(
                          'size-1.5 rounded-full',
                          CHANNEL_DOTS[o.channel] ?? 'bg-accent',
                        )}
                      />
                    ))}
                  </span>
                )}
                <ul className="hidden min-w-0 flex-col gap-1 sm:flex">
                  {list.slice(0, CHIPS_PER_DAY).map((o) => (
                    <li key={`${o.schedule_id}-${o.at}`} className="min-w-0">
                      <OccurrenceButton
                        occurrence={o}
                        timeZone={timeZone}
                        onOpen={onOpen}
                        compact
                      />
                    </li>
                  ))}
                  {open.map((slot) => (
                    <li key={`${slot.connection_id}-${slot.at}`} className="min-w-0">
                      <OpenSlotChip slot={slot} timeZone={timeZone} />
                    </li>
                  ))}
                </ul>
                {list.length > CHIPS_PER_DAY && (
                  <button
                    type="button"
                    onClick={() => onSelectDay(day)}
                    className="hidden self-start rounded px-1 text-xs font-medium text-accent-text hover:underline sm:block"
                  >
                    +{list.length - CHIPS_PER_DAY} more
                  </button>
                )}
              </li>
            );
          })}
        </ol>
      </div>
      <DayAgenda
        day={anchor}
        occurrences={occurrences.get(anchor) ?? []}
        openSlots={openSlots.get(anchor) ?? []}
        timeZone={timeZone}
        onOpen={onOpen}
      />
    </div>
  );
}

/** Seven day columns (stacked on small screens), each listing its posts by time. */
export function WeekView({ today, days, occurrences, openSlots, timeZone, onOpen }: ViewProps) {
  return (
    <ol className="grid gap-2 md:grid-cols-7">
      {days.map((day) => {
        const list = occurrences.get(day) ?? [];
        const open = openSlots.get(day) ?? [];
        const { weekday, date, month } = shortDay(day);
        return (
          <li
            key={day}
            data-day={day}
            className={clsx(
              'flex min-w-0 flex-col gap-2 rounded-xl border bg-surface p-2 md:min-h-64',
              day === today ? 'border-accent/60' : 'border-border',
            )}
          >
            <h3 className="flex items-baseline gap-1.5 px-1 text-sm">
              <span className="font-medium text-muted">{weekday}</span>
              <span
                className={clsx('font-semibold tabular-nums', day === today && 'text-accent-text')}
                aria-current={day === today ? 'date' : undefined}
              >
                {date}
              </span>
              <span className="text-muted md:hidden">{month}</span>
              <span className="sr-only">, {postCount(list.length)}</span>
            </h3>
            {list.length === 0 && open.length === 0 ? (
              <p className="px-1 text-xs text-muted/80 md:py-2" aria-hidden="true">
                —
              </p>
            ) : (
              <ul className="flex flex-col gap-1.5">
                {list.map((o) => (
                  <li key={`${o.schedule_id}-${o.at}`} className="min-w-0">
                    <OccurrenceButton occurrence={o} timeZone={timeZone} onOpen={onOpen} compact />
                  </li>
                ))}
                {open.map((slot) => (
                  <li key={`${slot.connection_id}-${slot.at}`} className="min-w-0">
                    <OpenSlotChip slot={slot} timeZone={timeZone} />
                  </li>
                ))}
              </ul>
            )}
          </li>
        );
      })}
    </ol>
  );
}

/** The month's posts as an agenda, grouped by day, with each schedule's rule. */
export function ListView({
  days,
  occurrences,
  timeZone,
  onOpen,
  schedules,
}: ViewProps & { schedules: Map<string, Schedule> }) {
  const withPosts = days.filter((d) => (occurrences.get(d)?.length ?? 0) > 0);
  if (withPosts.length === 0) return null;
  return (
    <div className="flex flex-col gap-5" data-testid="schedule-list">
      {withPosts.map((day) => (
        <section key={day} aria-labelledby={`list-${day}`} data-day={day}>
          <h3 id={`list-${day}`} className="mb-2 text-sm font-semibold text-muted">
            {longDay(day)}
          </h3>
          <ul className="flex flex-col gap-2">
            {(occurrences.get(day) ?? []).map((o) => {
              const s = schedules.get(o.schedule_id);
              const rule = s ? describeStored(s.run_at, s.timezone, s.recurrence) : undefined;
              const local =
                o.timezone !== timeZone ? `${timeIn(o.at, o.timezone)} ${o.timezone} · ` : '';
              return (
                <li key={`${o.schedule_id}-${o.at}`}>
                  <OccurrenceButton
                    occurrence={o}
                    timeZone={timeZone}
                    onOpen={onOpen}
                    detail={rule ? `${local}${rule}` : undefined}
                  />
                </li>
              );
            })}
          </ul>
        </section>
      ))}
    </div>
  );
}
