import { useId, useMemo, useRef, useState, type FormEvent } from 'react';
import { flushSync } from 'react-dom';
import { Button } from '@/components/ui/Button';
import { TextField } from '@/components/ui/Field';
import { useToast } from '@/components/ui/Toast';
import { ApiError } from '@/lib/api/problem';
import { focusFirstInvalid } from '@/lib/focusFirstInvalid';
import type { FailedCheck, Schedule } from '@/lib/api/types';
import { browserTimeZone, isValidTimeZone, knownTimeZones, timeOf } from '@/lib/zoned';
import { dateTimeIn, channelLabel } from '../format';
import { useCreateSchedule, useUpdateSchedule } from '../queries';
import { describe } from '../recurrence';
import {
  createRequest,
  newScheduleState,
  preview,
  serverErrors,
  startOf,
  stateFromSchedule,
  updateRequest,
  validateSchedule,
  withMode,
  type ScheduleFormErrors,
  type ScheduleFormState,
} from '../scheduleForm';
import { ConnectorField } from './ConnectorField';
import { RecurrenceEditor } from './RecurrenceEditor';
import { VariantPicker } from './VariantPicker';

let zoneList: string[] | null = null;
function zones() {
  zoneList ??= knownTimeZones();
  return zoneList;
}

function summaryOf(state: ScheduleFormState): string {
  const start = startOf(state);
  const zone = state.timezone.trim();
  if (Number.isNaN(start)) return 'Pick a date and a time to see when this posts.';
  if (!isValidTimeZone(zone)) return 'Pick a time zone to see when this posts.';
  if (state.mode === 'custom') {
    const rule = state.customRule.trim() || '(no rule yet)';
    return `Custom rule ${rule}, starting ${state.date} at ${timeOf(start)} ${zone}`;
  }
  return describe(start, zone, { ...state.recurrence, frequency: state.mode });
}

const PREVIEW_NOTES = {
  incomplete: 'Finish the fields above to see the next dates.',
  'missing-time': 'That time does not exist on the start day in this zone.',
  custom: 'Kyros works out the dates of a custom rule when you save.',
  'no-dates': 'No more posts: this rule has no dates left.',
} as const;

type Props = {
  /** The accepted post to schedule; without it (and `existing`) the form asks for one. */
  variant?: { id: string; channel: string } | null;
  /** A stored schedule to reschedule (PATCH) instead of creating one. */
  existing?: Schedule;
  onSaved: (schedule: Schedule) => void;
  onCancel: () => void;
};

