/**
 * Wall-clock time in IANA time zones, on top of `Intl` (no library, no I/O).
 *
 * A wall-clock time is held as a "naive" millisecond count: the time read as if it were UTC
 * (`Date.UTC(y, m - 1, d, h, min)`), which makes calendar arithmetic plain addition. An instant
 * is an ordinary epoch millisecond count.
 */

const MINUTE = 60_000;
export const DAY = 24 * 60 * MINUTE;

const formatters = new Map<string, Intl.DateTimeFormat>();

function partsFormatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** Whether the runtime knows this IANA zone (aliases such as `US/Eastern` included). */
export function isValidTimeZone(timeZone: string): boolean {
  if (!timeZone.trim()) return false;
  try {
    partsFormatter(timeZone.trim());
    return true;
  } catch {
    return false;
  }
}

/** The zone the browser runs in, e.g. `Europe/Berlin`. */
export function browserTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
}

/** Every zone the runtime lists, for suggestions. */
export function knownTimeZones(): string[] {
  const supported = (Intl as { supportedValuesOf?: (key: string) => string[] }).supportedValuesOf;
  const zones = supported ? supported('timeZone') : [];
  return zones.includes('UTC') ? zones : [...zones, 'UTC'];
}

/** The wall-clock time (naive ms) of an instant in a zone. */
export function wallClock(instant: number, timeZone: string): number {
  const parts: Record<string, number> = {};
  for (const p of partsFormatter(timeZone).formatToParts(new Date(instant))) {
    if (p.type !== 'literal') parts[p.type] = Number(p.value);
  }
  const naive = Date.UTC(
    parts.year,
    parts.month - 1,
    parts.day,
    parts.hour,
    parts.minute,
    parts.second,
  );
  // Intl drops milliseconds; keep them so the round trip is exact.
  return naive + (((instant % 1000) + 1000) % 1000);
}

function offsetAt(instant: number, timeZone: string): number {
  return wallClock(instant, timeZone) - instant;
}

/**
 * Every instant showing this wall-clock time in the zone, earliest first: one normally, two in
 * the repeated hour when clocks go back, none in the hour skipped when they go forward.
 */
export function instantsAt(naive: number, timeZone: string): number[] {
  // Zone offsets change at most once within a few days, so the offsets a day and a half either
  // side are the only candidates.
  const offsets = new Set([
    offsetAt(naive - 1.5 * DAY, timeZone),
    offsetAt(naive + 1.5 * DAY, timeZone),
  ]);
  const found = [...offsets]
    .map((offset) => naive - offset)
    .filter((instant) => wallClock(instant, timeZone) === naive);
  return [...new Set(found)].sort((a, b) => a - b);
}

/**
 * The instant of a start time as the API reads it: an ambiguous time takes the first
 * instance, a skipped one does not exist (`null`).
 */
export function startInstant(naive: number, timeZone: string): number | null {
  return instantsAt(naive, timeZone)[0] ?? null;
}

/**
 * The instant of a recurring occurrence as the API's RRULE expansion places it: the wall-clock
 * time when it exists exactly once, otherwise that day's midnight plus the time of day (so a
 * skipped 02:30 becomes 03:30 and a repeated one the first 02:30).
 */
export function occurrenceInstant(naive: number, timeZone: string): number | null {
  const exact = instantsAt(naive, timeZone);
  if (exact.length === 1) return exact[0];
  const midnight = naive - (((naive % DAY) + DAY) % DAY);
  const start = instantsAt(midnight, timeZone);
  return start.length === 1 ? start[0] + (naive - midnight) : null;
}

/** The first instant of a calendar day (`YYYY-MM-DD`) in a zone. */
export function startOfDay(day: string, timeZone: string): number {
  const naive = naiveFromDay(day);
  const exact = instantsAt(naive, timeZone);
  if (exact.length > 0) return exact[0];
  // Midnight itself is skipped (e.g. America/Santiago): the day starts when clocks jump.
  return naive - offsetAt(naive - 1.5 * DAY, timeZone);
}

export type WallParts = {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  /** 0 = Monday … 6 = Sunday. */
  weekday: number;
};

export function naiveParts(naive: number): WallParts {
  const d = new Date(naive);
  return {
    year: d.getUTCFullYear(),
    month: d.getUTCMonth() + 1,
    day: d.getUTCDate(),
    hour: d.getUTCHours(),
    minute: d.getUTCMinutes(),
    weekday: (d.getUTCDay() + 6) % 7,
  };
}

const pad = (n: number) => String(n).padStart(2, '0');

/** `YYYY-MM-DD` of a naive time. */
export function dayOf(naive: number): string {
  const p = naiveParts(naive);
  return `${p.year}-${pad(p.month)}-${pad(p.day)}`;
}

/** `HH:MM` of a naive time. */
export function timeOf(naive: number): string {
  const p = naiveParts(naive);
  return `${pad(p.hour)}:${pad(p.minute)}`;
}

/** `YYYY-MM-DDTHH:MM`, the wall-clock form the API accepts for `run_at`. */
export function localDateTime(naive: number): string {
  return `${dayOf(naive)}T${timeOf(naive)}`;
}

const DAY_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;
const TIME_PATTERN = /^(\d{2}):(\d{2})$/;

/** Reads `YYYY-MM-DD` as naive midnight; NaN when it is not a real date. */
export function naiveFromDay(day: string): number {
  const m = DAY_PATTERN.exec(day);
  if (!m) return Number.NaN;
  const naive = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  return dayOf(naive) === day ? naive : Number.NaN;
}

/** Reads a date (`YYYY-MM-DD`) and time (`HH:MM`) as a naive time; NaN when either is invalid. */
export function naiveFrom(day: string, time: string): number {
  const t = TIME_PATTERN.exec(time);
  const midnight = naiveFromDay(day);
  if (!t || Number.isNaN(midnight)) return Number.NaN;
  const hour = Number(t[1]);
  const minute = Number(t[2]);
  if (hour > 23 || minute > 59) return Number.NaN;
  return midnight + hour * 60 * MINUTE + minute * MINUTE;
}

/** The calendar day (`YYYY-MM-DD`) an instant falls on in a zone. */
export function dayInZone(instant: number, timeZone: string): string {
  return dayOf(wallClock(instant, timeZone));
}

/** Adds whole days to a `YYYY-MM-DD` day. */
export function addDays(day: string, days: number): string {
  return dayOf(naiveFromDay(day) + days * DAY);
}
