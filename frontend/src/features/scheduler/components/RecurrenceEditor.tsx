import { clsx } from 'clsx';
import { useId, type ReactNode } from 'react';
import { ErrorDetails, TextField } from '@/components/ui/Field';
import { humanError } from '@/lib/humanErrors';
import { addDays } from '@/lib/zoned';
import {
  MAX_COUNT,
  MAX_INTERVAL,
  WEEKDAY_NAMES,
  WEEKDAYS,
  type Recurrence,
  type RecurrenceEnd,
  type Weekday,
} from '../recurrence';
import type { RepeatMode, ScheduleFormErrors } from '../scheduleForm';

const MODES: Array<{ value: RepeatMode; label: string }> = [
  { value: 'none', label: 'Once' },
  { value: 'daily', label: 'Daily' },
  { value: 'weekly', label: 'Weekly' },
  { value: 'monthly', label: 'Monthly' },
  { value: 'custom', label: 'Custom' },
];

const UNITS: Record<'daily' | 'weekly' | 'monthly', [string, string]> = {
  daily: ['day', 'days'],
  weekly: ['week', 'weeks'],
  monthly: ['month', 'months'],
};

const inputClass =
  'h-10 rounded-lg border bg-surface px-3 text-sm text-fg focus-visible:outline-2 focus-visible:outline-offset-1 focus-visible:outline-ring disabled:cursor-not-allowed disabled:opacity-50';

function border(error?: string) {
  return error ? 'border-danger' : 'border-border hover:border-muted/60';
}

function ErrorText({ id, children }: { id: string; children?: string }) {
  if (!children) return null;
  return (
    <p id={id} className="text-xs font-medium text-danger" role="alert">
      {children}
    </p>
  );
}

/** A row of radio buttons drawn as a segmented control. */
function Segmented<T extends string>({
  name,
  legend,
  options,
  value,
  onChange,
  describedBy,
  invalid,
}: {
  name: string;
  legend: ReactNode;
  options: Array<{ value: T; label: string }>;
  value: T;
  onChange: (value: T) => void;
  describedBy?: string;
  /** Marks the chosen option invalid: it is where focus goes to fix the group. */
  invalid?: boolean;
}) {
  return (
    <fieldset aria-describedby={describedBy}>
      <legend className="mb-1.5 text-sm font-medium">{legend}</legend>
      <div className="flex flex-wrap gap-1 rounded-lg border border-border bg-surface-2 p-1">
        {options.map((o) => (
          <label key={o.value} className="min-w-16 flex-1">
            <input
              type="radio"
              name={name}
              value={o.value}
              checked={value === o.value}
              onChange={() => onChange(o.value)}
              aria-invalid={invalid && value === o.value ? true : undefined}
              className="peer sr-only"
              data-testid={`repeat-${o.value}`}
            />
            <span
              className={clsx(
                'flex h-8 cursor-pointer items-center justify-center rounded-md px-2 text-sm font-medium text-muted transition-colors',
                'peer-checked:bg-surface peer-checked:text-fg peer-checked:shadow-sm hover:text-fg',
                'peer-focus-visible:outline-2 peer-focus-visible:outline-ring',
              )}
            >
              {o.label}
            </span>
          </label>
        ))}
      </div>
    </fieldset>
  );
}

type Props = {
  /** The start date (`YYYY-MM-DD`), from which a new end date is suggested. */
  startDate: string | null;
  mode: RepeatMode;
  recurrence: Recurrence;
  customRule: string;
  errors: ScheduleFormErrors;
  onMode: (mode: RepeatMode) => void;
  onChange: (recurrence: Recurrence) => void;
  onCustomRule: (rule: string) => void;
};

