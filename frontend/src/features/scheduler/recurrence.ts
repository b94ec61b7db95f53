/**
 * The recurrence editor's model: the RFC 5545 subset the console writes (daily, weekly on
 * chosen weekdays, monthly on a day of the month; an interval; never / COUNT / UNTIL), the
 * RRULE it produces, a sentence describing it and its next occurrences. Pure: times come in
 * as arguments.
 *
 * The expansion follows the API's (the `rrule` crate in the schedule's zone): weeks start on
 * Monday, the start time counts only when it matches the rule, months without the chosen day
 * are skipped, and wall-clock time is kept across daylight-saving changes.
 */

import {
  DAY,
  dayOf,
  naiveFromDay,
  naiveParts,
  occurrenceInstant,
  startInstant,
  timeOf,
  wallClock,
} from '@/lib/zoned';

export const WEEKDAYS = ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

export const WEEKDAY_NAMES: Record<Weekday, string> = {
  MO: 'Monday',
  TU: 'Tuesday',
  WE: 'Wednesday',
  TH: 'Thursday',
  FR: 'Friday',
  SA: 'Saturday',
  SU: 'Sunday',
};

export type Frequency = 'none' | 'daily' | 'weekly' | 'monthly';

export type RecurrenceEnd =
  | { kind: 'never' }
  | { kind: 'count'; count: number }
  /** The last day (`YYYY-MM-DD`, in the schedule's zone) that may have a post. */
  | { kind: 'until'; date: string };

export type Recurrence = {
  frequency: Frequency;
  /** Every `interval` days, weeks or months. */
  interval: number;
  /** Weekly: the days it posts on. */
  weekdays: Weekday[];
  /** Monthly: the day of the month, 1–31. */
  monthDay: number;
  end: RecurrenceEnd;
};

export const MAX_INTERVAL = 99;
export const MAX_COUNT = 999;

/** A one-off post; switching to a frequency starts from the start date's weekday and day. */
export function oneOff(): Recurrence {
  return { frequency: 'none', interval: 1, weekdays: [], monthDay: 1, end: { kind: 'never' } };
}

export function weekdayOf(day: string): Weekday {
  return WEEKDAYS[naiveParts(naiveFromDay(day)).weekday];
}

function sortWeekdays(days: readonly Weekday[]): Weekday[] {
  return WEEKDAYS.filter((d) => days.includes(d));
}

/** The RRULE for a recurrence, `null` for a one-off post. */
export function toRRule(r: Recurrence): string | null {
  if (r.frequency === 'none') return null;
  const parts = [`FREQ=${r.frequency.toUpperCase()}`];
  if (r.interval > 1) parts.push(`INTERVAL=${r.interval}`);
  if (r.frequency === 'weekly') parts.push(`BYDAY=${sortWeekdays(r.weekdays).join(',')}`);
  if (r.frequency === 'monthly') parts.push(`BYMONTHDAY=${r.monthDay}`);
  if (r.end.kind === 'count') parts.push(`COUNT=${r.end.count}`);
  // A floating UNTIL is wall-clock time in the schedule's zone: the end of that day.
  if (r.end.kind === 'until') parts.push(`UNTIL=${r.end.date.replaceAll('-', '')}T235959`);
  return parts.join(';');
}

const UNTIL_FLOATING = /^(\d{4})(\d{2})(\d{2})(?:T235959)?$/;

/**
 * Reads an RRULE back into the editor's model, or `null` when it uses anything the editor
 * cannot show (it is then kept as a custom rule). `startDay` fills in what the rule leaves
 * to the start date (the weekday of a bare weekly rule, the day of a bare monthly one).
 */