/** When and how often a post goes out: date, time, zone, recurrence and connector. */
export function ScheduleForm({ variant, existing, onSaved, onCancel }: Props) {
  const id = useId();
  const toast = useToast();
  const [now] = useState(() => Date.now());
  const [form, setForm] = useState<ScheduleFormState>(() =>
    existing
      ? stateFromSchedule(existing)
      : newScheduleState(variant?.id ?? '', browserTimeZone(), now),
  );
  const [errors, setErrors] = useState<ScheduleFormErrors>({});
  const formRef = useRef<HTMLFormElement>(null);
  /** The checks the API gave for refusing to schedule the post. */
  const [refusedChecks, setRefusedChecks] = useState<FailedCheck[]>([]);
  /** The channel of the post picked in the form, when none was given. */
  const [pickedChannel, setPickedChannel] = useState<string | null>(null);
  const channel = variant?.channel ?? existing?.channel ?? pickedChannel;
  const create = useCreateSchedule();
  const update = useUpdateSchedule();
  const saving = create.isPending || update.isPending;

  const next = useMemo(() => preview(form, now), [form, now]);
  const summary = summaryOf(form);
  const zone = form.timezone.trim();
  const myZone = browserTimeZone();

  function change(patch: Partial<ScheduleFormState>, clear: Array<keyof ScheduleFormErrors>) {
    setForm((f) => ({ ...f, ...patch }));
    setErrors((e) => {
      const rest = { ...e };
      for (const key of clear) delete rest[key];
      return rest;
    });
  }

  /** Shows `found` at their controls; the first control named takes focus. */
  function showErrors(found: ScheduleFormErrors) {
    flushSync(() => setErrors(found));
    focusFirstInvalid(formRef.current);
  }

  async function handleSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    setRefusedChecks([]);
    const found = validateSchedule(form, { now: Date.now(), existing });
    if (Object.keys(found).length > 0) {
      showErrors(found);
      return;
    }
    setErrors({});
    try {
      const saved = existing
        ? await update.mutateAsync({ id: existing.id, body: updateRequest(form, existing) })
        : await create.mutateAsync(createRequest(form));
      const when = saved.next_run_at
        ? `Next: ${dateTimeIn(saved.next_run_at, saved.timezone)} (${saved.timezone})`
        : undefined;
      toast.success(
        existing ? 'Schedule updated' : `${channelLabel(saved.channel)} post scheduled`,
        when,
      );
      onSaved(saved);
    } catch (err) {
      if (err instanceof ApiError && err.checks.length > 0) {
        setRefusedChecks(err.checks);
        return;
      }
      const fields = err instanceof ApiError ? serverErrors(err.fieldMap()) : {};
      showErrors(fields);
      if (Object.keys(fields).length === 0) {
        toast.error(
          existing ? 'Could not update the schedule' : 'Could not schedule the post',
          err instanceof ApiError ? err.userMessage : 'Please try again.',
        );
      }
    }
  }

  return (
    <form
      ref={formRef}
      noValidate
      onSubmit={handleSubmit}
      aria-label={existing ? 'Reschedule' : 'Schedule a post'}
    >
      <div className="flex flex-col gap-5">
        {!variant && !existing && (
          <VariantPicker
            value={form.variantId}
            onChange={(variantId, picked) => {
              // An account publishes posts of its own network only: another channel drops it.
              const keepsAccount = form.connector !== 'account' || picked === pickedChannel;
              change(
                { variantId, ...(keepsAccount ? {} : { connector: 'file', connectionId: null }) },
                ['variant_id', 'connection_id'],
              );
              setPickedChannel(picked);
              setRefusedChecks([]);
            }}
            error={errors.variant_id}
          />
        )}
        {(variant || existing) && errors.variant_id && (
          <p className="text-sm font-medium text-danger" role="alert">
            {errors.variant_id}
          </p>
        )}
        {refusedChecks.length > 0 && (
          <div role="alert" className="rounded-lg border border-danger/40 bg-danger-soft p-3">
            <p className="text-sm font-medium text-danger">
              Not scheduled: the post fails these checks. Fix it in the Studio first.
            </p>
            <ul className="mt-1.5 list-disc pl-5 text-sm">
              {refusedChecks.map((check, i) => (
                <li key={i}>{check.message}</li>
              ))}
            </ul>
          </div>
        )}

        <div className="grid gap-3 sm:grid-cols-2">
          <TextField
            label={form.mode === 'none' ? 'Date' : 'Starts on'}
            type="date"
            value={form.date}
            onChange={(e) => change({ date: e.target.value }, ['date', 'run_at', 'end'])}
            error={errors.date ?? errors.run_at}
            required
            data-autofocus={variant || existing ? true : undefined}
            data-testid="schedule-date"
          />
          <TextField
            label="Time"
            type="time"
            value={form.time}
            onChange={(e) => change({ time: e.target.value }, ['time', 'run_at'])}
            error={errors.time}
            required
            data-testid="schedule-time"
          />
        </div>
        <TextField
          label="Time zone"
          value={form.timezone}
          onChange={(e) => change({ timezone: e.target.value }, ['timezone', 'run_at'])}
          list={`${id}-zones`}
          autoComplete="off"
          spellCheck={false}
          error={errors.timezone}
          hint={
            zone === myZone
              ? 'Your time zone. Repeating posts keep this local time across daylight saving.'
              : `Your time zone is ${myZone}.`
          }
          data-testid="schedule-timezone"
        />
        <datalist id={`${id}-zones`}>
          {zones().map((z) => (
            <option key={z} value={z} />
          ))}
        </datalist>

        <RecurrenceEditor
          startDate={form.date || null}
          mode={form.mode}
          recurrence={form.recurrence}
          customRule={form.customRule}
          errors={errors}
          onMode={(mode) => {
            setForm((f) => withMode(f, mode));
            setErrors(({ recurrence: _r, interval: _i, weekdays: _w, end: _e, ...rest }) => rest);
          }}
          onChange={(recurrence) =>
            change({ recurrence }, ['recurrence', 'interval', 'weekdays', 'monthDay', 'end'])
          }
          onCustomRule={(customRule) => change({ customRule }, ['recurrence'])}
        />

        <ConnectorField
          channel={channel}
          connector={form.connector}
          connectionId={form.connectionId}
          offerAccounts={!existing}
          error={errors.connector}
          accountError={errors.connection_id}
          onChange={(connector, connectionId) =>
            change({ connector, connectionId }, ['connector', 'connection_id'])
          }
        />

        <section
          aria-labelledby={`${id}-summary-title`}
          className="rounded-xl border border-accent/30 bg-accent-soft/40 p-4"
        >
          <h3
            id={`${id}-summary-title`}
            className="text-xs font-semibold tracking-wide text-muted uppercase"
          >
            Summary
          </h3>
          <p
            className="mt-1 text-sm font-medium"
            aria-live="polite"
            data-testid="recurrence-summary"
          >
            {summary}
          </p>
          <h3 className="mt-3 text-xs font-semibold tracking-wide text-muted uppercase">
            Next {next.instants.length > 1 ? `${next.instants.length} posts` : 'post'}
          </h3>
          {next.instants.length > 0 ? (
            <ol
              className="mt-1 flex flex-col gap-1 text-sm tabular-nums"
              data-testid="occurrence-preview"
            >
              {next.instants.map((at) => (
                <li key={at} className="flex flex-wrap items-baseline gap-x-2">
                  <time dateTime={new Date(at).toISOString()}>{dateTimeIn(at, zone)}</time>
                  {zone !== myZone && (
                    <span className="text-xs text-muted">{dateTimeIn(at, myZone)} your time</span>
                  )}
                </li>
              ))}
            </ol>
          ) : (
            <p className="mt-1 text-sm text-muted" data-testid="occurrence-preview-empty">
              {next.reason ? PREVIEW_NOTES[next.reason] : null}
            </p>
          )}
        </section>
      </div>

      <div className="sticky -bottom-4 z-10 -mx-5 mt-5 -mb-4 flex flex-wrap justify-end gap-2 border-t border-border bg-surface px-5 py-3">
        <Button variant="ghost" onClick={onCancel}>
          Cancel
        </Button>
        <Button type="submit" variant="primary" loading={saving} data-testid="schedule-save">
          {existing ? 'Save changes' : 'Schedule'}
        </Button>
      </div>
    </form>
  );
}