/** Once / daily / weekly on chosen days / monthly on a day, with an interval and an end. */
export function RecurrenceEditor({
  startDate,
  mode,
  recurrence: r,
  customRule,
  errors,
  onMode,
  onChange,
  onCustomRule,
}: Props) {
  const id = useId();
  const set = (patch: Partial<Recurrence>) => onChange({ ...r, ...patch });
  const setEnd = (end: RecurrenceEnd) => set({ end });
  const toggleDay = (day: Weekday, on: boolean) =>
    set({ weekdays: WEEKDAYS.filter((d) => (d === day ? on : r.weekdays.includes(d))) });
  // The API's parser errors read as code; `humanError` says them plainly, details on demand.
  const ruleError = humanError(errors.recurrence);
  // A custom rule's error belongs to the rule typed, shown at its field; the others to the mode.
  const modeError = mode === 'custom' ? null : ruleError;

  return (
    <div className="flex flex-col gap-4">
      <Segmented
        name={`${id}-mode`}
        legend="Repeats"
        options={MODES}
        value={mode}
        onChange={onMode}
        describedBy={modeError ? `${id}-recurrence-error` : undefined}
        invalid={Boolean(modeError)}
      />
      <ErrorText id={`${id}-recurrence-error`}>{modeError?.message}</ErrorText>
      <ErrorDetails detail={modeError?.detail} />

      {mode === 'custom' && (
        <TextField
          label="RRULE"
          value={customRule}
          onChange={(e) => onCustomRule(e.target.value)}
          error={ruleError?.message}
          errorDetail={ruleError?.detail}
          placeholder="FREQ=WEEKLY;BYDAY=MO,WE;COUNT=10"
          hint="An RFC 5545 rule: FREQ, INTERVAL, BYDAY, BYMONTHDAY, BYMONTH, BYHOUR, BYMINUTE, COUNT, UNTIL."
          spellCheck={false}
          autoCapitalize="characters"
          className="font-mono"
          data-testid="custom-rule"
        />
      )}

      {mode !== 'none' && mode !== 'custom' && (
        <>
          <div className="flex flex-col gap-1.5">
            <label htmlFor={`${id}-interval`} className="text-sm font-medium">
              Every
            </label>
            <div className="flex items-center gap-2">
              <input
                id={`${id}-interval`}
                type="number"
                inputMode="numeric"
                min={1}
                max={MAX_INTERVAL}
                value={Number.isNaN(r.interval) ? '' : r.interval}
                onChange={(e) => set({ interval: e.target.valueAsNumber })}
                className={clsx(inputClass, 'w-20', border(errors.interval))}
                aria-invalid={errors.interval ? true : undefined}
                aria-describedby={errors.interval ? `${id}-interval-error` : `${id}-unit`}
                data-testid="repeat-interval"
              />
              <span id={`${id}-unit`} className="text-sm text-muted">
                {UNITS[mode][r.interval === 1 ? 0 : 1]}
              </span>
            </div>
            <ErrorText id={`${id}-interval-error`}>{errors.interval}</ErrorText>
          </div>

          {mode === 'weekly' && (
            <fieldset
              aria-describedby={errors.weekdays ? `${id}-weekdays-error` : undefined}
              className="flex flex-col gap-1.5"
            >
              <legend className="mb-1.5 text-sm font-medium">On</legend>
              <div className="grid grid-cols-7 gap-1">
                {WEEKDAYS.map((d) => (
                  <label key={d} className="relative">
                    <input
                      type="checkbox"
                      checked={r.weekdays.includes(d)}
                      onChange={(e) => toggleDay(d, e.target.checked)}
                      aria-invalid={errors.weekdays ? true : undefined}
                      className="peer sr-only"
                      data-testid={`weekday-${d}`}
                    />
                    <span
                      className={clsx(
                        'flex h-10 cursor-pointer items-center justify-center rounded-lg border text-sm font-medium transition-colors',
                        'border-border text-muted hover:border-muted/60 hover:text-fg',
                        'peer-checked:border-accent peer-checked:bg-accent-soft peer-checked:text-accent-text',
                        'peer-focus-visible:outline-2 peer-focus-visible:outline-offset-1 peer-focus-visible:outline-ring',
                      )}
                    >
                      <span aria-hidden="true">{WEEKDAY_NAMES[d].slice(0, 2)}</span>
                      <span className="sr-only">{WEEKDAY_NAMES[d]}</span>
                    </span>
                  </label>
                ))}
              </div>
              <ErrorText id={`${id}-weekdays-error`}>{errors.weekdays}</ErrorText>
            </fieldset>
          )}

          {mode === 'monthly' && (
            <div className="flex flex-col gap-1.5">
              <label htmlFor={`${id}-monthday`} className="text-sm font-medium">
                On day
              </label>
              <select
                id={`${id}-monthday`}
                value={r.monthDay}
                onChange={(e) => set({ monthDay: Number(e.target.value) })}
                className={clsx(inputClass, 'w-28', border(errors.monthDay))}
                aria-describedby={`${id}-monthday-hint`}
                data-testid="repeat-monthday"
              >
                {Array.from({ length: 31 }, (_, i) => i + 1).map((d) => (
                  <option key={d} value={d}>
                    {d}
                  </option>
                ))}
              </select>
              <p id={`${id}-monthday-hint`} className="text-xs text-muted">
                {r.monthDay > 28
                  ? 'Months without this day are skipped.'
                  : 'Of every month it repeats in.'}
              </p>
            </div>
          )}

          <fieldset
            className="flex flex-col gap-2"
            aria-describedby={errors.end ? `${id}-end-error` : undefined}
          >
            <legend className="mb-1.5 text-sm font-medium">Ends</legend>
            <label className="flex min-h-10 items-center gap-2 text-sm">
              <input
                type="radio"
                name={`${id}-end`}
                checked={r.end.kind === 'never'}
                onChange={() => setEnd({ kind: 'never' })}
                className="size-4 accent-[var(--accent)]"
                data-testid="end-never"
              />
              Never
            </label>
            <div className="flex flex-wrap items-center gap-2 text-sm">
              <label className="flex min-h-10 items-center gap-2">
                <input
                  type="radio"
                  name={`${id}-end`}
                  checked={r.end.kind === 'count'}
                  onChange={() => setEnd({ kind: 'count', count: 10 })}
                  className="size-4 accent-[var(--accent)]"
                  data-testid="end-count"
                />
                After
              </label>
              <input
                type="number"
                inputMode="numeric"
                min={1}
                max={MAX_COUNT}
                aria-label="Number of posts"
                disabled={r.end.kind !== 'count'}
                value={r.end.kind === 'count' && !Number.isNaN(r.end.count) ? r.end.count : ''}
                onChange={(e) => setEnd({ kind: 'count', count: e.target.valueAsNumber })}
                aria-invalid={r.end.kind === 'count' && errors.end ? true : undefined}
                className={clsx(
                  inputClass,
                  'w-20',
                  border(r.end.kind === 'count' ? errors.end : undefined),
                )}
                data-testid="end-count-value"
              />
              <span className="text-muted">posts</span>
            </div>
            <div className="flex flex-wrap items-center gap-2 text-sm">
              <label className="flex min-h-10 items-center gap-2">
                <input
                  type="radio"
                  name={`${id}-end`}
                  checked={r.end.kind === 'until'}
                  onChange={() =>
                    setEnd({ kind: 'until', date: startDate ? addDays(startDate, 90) : '' })
                  }
                  className="size-4 accent-[var(--accent)]"
                  data-testid="end-until"
                />
                On
              </label>
              <input
                type="date"
                aria-label="Last date"
                disabled={r.end.kind !== 'until'}
                value={r.end.kind === 'until' ? r.end.date : ''}
                onChange={(e) => setEnd({ kind: 'until', date: e.target.value })}
                aria-invalid={r.end.kind === 'until' && errors.end ? true : undefined}
                className={clsx(
                  inputClass,
                  border(r.end.kind === 'until' ? errors.end : undefined),
                )}
                data-testid="end-until-value"
              />
            </div>
            <ErrorText id={`${id}-end-error`}>{errors.end}</ErrorText>
          </fieldset>
        </>
      )}
    </div>
  );
}