export function parseRRule(rule: string | null, startDay: string): Recurrence | null {
  if (rule === null || !rule.trim()) return oneOff();
  const body = rule.trim().replace(/^rrule:/i, '');
  const fields = new Map<string, string>();
  for (const part of body
    .split(';')
    .map((p) => p.trim())
    .filter(Boolean)) {
    const [key, value, ...rest] = part.split('=');
    if (value === undefined || rest.length > 0) return null;
    fields.set(key.trim().toUpperCase(), value.trim().toUpperCase());
  }
  const freq = fields.get('FREQ');
  if (freq !== 'DAILY' && freq !== 'WEEKLY' && freq !== 'MONTHLY') return null;
  const frequency = freq.toLowerCase() as Frequency;
  const known = new Set(['FREQ', 'INTERVAL', 'COUNT', 'UNTIL', 'WKST']);
  if (frequency === 'weekly') known.add('BYDAY');
  if (frequency === 'monthly') known.add('BYMONTHDAY');
  if ([...fields.keys()].some((k) => !known.has(k))) return null;
  if ((fields.get('WKST') ?? 'MO') !== 'MO') return null;

  const interval = fields.has('INTERVAL') ? Number(fields.get('INTERVAL')) : 1;
  if (!Number.isInteger(interval) || interval < 1 || interval > MAX_INTERVAL) return null;

  let weekdays: Weekday[] = [];
  if (frequency === 'weekly') {
    const days = fields.get('BYDAY')?.split(',') ?? [weekdayOf(startDay)];
    if (!days.every((d): d is Weekday => (WEEKDAYS as readonly string[]).includes(d))) return null;
    weekdays = sortWeekdays(days);
  }
  let monthDay = naiveParts(naiveFromDay(startDay)).day;
  if (frequency === 'monthly' && fields.has('BYMONTHDAY')) {
    monthDay = Number(fields.get('BYMONTHDAY'));
    if (!Number.isInteger(monthDay) || monthDay < 1 || monthDay > 31) return null;
  }

  let end: RecurrenceEnd = { kind: 'never' };
  const count = fields.get('COUNT');
  const until = fields.get('UNTIL');
  if (count !== undefined && until !== undefined) return null;
  if (count !== undefined) {
    const n = Number(count);
    if (!Number.isInteger(n) || n < 1 || n > MAX_COUNT) return null;
    end = { kind: 'count', count: n };
  }
  if (until !== undefined) {
    const m = UNTIL_FLOATING.exec(until);
    if (!m) return null;
    end = { kind: 'until', date: `${m[1]}-${m[2]}-${m[3]}` };
  }
  return { frequency, interval, weekdays, monthDay, end };
}

export type RecurrenceErrors = Partial<
  Record<'interval' | 'weekdays' | 'monthDay' | 'end', string>
>;

/** What is wrong with a recurrence before it is sent, keyed by the control to show it at. */
export function validateRecurrence(r: Recurrence, startDay: string): RecurrenceErrors {
  const errors: RecurrenceErrors = {};
  if (r.frequency === 'none') return errors;
  if (!Number.isInteger(r.interval) || r.interval < 1 || r.interval > MAX_INTERVAL) {
    errors.interval = `Use a whole number from 1 to ${MAX_INTERVAL}.`;
  }
  if (r.frequency === 'weekly' && r.weekdays.length === 0) {
    errors.weekdays = 'Pick at least one day of the week.';
  }
  if (
    r.frequency === 'monthly' &&
    (!Number.isInteger(r.monthDay) || r.monthDay < 1 || r.monthDay > 31)
  ) {
    errors.monthDay = 'Pick a day from 1 to 31.';
  }
  if (
    r.end.kind === 'count' &&
    (!Number.isInteger(r.end.count) || r.end.count < 1 || r.end.count > MAX_COUNT)
  ) {
    errors.end = `Use a whole number of posts from 1 to ${MAX_COUNT}.`;
  }
  if (r.end.kind === 'until') {
    if (Number.isNaN(naiveFromDay(r.end.date))) errors.end = 'Pick the last date.';
    else if (!Number.isNaN(naiveFromDay(startDay)) && r.end.date < startDay) {
      errors.end = 'The end date is before the start date.';
    }
  }
  return errors;
}

/** Any safety net against rules that never match (e.g. the 31st of every February). */
const MAX_PERIODS = 5_000;

/** Wall-clock (naive) candidates of a rule in order, from the period holding the start. */
function* candidates(r: Recurrence, start: number): Generator<number> {
  const time = ((start % DAY) + DAY) % DAY;
  const startDate = start - time;
  const step = Math.max(1, r.interval);
  if (r.frequency === 'daily') {
    for (let k = 0; k < MAX_PERIODS; k += 1) yield startDate + k * step * DAY + time;
    return;
  }
  if (r.frequency === 'weekly') {
    const weekStart = startDate - naiveParts(startDate).weekday * DAY;
    const offsets = sortWeekdays(r.weekdays).map((d) => WEEKDAYS.indexOf(d));
    for (let k = 0; k < MAX_PERIODS; k += 1) {
      for (const offset of offsets) yield weekStart + (k * step * 7 + offset) * DAY + time;
    }
    return;
  }
  const { year, month } = naiveParts(startDate);
  for (let k = 0; k < MAX_PERIODS; k += 1) {
    const first = Date.UTC(year, month - 1 + k * step, 1);
    const date = Date.UTC(year, month - 1 + k * step, r.monthDay);
    // Months without that day (the 31st of April) are skipped, as RFC 5545 requires.
    if (naiveParts(date).month === naiveParts(first).month) yield date + time;
  }
}

export type Expansion = {
  /** The occurrences, as instants, oldest first. */
  instants: number[];
  /** `start` is a wall-clock time the zone skips (clocks go forward). */
  startMissing: boolean;
};

