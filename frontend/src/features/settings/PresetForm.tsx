import { useState, type FormEvent } from 'react';
import { Button } from '@/components/ui/Button';
import { Checkbox, SelectField, TextField } from '@/components/ui/Field';
import { useToast } from '@/components/ui/Toast';
import { ApiError } from '@/lib/api/problem';
import {
  CHANNEL_LABELS,
  CHANNELS,
  DEFAULT_CHANNELS,
  TONES,
  X_FORMATS,
  type Channel,
  type Preset,
} from '@/lib/api/types';
import { useSavePreset } from './queries';

type Errors = Partial<
  Record<'name' | 'channels' | 'tone' | 'call_to_action' | 'mastodon_max_chars', string>
>;

/** The post lengths the API accepts for a Mastodon instance. */
const MASTODON_MAX_CHARS = { min: 100, max: 100_000 } as const;

export function PresetForm({ preset, onDone }: { preset: Preset | null; onDone: () => void }) {
  const [name, setName] = useState(preset?.name ?? '');
  const [channels, setChannels] = useState<string[]>(preset?.channels ?? [...DEFAULT_CHANNELS]);
  // What the select holds; the API names a tone it does not know.
  const [tone, setTone] = useState<string>(preset?.tone ?? 'professional');
  const [hashtags, setHashtags] = useState(preset?.params.hashtags ?? true);
  const [emoji, setEmoji] = useState(preset?.params.emoji ?? false);
  const [cta, setCta] = useState(preset?.params.call_to_action ?? '');
  const [xFormat, setXFormat] = useState(preset?.params.x_format ?? 'auto');
  const [mastodonMax, setMastodonMax] = useState(
    preset?.params.mastodon_max_chars?.toString() ?? '',
  );
  const [errors, setErrors] = useState<Errors>({});
  const save = useSavePreset();
  const toast = useToast();

  async function handleSubmit(e: FormEvent) {
    e.preventDefault();
    const found: Errors = {};
    if (!name.trim()) found.name = 'Give the preset a name.';
    if (channels.length === 0) found.channels = 'Pick at least one channel.';
    // The limit matters only to a preset that writes for Mastodon, where the field shows.
    const mastodonMaxChars =
      !channels.includes('mastodon') || mastodonMax.trim() === '' ? null : Number(mastodonMax);
    if (
      mastodonMaxChars !== null &&
      !(
        Number.isInteger(mastodonMaxChars) &&
        mastodonMaxChars >= MASTODON_MAX_CHARS.min &&
        mastodonMaxChars <= MASTODON_MAX_CHARS.max
      )
    )
      found.mastodon_max_chars = `Use a whole number from ${MASTODON_MAX_CHARS.min} to ${MASTODON_MAX_CHARS.max.toLocaleString('en-US')}, or leave it empty for 500.`;
    setErrors(found);
    if (Object.keys(found).length) return;
    try {
      await save.mutateAsync({
        id: preset?.id ?? null,
        body: {
          name: name.trim(),
          channels,
          tone,
          params: {
            hashtags,
            emoji,
            call_to_action: cta.trim() || null,
            x_format: xFormat,
            mastodon_max_chars: mastodonMaxChars,
          },
        },
      });
      toast.success(preset ? 'Preset updated' : 'Preset created');
      onDone();
    } catch (err) {
      const fields = err instanceof ApiError ? err.fieldMap() : {};
      const next: Errors = {
        name: fields.name,
        channels: fields.channels,
        tone: fields.tone,
        call_to_action: fields['params.call_to_action'],
        mastodon_max_chars: fields['params.mastodon_max_chars'],
      };
      setErrors(next);
      if (!Object.values(next).some(Boolean)) {
        toast.error(
          'Could not save the preset',
          err instanceof ApiError ? err.userMessage : undefined,
        );
      }
    }
  }

  const toggle = (c: Channel, on: boolean) =>
    setChannels((cs) => CHANNELS.filter((x) => (x === c ? on : cs.includes(x))));

  return (
    <form
      noValidate
      onSubmit={handleSubmit}
      className="flex flex-col gap-4"
      aria-label={preset ? 'Edit preset' : 'New preset'}
    >
      <TextField
        label="Preset name"
        value={name}
        onChange={(e) => setName(e.target.value)}
        error={errors.name}
        data-testid="preset-name"
      />
      <fieldset>
        <legend className="mb-2 text-sm font-medium">Channels</legend>
        <div className="flex flex-wrap gap-2">
          {CHANNELS.map((c) => (
            <Checkbox
              key={c}
              label={CHANNEL_LABELS[c]}
              checked={channels.includes(c)}
              onChange={(e) => toggle(c, e.target.checked)}
            />
          ))}
        </div>
        {errors.channels && (
          <p role="alert" className="mt-1 text-xs font-medium text-danger">
            {errors.channels}
          </p>
        )}
      </fieldset>
      <div className="grid gap-4 sm:grid-cols-2">
        <SelectField
          label="Tone"
          value={tone}
          onChange={(e) => setTone(e.target.value)}
          error={errors.tone}
        >
          {TONES.map((t) => (
            <option key={t} value={t}>
              {t[0].toUpperCase() + t.slice(1)}
            </option>
          ))}
        </SelectField>
        <SelectField
          label="X, Bluesky and Mastodon"
          value={xFormat}
          onChange={(e) => setXFormat(e.target.value)}
        >
          {X_FORMATS.map((f) => (
            <option key={f} value={f}>
              {f === 'auto' ? 'Automatic' : f === 'single' ? 'Single post' : 'Thread'}
            </option>
          ))}
        </SelectField>
      </div>
      <div className="flex flex-wrap gap-2">
        <Checkbox
          label="Add hashtags"
          checked={hashtags}
          onChange={(e) => setHashtags(e.target.checked)}
        />
        <Checkbox
          label="Allow an emoji"
          checked={emoji}
          onChange={(e) => setEmoji(e.target.checked)}
        />
      </div>
      {channels.includes('mastodon') && (
        <TextField
          label="Mastodon post limit (optional)"
          inputMode="numeric"
          placeholder="500"
          hint="Your instance's character limit, if it allows more than 500."
          value={mastodonMax}
          onChange={(e) => setMastodonMax(e.target.value)}
          error={errors.mastodon_max_chars}
        />
      )}
      <TextField
        label="Call to action (optional)"
        placeholder="e.g. Book a tasting at example.com"
        value={cta}
        onChange={(e) => setCta(e.target.value)}
        error={errors.call_to_action}
      />
      <div className="flex gap-2">
        <Button type="submit" variant="primary" loading={save.isPending} data-testid="preset-save">
          {preset ? 'Save changes' : 'Create preset'}
        </Button>
        <Button variant="ghost" onClick={onDone}>
          Cancel
        </Button>
      </div>
    </form>
  );
}
