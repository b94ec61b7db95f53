/** The schedule form's state, its checks and the request it sends. Pure. */

import type { CreateScheduleRequest, Schedule, UpdateScheduleRequest } from '@/lib/api/types';
import {
  expand,
  oneOff,
  parseRRule,
  toRRule,
  validateRecurrence,
  weekdayOf,
  type Frequency,
  type Recurrence,
  type RecurrenceErrors,
} from './recurrence';
import {
  addDays,
  dayInZone,
  dayOf,
  isValidTimeZone,
  naiveFrom,
  naiveFromDay,
  naiveParts,
  startInstant,
  timeOf,
  wallClock,
} from '@/lib/zoned';

/** Where a post goes: the server's outbox, the user's webhook, or a connected account. */
export type Connector = 'file' | 'webhook' | 'account';
export type RepeatMode = Frequency | 'custom';

export type ScheduleFormState = {
  variantId: string;
  /** `YYYY-MM-DD` in `timezone`. */
  date: string;
  /** `HH:MM` in `timezone`. */
  time: string;
  timezone: string;
  mode: RepeatMode;
  /** The editor's rule; `mode` decides whether it is sent (its `frequency`: see `withMode`). */
  recurrence: Recurrence;
  /** The RRULE typed in custom mode. */
  customRule: string;
  connector: Connector;
  /** The connected account a post goes to, for connector `account`. */
  connectionId: string | null;
};

export type ScheduleFormErrors = RecurrenceErrors &
  Partial<
    Record<
      | 'variant_id'
      | 'date'
      | 'time'
      | 'run_at'
      | 'timezone'
      | 'recurrence'
      | 'connector'
      | 'connection_id',
      string
    >
  >;

export const DEFAULT_TIME = '09:00';

/** A new schedule: tomorrow at 09:00 in the browser's zone, once. */
export function newScheduleState(
  variantId: string,
  timezone: string,
  now: number,
): ScheduleFormState {
  const date = addDays(dayInZone(now, timezone), 1);
  return {
    variantId,
    date,
    time: DEFAULT_TIME,
    timezone,
    mode: 'none',
    recurrence: withStartDefaults(oneOff(), date),
    customRule: '',
    connector: 'file',
    connectionId: null,
  };
}

/** A stored schedule as the form shows it, in the schedule's own zone. */
export function stateFromSchedule(schedule: Schedule): ScheduleFormState {
  const start = wallClock(Date.parse(schedule.run_at), schedule.timezone);
  const date = dayOf(start);
  const parsed = parseRRule(schedule.recurrence ?? null, date);
  return {
    variantId: schedule.variant_id,
    date,
    time: timeOf(start),
    timezone: schedule.timezone,
    mode: parsed ? parsed.frequency : 'custom',
    recurrence: parsed ?? withStartDefaults(oneOff(), date),
    customRule: parsed ? '' : (schedule.recurrence ?? ''),
    connector: connectorOf(schedule.connector),
    connectionId: schedule.connection_id ?? null,
  };
}

function connectorOf(stored: string): Connector {
  return stored === 'webhook' || stored === 'account' ? stored : 'file';
}

/** Weekday and day of month taken from the start date, for when a frequency is picked. */
export function withStartDefaults(r: Recurrence, date: string): Recurrence {
  if (Number.isNaN(naiveFromDay(date))) return r;
  return { ...r, weekdays: [weekdayOf(date)], monthDay: naiveParts(naiveFromDay(date)).day };
}

/**
 * Switches the repeat mode. The first repeating rule starts from the start date's weekday and
 * day of month; after that the days the user chose are kept through any detour (once, custom,
 * another frequency), which is why `recurrence.frequency` keeps the last repeating frequency
 * instead of following the mode to `none` or `custom`.
 */
export function withMode(state: ScheduleFormState, mode: RepeatMode): ScheduleFormState {
  const repeating = mode !== 'none' && mode !== 'custom';
  if (!repeating) return { ...state, mode };
  const chosen = state.recurrence.frequency !== 'none';
  const base = chosen ? state.recurrence : withStartDefaults(state.recurrence, state.date);
  return { ...state, mode, recurrence: { ...base, frequency: mode } };
}

/** The rule the form describes: `null` once, the typed text in custom mode. */
export function ruleOf(state: ScheduleFormState): string | null {
  if (state.mode === 'custom') return state.customRule.trim() || null;
  return toRRule({ ...state.recurrence, frequency: state.mode });
}

export function startOf(state: ScheduleFormState): number {
  return naiveFrom(state.date, state.time);
}

