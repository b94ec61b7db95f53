import { useEffect, useRef, useState, type FormEvent, type KeyboardEvent } from 'react';
import { flushSync } from 'react-dom';
import { Button } from '@/components/ui/Button';
import { Card } from '@/components/ui/Card';
import { Checkbox, SelectField, TextField } from '@/components/ui/Field';
import { useToast } from '@/components/ui/Toast';
import { SparkIcon } from '@/components/ui/icons';
import { ApiError } from '@/lib/api/problem';
import { CHANNEL_LABELS, CHANNELS, DEFAULT_CHANNELS, type Channel } from '@/lib/api/types';
import { focusFirstInvalid } from '@/lib/focusFirstInvalid';
import { newIdempotencyKey } from '@/lib/format';
import { loadJSON, saveJSON, storageKeys } from '@/lib/storage';
import { useCreateJob } from '@/lib/jobs/queries';
import { usePresets } from '@/lib/presets';
import {
  SourceFields,
  emptySource,
  sourceErrorsFrom,
  sourceRequest,
  validateSource,
  type SourceErrors,
  type SourceState,
} from './SourceFields';

type FormState = {
  name: string;
  source: SourceState;
  channels: Channel[];
  presetId: string;
  idempotencyKey: string;
};

type Errors = Partial<Record<'name' | 'channels', string>> & { source?: SourceErrors };

function initialState(): FormState {
  const saved = loadJSON<Partial<FormState>>(storageKeys.studioForm);
  return {
    name: saved?.name ?? '',
    source: { ...emptySource(), ...(saved?.source ?? {}) },
    channels: Array.isArray(saved?.channels)
      ? CHANNELS.filter((c) => saved.channels?.includes(c))
      : [...DEFAULT_CHANNELS],
    presetId: saved?.presetId ?? '',
    idempotencyKey: saved?.idempotencyKey ?? newIdempotencyKey(),
  };
}

function validate(s: FormState): Errors {
  const e: Errors = {};
  if (!s.name.trim()) e.name = 'Give this job a name.';
  else if (s.name.length > 200) e.name = 'Use at most 200 characters.';
  const source = validateSource(s.source);
  if (Object.keys(source).length > 0) e.source = source;
  if (s.channels.length === 0) e.channels = 'Pick at least one channel.';
  return e;
}

export function StudioForm({ onCreated }: { onCreated: (jobId: string) => void }) {
  const [form, setForm] = useState<FormState>(initialState);
  const [errors, setErrors] = useState<Errors>({});
  const formRef = useRef<HTMLFormElement>(null);
  const presets = usePresets();
  const create = useCreateJob();
  const toast = useToast();

  useEffect(() => {
    saveJSON(storageKeys.studioForm, form);
  }, [form]);

  // The idempotency key names one request: resending it unchanged (after a lost answer) must
  // not make a second job, while an edited form is a new request, which the API would refuse
  // under the old key.
  const set = <K extends keyof FormState>(key: K, value: FormState[K]) =>
    setForm((f) => ({ ...f, [key]: value, idempotencyKey: newIdempotencyKey() }));

  function toggleChannel(c: Channel, on: boolean) {
    setForm((f) => ({
      ...f,
      channels: CHANNELS.filter((x) => (x === c ? on : f.channels.includes(x))),
      idempotencyKey: newIdempotencyKey(),
    }));
  }

  /** Shows `found` at their fields; the first field named takes focus. */
  function showErrors(found: Errors) {
    flushSync(() => setErrors(found));
    focusFirstInvalid(formRef.current);
  }

  async function handleSubmit(e: FormEvent) {
    e.preventDefault();
    const found = validate(form);
    if (Object.keys(found).length > 0) {
      showErrors(found);
      return;
    }
    setErrors({});
    try {
      const job = await create.mutateAsync({
        idempotencyKey: form.idempotencyKey,
        body: {
          name: form.name.trim(),
          source: sourceRequest(form.source),
          channels: form.channels,
          preset_id: form.presetId || null,
        },
      });
      setForm((f) => ({
        ...f,
        name: '',
        source: { ...emptySource(), tab: f.source.tab, sourceType: f.source.sourceType },
        idempotencyKey: newIdempotencyKey(),
      }));
      onCreated(job.id);
    } catch (err) {
      const apiError = err instanceof ApiError ? err : null;
      const fields = apiError?.fieldMap() ?? {};
      const next: Errors = {};
      if (fields.name) next.name = fields.name;
      const source = sourceErrorsFrom(fields, form.source.tab);
      if (Object.keys(source).length > 0) next.source = source;
      if (fields.channels) next.channels = fields.channels;
      showErrors(next);
      if (Object.keys(next).length === 0) {
        toast.error('Could not start generating', apiError?.userMessage ?? 'Please try again.');
      }
    }
  }

  // Ctrl/⌘+Enter submits from any field, the source textarea included, where Enter alone
  // starts a new line. While a job is being created the button is disabled, and so is this.
  function submitOnModifiedEnter(e: KeyboardEvent<HTMLFormElement>) {
    if (e.key !== 'Enter' || !(e.ctrlKey || e.metaKey)) return;
    e.preventDefault();
    if (!create.isPending) e.currentTarget.requestSubmit();
  }

  return (
    <Card className="p-4 sm:p-6">
      <form
        ref={formRef}
        noValidate
        onSubmit={handleSubmit}
        onKeyDown={submitOnModifiedEnter}
        className="flex flex-col gap-5"
        aria-label="New job"
      >
        <TextField
          label="Name"
          placeholder="e.g. Four-day week announcement"
          value={form.name}
          onChange={(e) => set('name', e.target.value)}
          error={errors.name}
          maxLength={200}
          data-testid="job-name"
        />

        <SourceFields
          state={form.source}
          errors={errors.source ?? {}}
          onChange={(source) => set('source', source)}
        />

        <fieldset
          className="flex flex-col gap-2"
          aria-describedby={errors.channels ? 'channels-error' : undefined}
        >
          <legend className="mb-2 text-sm font-medium">Channels</legend>
          <div className="flex flex-wrap gap-2">
            {CHANNELS.map((c) => (
              <Checkbox
                key={c}
                label={CHANNEL_LABELS[c]}
                checked={form.channels.includes(c)}
                onChange={(e) => toggleChannel(c, e.target.checked)}
                aria-invalid={errors.channels ? true : undefined}
                data-testid={`channel-${c}`}
              />
            ))}
          </div>
          {errors.channels && (
            <p id="channels-error" role="alert" className="text-xs font-medium text-danger">
              {errors.channels}
            </p>
          )}
        </fieldset>

        <SelectField
          label="Preset (optional)"
          value={form.presetId}
          onChange={(e) => set('presetId', e.target.value)}
          className="sm:w-72"
          disabled={presets.isPending}
          hint={
            presets.isError
              ? 'Presets could not be loaded.'
              : 'Tone and formatting defaults from Settings.'
          }
          data-testid="preset"
        >
          <option value="">No preset</option>
          {presets.data?.map((p) => (
            <option key={p.id} value={p.id}>
              {p.name}
            </option>
          ))}
        </SelectField>

        <div className="flex flex-wrap items-center gap-3">
          <Button type="submit" variant="primary" loading={create.isPending} data-testid="generate">
            <SparkIcon width={16} height={16} />
            Generate
          </Button>
          <span className="text-xs text-muted">
            Your input is saved on this device until the job starts.
          </span>
        </div>
      </form>
    </Card>
  );
}
