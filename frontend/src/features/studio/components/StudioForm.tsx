import { clsx } from 'clsx';
import { useEffect, useState, type FormEvent } from 'react';
import { Button } from '@/components/ui/Button';
import { Card } from '@/components/ui/Card';
import { Checkbox, SelectField, TextAreaField, TextField } from '@/components/ui/Field';
import { useToast } from '@/components/ui/Toast';
import { SparkIcon } from '@/components/ui/icons';
import { ApiError } from '@/lib/api/problem';
import { CHANNEL_LABELS, CHANNELS, type Channel } from '@/lib/api/types';
import { newIdempotencyKey } from '@/lib/format';
import { loadJSON, saveJSON, storageKeys } from '@/lib/storage';
import { useCreateJob } from '@/features/jobs/queries';
import { usePresets } from '@/features/settings/queries';

type SourceType = 'text' | 'markdown';

type FormState = {
  name: string;
  content: string;
  sourceType: SourceType;
  channels: Channel[];
  presetId: string;
  idempotencyKey: string;
};

type Errors = Partial<Record<'name' | 'content' | 'channels', string>>;

function initialState(): FormState {
  const saved = loadJSON<Partial<FormState>>(storageKeys.studioForm);
  return {
    name: saved?.name ?? '',
    content: saved?.content ?? '',
    sourceType: saved?.sourceType === 'text' ? 'text' : 'markdown',
    channels: Array.isArray(saved?.channels)
      ? CHANNELS.filter((c) => saved.channels?.includes(c))
      : [...CHANNELS],
    presetId: saved?.presetId ?? '',
    idempotencyKey: saved?.idempotencyKey ?? newIdempotencyKey(),
  };
}

const SOURCE_TABS = [
  { id: 'paste', label: 'Paste text', enabled: true },
  { id: 'url', label: 'URL', enabled: false },
  { id: 'file', label: 'File', enabled: false },
  { id: 'transcript', label: 'Transcript', enabled: false },
] as const;

function validate(s: FormState): Errors {
  const e: Errors = {};
  if (!s.name.trim()) e.name = 'Give this job a name.';
  else if (s.name.length > 200) e.name = 'Use at most 200 characters.';
  if (!s.content.trim()) e.content = 'Paste the article you want to repurpose.';
  if (s.channels.length === 0) e.channels = 'Pick at least one channel.';
  return e;
}

export function StudioForm({ onCreated }: { onCreated: (jobId: string) => void }) {
  const [form, setForm] = useState<FormState>(initialState);
  const [errors, setErrors] = useState<Errors>({});
  const presets = usePresets();
  const create = useCreateJob();
  const toast = useToast();

  useEffect(() => {
    saveJSON(storageKeys.studioForm, form);
  }, [form]);

  const set = <K extends keyof FormState>(key: K, value: FormState[K]) =>
    setForm((f) => ({ ...f, [key]: value }));

  function toggleChannel(c: Channel, on: boolean) {
    setForm((f) => ({
      ...f,
      channels: CHANNELS.filter((x) => (x === c ? on : f.channels.includes(x))),
    }));
  }

  async function handleSubmit(e: FormEvent) {
    e.preventDefault();
    const found = validate(form);
    setErrors(found);
    if (Object.keys(found).length > 0) return;
    try {
      const job = await create.mutateAsync({
        idempotencyKey: form.idempotencyKey,
        body: {
          name: form.name.trim(),
          source: { type: form.sourceType, content: form.content },
          channels: form.channels,
          preset_id: form.presetId || null,
        },
      });
      setForm((f) => ({ ...f, name: '', content: '', idempotencyKey: newIdempotencyKey() }));
      onCreated(job.id);
    } catch (err) {
      const apiError = err instanceof ApiError ? err : null;
      const fields = apiError?.fieldMap() ?? {};
      const next: Errors = {};
      if (fields.name) next.name = fields.name;
      if (fields['source.content'] ?? fields.source)
        next.content = fields['source.content'] ?? fields.source;
      if (fields.channels) next.channels = fields.channels;
      setErrors(next);
      if (Object.keys(next).length === 0) {
        toast.error('Could not start generating', apiError?.userMessage ?? 'Please try again.');
      }
    }
  }

  return (
    <Card className="p-4 sm:p-6">
      <form noValidate onSubmit={handleSubmit} className="flex flex-col gap-5" aria-label="New job">
        <TextField
          label="Name"
          placeholder="e.g. Four-day week announcement"
          value={form.name}
          onChange={(e) => set('name', e.target.value)}
          error={errors.name}
          maxLength={200}
          data-testid="job-name"
        />

        <div className="flex flex-col gap-2">
          <div
            role="tablist"
            aria-label="Source"
            className="flex flex-wrap gap-1 rounded-lg bg-surface-2 p-1"
          >
            {SOURCE_TABS.map((t) => (
              <button
                key={t.id}
                type="button"
                role="tab"
                id={`source-tab-${t.id}`}
                aria-selected={t.id === 'paste'}
                aria-controls={t.id === 'paste' ? 'source-panel-paste' : undefined}
                disabled={!t.enabled}
                title={t.enabled ? undefined : 'Coming soon'}
                className={clsx(
                  'inline-flex items-center gap-1.5 rounded-md px-3 py-1.5 text-sm font-medium',
                  t.id === 'paste'
                    ? 'bg-surface text-fg shadow-sm'
                    : 'cursor-not-allowed text-muted',
                )}
              >
                {t.label}
                {!t.enabled && (
                  <span className="rounded bg-bg px-1.5 py-px text-[10px] tracking-wide uppercase">
                    Soon
                  </span>
                )}
              </button>
            ))}
          </div>
          <p className="text-xs text-muted">
            Importing from a URL, a file or a transcript is coming soon. For now, paste the text.
          </p>
        </div>

        <div
          id="source-panel-paste"
          role="tabpanel"
          aria-labelledby="source-tab-paste"
          className="flex flex-col gap-3"
        >
          <TextAreaField
            label="Article"
            placeholder="Paste your article here…"
            value={form.content}
            onChange={(e) => set('content', e.target.value)}
            error={errors.content}
            rows={10}
            hint={`${Array.from(form.content).length.toLocaleString('en-US')} characters`}
            data-testid="source-text"
          />
          <SelectField
            label="Source format"
            value={form.sourceType}
            onChange={(e) => set('sourceType', e.target.value as SourceType)}
            className="sm:w-56"
          >
            <option value="markdown">Markdown</option>
            <option value="text">Plain text</option>
          </SelectField>
        </div>

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