/**
 * Occurrences of a schedule starting at `start` (naive wall-clock time in `timeZone`), those
 * at or after `notBefore` only, at most `limit` of them.
 */
export function expand(
  start: number,
  timeZone: string,
  r: Recurrence,
  { limit, notBefore = Number.NEGATIVE_INFINITY }: { limit: number; notBefore?: number },
): Expansion {
  const first = startInstant(start, timeZone);
  if (first === null) return { instants: [], startMissing: true };
  if (r.frequency === 'none') {
    return { instants: first >= notBefore ? [first] : [], startMissing: false };
  }
  const until =
    r.end.kind === 'until' ? startInstant(naiveFromDay(r.end.date) + DAY - 1000, timeZone) : null;
  const count = r.end.kind === 'count' ? r.end.count : Number.POSITIVE_INFINITY;
  const instants: number[] = [];
  let seen = 0;
  for (const naive of candidates(r, start)) {
    if (naive < start) continue;
    const instant = occurrenceInstant(naive, timeZone);
    if (instant === null || instant < first) continue;
    if (until !== null && instant > until) break;
    seen += 1;
    if (seen > count) break;
    if (instant >= notBefore) instants.push(instant);
    if (instants.length >= limit) break;
  }
  return { instants, startMissing: false };
}

const ORDINAL_RULES = new Intl.PluralRules('en-GB', { type: 'ordinal' });
const ORDINAL_SUFFIX: Record<string, string> = { one: 'st', two: 'nd', few: 'rd', other: 'th' };

export function ordinal(n: number): string {
  return `${n}${ORDINAL_SUFFIX[ORDINAL_RULES.select(n)] ?? 'th'}`;
}

function listOf(words: string[]): string {
  if (words.length <= 1) return words.join('');
  return `${words.slice(0, -1).join(', ')} and ${words[words.length - 1]}`;
}

const MONTH_NAMES = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];

/** "7 December 2026", spelled out the same in every browser. */
function longDate(naive: number): string {
  const p = naiveParts(naive);
  return `${p.day} ${MONTH_NAMES[p.month - 1]} ${p.year}`;
}

/** "Monday 7 December 2026". */
function longDay(naive: number): string {
  return `${WEEKDAY_NAMES[WEEKDAYS[naiveParts(naive).weekday]]} ${longDate(naive)}`;
}

const WORKING_DAYS: readonly Weekday[] = ['MO', 'TU', 'WE', 'TH', 'FR'];

function cadence(r: Recurrence): string {
  const every = (unit: string) =>
    r.interval === 1 ? `Every ${unit}` : `Every ${r.interval} ${unit}s`;
  if (r.frequency === 'daily') return every('day');
  if (r.frequency === 'monthly') return `${every('month')} on the ${ordinal(r.monthDay)}`;
  const days = sortWeekdays(r.weekdays);
  const working = days.length === 5 && WORKING_DAYS.every((d) => days.includes(d));
  if (r.interval === 1) {
    if (days.length === 7) return 'Every day';
    if (working) return 'Every weekday';
    return `Every ${listOf(days.map((d) => WEEKDAY_NAMES[d]))}`;
  }
  const on = working ? 'weekdays' : listOf(days.map((d) => WEEKDAY_NAMES[d]));
  return `Every ${r.interval} weeks on ${on}`;
}

/**
 * A sentence for a schedule, e.g. "Every 2 weeks on Monday and Thursday at 09:00
 * Europe/Berlin, 10 times". `start` is the naive wall-clock start in `timeZone`.
 */
export function describe(start: number, timeZone: string, r: Recurrence): string {
  const at = `at ${timeOf(start)} ${timeZone}`;
  if (r.frequency === 'none') return `Once on ${longDay(start)} ${at}`;
  const ending =
    r.end.kind === 'count'
      ? `, ${r.end.count} time${r.end.count === 1 ? '' : 's'}`
      : r.end.kind === 'until' && !Number.isNaN(naiveFromDay(r.end.date))
        ? `, until ${longDate(naiveFromDay(r.end.date))}`
        : '';
  return `${cadence(r)} ${at}${ending}`;
}

/** Describes a stored schedule; a rule the editor cannot show is quoted as it is. */
export function describeStored(
  runAt: string,
  timeZone: string,
  rule: string | null | undefined,
): string {
  const start = wallClock(Date.parse(runAt), timeZone);
  const parsed = parseRRule(rule ?? null, dayOf(start));
  if (parsed) return describe(start, timeZone, parsed);
  return `Custom rule ${rule} from ${longDay(start)} at ${timeOf(start)} ${timeZone}`;
}
