import { formatDay } from '@/lib/format';

/** The periods the selector offers in one click, in days ending today (UTC). */
export const PRESET_DAYS = [7, 30, 90] as const;
export type PresetDays = (typeof PRESET_DAYS)[number];

/** The longest period the API accepts (its `MAX_WINDOW_DAYS`). */
export const MAX_PERIOD_DAYS = 366;

/**
 * What the reader asked to see: the last few UTC days, or a custom range of whole UTC days
 * (`YYYY-MM-DD`, both ends included).
 */
export type Period =
  { kind: 'preset'; days: PresetDays } | { kind: 'custom'; firstDay: string; lastDay: string };

/** The API's own default, so a bare dashboard link and `GET /kpis` agree. */
const DEFAULT_DAYS: PresetDays = 30;
export const DEFAULT_PERIOD: Period = { kind: 'preset', days: DEFAULT_DAYS };

/** The half-open window `[from, to)` sent to `GET /kpis`, as RFC 3339 instants. */
export type KpiWindow = { from: string; to: string };

const DAY_MS = 86_400_000;

function dayStart(day: string): number {
  return Date.parse(`${day}T00:00:00Z`);
}

function isCalendarDay(value: string | null): value is string {
  if (!value || !/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const start = dayStart(value);
  return !Number.isNaN(start) && new Date(start).toISOString().slice(0, 10) === value;
}

/** The UTC calendar day of an instant, as `YYYY-MM-DD`. */
export function utcDay(instant: Date | number): string {
  return new Date(instant).toISOString().slice(0, 10);
}

/** What is wrong with a custom range, and at which end. */
export type RangeError = { field: 'firstDay' | 'lastDay'; message: string };

/** Why a custom range cannot be asked for, or `null` when it can. */
export function customRangeError(firstDay: string, lastDay: string): RangeError | null {
  if (!isCalendarDay(firstDay)) return { field: 'firstDay', message: 'Pick the first day.' };
  if (!isCalendarDay(lastDay)) return { field: 'lastDay', message: 'Pick the last day.' };
  const days = (dayStart(lastDay) - dayStart(firstDay)) / DAY_MS + 1;
  if (days < 1) {
    return { field: 'lastDay', message: 'The last day must not be before the first day.' };
  }
  if (days > MAX_PERIOD_DAYS) {
    return { field: 'firstDay', message: `Pick at most ${MAX_PERIOD_DAYS} days.` };
  }
  return null;
}

/**
 * Reads the period from the address (`?period=7d`, or `?from=YYYY-MM-DD&to=YYYY-MM-DD` with both
 * days included); anything unreadable falls back to the default.
 */
export function periodFromParams(params: URLSearchParams): Period {
  const from = params.get('from');
  const to = params.get('to');
  if (from !== null && to !== null && customRangeError(from, to) === null) {
    return { kind: 'custom', firstDay: from, lastDay: to };
  }
  const preset = PRESET_DAYS.find((days) => params.get('period') === `${days}d`);
  return preset ? { kind: 'preset', days: preset } : DEFAULT_PERIOD;
}

/** The address parameters that name a period (none for the default). */
export function periodToParams(period: Period): Record<string, string> {
  if (period.kind === 'custom') return { from: period.firstDay, to: period.lastDay };
  return period.days === DEFAULT_DAYS ? {} : { period: `${period.days}d` };
}

/**
 * The window of whole UTC days the period covers. A preset ends at the coming UTC midnight so
 * that today is its last day and the API's daily series has exactly `days` entries.
 */
export function periodWindow(period: Period, now: Date): KpiWindow {
  if (period.kind === 'custom') {
    return toWindow(dayStart(period.firstDay), dayStart(period.lastDay) + DAY_MS);
  }
  const end = dayStart(utcDay(now)) + DAY_MS;
  return toWindow(end - period.days * DAY_MS, end);
}

function toWindow(from: number, to: number): KpiWindow {
  return { from: new Date(from).toISOString(), to: new Date(to).toISOString() };
}

/** The first and last UTC days of a window (its `to` is exclusive). */
export function windowDays(range: KpiWindow): { firstDay: string; lastDay: string } {
  return { firstDay: utcDay(Date.parse(range.from)), lastDay: utcDay(Date.parse(range.to) - 1) };
}

/** "Mar 1 – Mar 30, 2026": the days a window covers, for headings. */
export function describeWindow(range: KpiWindow): string {
  const { firstDay, lastDay } = windowDays(range);
  if (firstDay === lastDay) return formatDay(firstDay, { withYear: true });
  const sameYear = firstDay.slice(0, 4) === lastDay.slice(0, 4);
  return `${formatDay(firstDay, { withYear: !sameYear })} – ${formatDay(lastDay, { withYear: true })}`;
}
