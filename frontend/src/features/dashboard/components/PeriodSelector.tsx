import { useState, type FormEvent } from 'react';
import { Button } from '@/components/ui/Button';
import { TextField } from '@/components/ui/Field';
import {
  customRangeError,
  PRESET_DAYS,
  windowDays,
  type KpiWindow,
  type Period,
  type PresetDays,
  type RangeError,
} from '../period';

type Choice = PresetDays | 'custom';

const pill =
  'inline-flex h-9 cursor-pointer items-center justify-center rounded-lg px-3 text-sm font-medium text-muted ' +
  'hover:text-fg has-[:checked]:bg-accent-soft has-[:checked]:text-accent-text ' +
  'has-[:focus-visible]:outline-2 has-[:focus-visible]:outline-ring';

/**
 * Last 7, 30 or 90 days in one click, or a custom range of days applied with its own button
 * (so typing a date does not send a request per keystroke).
 */
export function PeriodSelector({
  period,
  shown,
  onChange,
}: {
  period: Period;
  /** The window now shown, to start a custom range from. */
  shown: KpiWindow;
  onChange: (period: Period) => void;
}) {
  const [editingCustom, setEditingCustom] = useState(period.kind === 'custom');
  const choice: Choice = editingCustom || period.kind === 'custom' ? 'custom' : period.days;

  function choose(next: Choice) {
    if (next === 'custom') {
      setEditingCustom(true);
      return;
    }
    setEditingCustom(false);
    onChange({ kind: 'preset', days: next });
  }

  return (
    <div className="flex flex-col gap-3">
      <fieldset>
        <legend className="mb-1.5 text-sm font-medium">Period</legend>
        <div
          className="grid grid-cols-2 gap-1 rounded-xl border border-border bg-surface p-1 sm:inline-flex"
          data-testid="period-selector"
        >
          {[...PRESET_DAYS, 'custom' as const].map((option) => (
            <label key={option} className={pill}>
              <input
                type="radio"
                name="dashboard-period"
                value={option}
                checked={choice === option}
                onChange={() => choose(option)}
                className="sr-only"
              />
              {option === 'custom' ? 'Custom' : `Last ${option} days`}
            </label>
          ))}
        </div>
      </fieldset>
      {choice === 'custom' && (
        <CustomRangeForm
          key={`${shown.from}/${shown.to}`}
          initial={windowDays(shown)}
          onApply={(firstDay, lastDay) => onChange({ kind: 'custom', firstDay, lastDay })}
        />
      )}
    </div>
  );
}

function CustomRangeForm({
  initial,
  onApply,
}: {
  initial: { firstDay: string; lastDay: string };
  onApply: (firstDay: string, lastDay: string) => void;
}) {
  const [firstDay, setFirstDay] = useState(initial.firstDay);
  const [lastDay, setLastDay] = useState(initial.lastDay);
  const [error, setError] = useState<RangeError | null>(null);

  function submit(event: FormEvent) {
    event.preventDefault();
    const problem = customRangeError(firstDay, lastDay);
    setError(problem);
    if (!problem) onApply(firstDay, lastDay);
  }

  return (
    <form
      onSubmit={submit}
      noValidate
      aria-label="Custom period"
      className="flex flex-col gap-2 sm:flex-row sm:items-start"
    >
      <TextField
        label="First day"
        type="date"
        value={firstDay}
        onChange={(e) => setFirstDay(e.target.value)}
        error={error?.field === 'firstDay' ? error.message : null}
        className="sm:w-44"
      />
      <TextField
        label="Last day"
        type="date"
        value={lastDay}
        onChange={(e) => setLastDay(e.target.value)}
        error={error?.field === 'lastDay' ? error.message : null}
        hint="Days are UTC days."
        className="sm:w-44"
      />
      <Button type="submit" variant="primary" className="sm:mt-7">
        Apply
      </Button>
    </form>
  );
}