export type Preview = {
  /** The next occurrences (instants), empty when the form cannot tell. */
  instants: number[];
  /** Why there is no preview, when there is none. */
  reason: 'incomplete' | 'missing-time' | 'custom' | 'no-dates' | null;
};

/** The next `limit` posts still to come, worked out in the browser like the API does. */
export function preview(state: ScheduleFormState, now: number, limit = 5): Preview {
  const start = startOf(state);
  if (Number.isNaN(start) || !isValidTimeZone(state.timezone)) {
    return { instants: [], reason: 'incomplete' };
  }
  if (state.mode === 'custom') return { instants: [], reason: 'custom' };
  const r: Recurrence = { ...state.recurrence, frequency: state.mode };
  if (Object.keys(validateRecurrence(r, state.date)).length > 0) {
    return { instants: [], reason: 'incomplete' };
  }
  const { instants, startMissing } = expand(start, state.timezone.trim(), r, {
    limit,
    notBefore: now,
  });
  if (startMissing) return { instants, reason: 'missing-time' };
  return { instants, reason: instants.length === 0 ? 'no-dates' : null };
}

/** Whether the start changed from the stored schedule, so `run_at` must be sent (and be ahead). */
export function startChanged(state: ScheduleFormState, existing: Schedule | undefined): boolean {
  if (!existing) return true;
  const before = stateFromSchedule(existing);
  return (
    before.date !== state.date ||
    before.time !== state.time ||
    before.timezone !== state.timezone.trim()
  );
}

/** Everything wrong with the form, before anything is sent. */
export function validateSchedule(
  state: ScheduleFormState,
  { now, existing }: { now: number; existing?: Schedule },
): ScheduleFormErrors {
  const errors: ScheduleFormErrors = {};
  if (!state.variantId) errors.variant_id = 'Pick the post to schedule.';
  if (Number.isNaN(naiveFromDay(state.date))) errors.date = 'Pick a date.';
  if (Number.isNaN(naiveFrom('2000-01-01', state.time))) errors.time = 'Pick a time.';
  const zoneOk = isValidTimeZone(state.timezone);
  if (!zoneOk) errors.timezone = 'Use an IANA time zone such as Europe/Berlin.';

  if (state.mode === 'custom') {
    if (!state.customRule.trim()) errors.recurrence = 'Write a rule such as FREQ=WEEKLY;BYDAY=MO.';
  } else {
    Object.assign(
      errors,
      validateRecurrence({ ...state.recurrence, frequency: state.mode }, state.date),
    );
  }
  if (errors.date || errors.time || !zoneOk) return errors;

  const p = preview(state, now);
  const start = startInstant(startOf(state), state.timezone.trim());
  if (p.reason === 'missing-time' || start === null) {
    errors.run_at = `${state.time} does not exist in ${state.timezone.trim()} that day: the clocks skip it. Pick another time.`;
  } else if (startChanged(state, existing) && start <= now) {
    errors.run_at =
      state.mode === 'none' || !existing
        ? 'Pick a time in the future.'
        : 'A new start must be in the future: move the start date too.';
  } else if (p.reason === 'no-dates' && !existing && !errors.recurrence) {
    errors.recurrence = 'This rule has no dates on or after the start.';
  }
  return errors;
}

/** A new schedule; naming a connected account is enough for the API to publish to it. */
export function createRequest(state: ScheduleFormState): CreateScheduleRequest {
  return {
    variant_id: state.variantId,
    run_at: `${state.date}T${state.time}`,
    timezone: state.timezone.trim(),
    recurrence: ruleOf(state),
    ...(state.connector === 'account'
      ? { connection_id: state.connectionId }
      : { connector: state.connector }),
  };
}

/** A reschedule: `run_at` only when the start moved (the API then requires it to be ahead). */
export function updateRequest(state: ScheduleFormState, existing: Schedule): UpdateScheduleRequest {
  return {
    ...(startChanged(state, existing)
      ? { run_at: `${state.date}T${state.time}`, timezone: state.timezone.trim() }
      : {}),
    recurrence: ruleOf(state),
    connector: state.connector,
  };
}

/** Server field names mapped to the controls that show them. */
export function serverErrors(fields: Record<string, string>): ScheduleFormErrors {
  const known = [
    'variant_id',
    'run_at',
    'timezone',
    'recurrence',
    'connector',
    'connection_id',
  ] as const;
  const errors: ScheduleFormErrors = {};
  for (const name of known) if (fields[name]) errors[name] = fields[name];
  const exdate = Object.keys(fields).find((f) => f.startsWith('exdates'));
  if (exdate && !errors.recurrence) errors.recurrence = fields[exdate];
  return errors;
}
