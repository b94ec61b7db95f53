export function formatDate(iso: string): string {
  const d = new Date(iso);
  return d.toLocaleDateString(undefined, { year: 'numeric', month: 'short', day: 'numeric' });
}

export function formatDateTime(iso: string): string {
  const d = new Date(iso);
  return d.toLocaleString(undefined, {
    month: 'short',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
  });
}

export function newIdempotencyKey(): string {
  return typeof crypto !== 'undefined' && 'randomUUID' in crypto
    ? crypto.randomUUID()
    : `${Date.now()}-${Math.random().toString(16).slice(2)}`;
}

const SECONDS_PER_MINUTE = 60;
const MINUTES_PER_HOUR = 60;
const HOURS_PER_DAY = 24;

/**
 * A length of time in at most two units, rounded to the smaller one: "4 s", "12 min",
 * "2 h 5 min", "3 d 4 h". Anything under a second reads "< 1 s".
 */
export function formatDuration(seconds: number): string {
  if (seconds < 1) return '< 1 s';
  const wholeSeconds = Math.round(seconds);
  if (wholeSeconds < SECONDS_PER_MINUTE) return `${wholeSeconds} s`;
  const minutes = Math.round(seconds / SECONDS_PER_MINUTE);
  if (minutes < MINUTES_PER_HOUR) return `${minutes} min`;
  const hours = Math.floor(minutes / MINUTES_PER_HOUR);
  if (hours < HOURS_PER_DAY) return joinUnits(hours, 'h', minutes % MINUTES_PER_HOUR, 'min');
  const roundedHours = Math.round(seconds / (SECONDS_PER_MINUTE * MINUTES_PER_HOUR));
  return joinUnits(
    Math.floor(roundedHours / HOURS_PER_DAY),
    'd',
    roundedHours % HOURS_PER_DAY,
    'h',
  );
}

const SECONDS_PER_WEEK = 7 * HOURS_PER_DAY * MINUTES_PER_HOUR * SECONDS_PER_MINUTE;

/**
 * How long ago `iso` was, for recent things: "just now" under a minute (or a little in the future,
 * as clocks drift), "5 min ago", "2 h 5 min ago", then the date once it is a week old.
 */
export function formatTimeAgo(iso: string, now: number = Date.now()): string {
  const seconds = (now - Date.parse(iso)) / 1000;
  if (seconds < SECONDS_PER_MINUTE) return 'just now';
  if (seconds < SECONDS_PER_WEEK) return `${formatDuration(seconds)} ago`;
  return formatDate(iso);
}

function joinUnits(major: number, majorUnit: string, minor: number, minorUnit: string): string {
  return minor === 0 ? `${major} ${majorUnit}` : `${major} ${majorUnit} ${minor} ${minorUnit}`;
}

const percent = new Intl.NumberFormat(undefined, { style: 'percent', maximumFractionDigits: 1 });

/** A ratio between 0 and 1 as a percentage with at most one decimal: 0.5 → "50%". */
export function formatPercent(ratio: number): string {
  return percent.format(ratio);
}

const count = new Intl.NumberFormat();

/** A whole number with the reader's digit grouping: 1234 → "1,234". */
export function formatCount(value: number): string {
  return count.format(value);
}

/** A count with its noun in the right number: (1, 'job', 'jobs') → "1 job", 3 → "3 jobs". */
export function formatPlural(value: number, one: string, many: string): string {
  return `${formatCount(value)} ${value === 1 ? one : many}`;
}

/**
 * A calendar day (`YYYY-MM-DD`, as the API sends UTC days) without shifting it into the
 * reader's time zone: "Mar 5" or, with the year, "Mar 5, 2026".
 */
export function formatDay(day: string, { withYear = false }: { withYear?: boolean } = {}): string {
  return new Date(`${day}T00:00:00Z`).toLocaleDateString(undefined, {
    timeZone: 'UTC',
    month: 'short',
    day: 'numeric',
    ...(withYear ? { year: 'numeric' } : {}),
  });
}
