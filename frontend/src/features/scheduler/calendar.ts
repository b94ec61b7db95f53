/** The Scheduler's calendar arithmetic on `YYYY-MM-DD` days, weeks starting on Monday. Pure. */

import type { Occurrence } from '@/lib/api/types';
import { addDays, dayInZone, naiveFromDay, naiveParts, startOfDay } from '@/lib/zoned';

export const VIEWS = ['month', 'week', 'list', 'queue'] as const;
export type CalendarView = (typeof VIEWS)[number];

export const VIEW_LABELS: Record<CalendarView, string> = {
  month: 'Month',
  week: 'Week',
  list: 'List',
  queue: 'Queue',
};

export function parseView(value: string | null): CalendarView {
  return (VIEWS as readonly string[]).includes(value ?? '') ? (value as CalendarView) : 'month';
}

/** The day a URL names, or `today` when it names none. */
export function parseDay(value: string | null, today: string): string {
  return value && !Number.isNaN(naiveFromDay(value)) ? value : today;
}

function firstOfMonth(day: string): string {
  return `${day.slice(0, 8)}01`;
}

function daysInMonth(day: string): number {
  const { year, month } = naiveParts(naiveFromDay(day));
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** Monday of the week holding `day`. */
export function weekStart(day: string): string {
  return addDays(day, -naiveParts(naiveFromDay(day)).weekday);
}

/** The days a view shows: whole weeks around the month, one week, or the month's days. */
export function visibleDays(view: CalendarView, day: string): string[] {
  if (view === 'week') return Array.from({ length: 7 }, (_, i) => addDays(weekStart(day), i));
  const first = firstOfMonth(day);
  if (view === 'list') return Array.from({ length: daysInMonth(day) }, (_, i) => addDays(first, i));
  const gridStart = weekStart(first);
  const lead = naiveParts(naiveFromDay(first)).weekday;
  const weeks = Math.ceil((lead + daysInMonth(day)) / 7);
  return Array.from({ length: weeks * 7 }, (_, i) => addDays(gridStart, i));
}

/** The day a view lands on after Previous (-1) or Next (+1). */
export function shiftDay(view: CalendarView, day: string, direction: -1 | 1): string {
  if (view === 'week') return addDays(day, 7 * direction);
  const { year, month } = naiveParts(naiveFromDay(day));
  const target = new Date(Date.UTC(year, month - 1 + direction, 1));
  const next = target.toISOString().slice(0, 10);
  // Keep the day of the month where the target month has it.
  const dayOfMonth = Math.min(Number(day.slice(8)), daysInMonth(next));
  return `${next.slice(0, 8)}${String(dayOfMonth).padStart(2, '0')}`;
}

/** The API window `[from, to)` covering a list of days in a zone, as RFC 3339 instants. */
export function windowOf(days: string[], timeZone: string): { from: string; to: string } {
  const from = startOfDay(days[0], timeZone);
  const to = startOfDay(addDays(days[days.length - 1], 1), timeZone);
  return { from: new Date(from).toISOString(), to: new Date(to).toISOString() };
}

/** Occurrences (or open slots) by the day they fall on in a zone, each day oldest first. */
export function byDay<T extends Pick<Occurrence, 'at'>>(
  occurrences: T[],
  timeZone: string,
): Map<string, T[]> {
  const days = new Map<string, T[]>();
  for (const o of occurrences) {
    const day = dayInZone(Date.parse(o.at), timeZone);
    const list = days.get(day);
    if (list) list.push(o);
    else days.set(day, [o]);
  }
  for (const list of days.values()) list.sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
  return days;
}

export function isSameMonth(a: string, b: string): boolean {
  return a.slice(0, 7) === b.slice(0, 7);
}
