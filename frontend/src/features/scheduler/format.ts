/** How the Scheduler shows times, days and channels (in the reader's locale). */

import { CHANNEL_LABELS, isChannel } from '@/lib/api/types';
import { naiveFromDay } from '@/lib/zoned';

const cache = new Map<string, Intl.DateTimeFormat>();

function formatter(key: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const id = `${key}|${options.timeZone ?? ''}`;
  let f = cache.get(id);
  if (!f) {
    f = new Intl.DateTimeFormat(undefined, options);
    cache.set(id, f);
  }
  return f;
}

/** "09:00" (or "9:00 AM") in a zone. */
export function timeIn(instant: number | string, timeZone: string): string {
  return formatter('time', { hour: 'numeric', minute: '2-digit', timeZone }).format(
    new Date(instant),
  );
}

/** "Tue 9:30 AM" (or "Di. 09:30"): a slot's weekday and time in a zone. */
export function slotTimeIn(instant: number | string, timeZone: string): string {
  return formatter('slot', {
    weekday: 'short',
    hour: 'numeric',
    minute: '2-digit',
    timeZone,
  }).format(new Date(instant));
}

/** "Mon, Dec 14, 2026, 09:00" in a zone. */
export function dateTimeIn(instant: number | string, timeZone: string): string {
  return formatter('datetime', {
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    hour: 'numeric',
    minute: '2-digit',
    timeZone,
  }).format(new Date(instant));
}

/** "Monday, December 14, 2026" for a `YYYY-MM-DD` day. */
export function longDay(day: string): string {
  return formatter('longday', {
    weekday: 'long',
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    timeZone: 'UTC',
  }).format(new Date(naiveFromDay(day)));
}

/** "Mon 14" style parts of a day, for calendar headings. */
export function shortDay(day: string): { weekday: string; date: string; month: string } {
  const date = new Date(naiveFromDay(day));
  return {
    weekday: formatter('weekday', { weekday: 'short', timeZone: 'UTC' }).format(date),
    date: String(date.getUTCDate()),
    month: formatter('month-short', { month: 'short', timeZone: 'UTC' }).format(date),
  };
}

/** "December 2026" for the month holding a day. */
export function monthTitle(day: string): string {
  return formatter('month', { month: 'long', year: 'numeric', timeZone: 'UTC' }).format(
    new Date(naiveFromDay(day)),
  );
}

/** "Dec 14 – 20, 2026" for a range of days. */
export function rangeTitle(first: string, last: string): string {
  const f = formatter('range', {
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    timeZone: 'UTC',
  });
  return f.formatRange(new Date(naiveFromDay(first)), new Date(naiveFromDay(last)));
}

export function channelLabel(channel: string): string {
  return isChannel(channel) ? CHANNEL_LABELS[channel] : channel;
}

/** One colour per channel, used as a dot beside its name. */
export const CHANNEL_DOTS: Record<string, string> = {
  linkedin: 'bg-sky-500',
  x: 'bg-zinc-400',
  newsletter: 'bg-amber-400',
  blog: 'bg-emerald-400',
};
