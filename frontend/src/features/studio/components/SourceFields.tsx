import { clsx } from 'clsx';
import { useRef, useState, type KeyboardEvent } from 'react';
import { SelectField, TextAreaField, TextField } from '@/components/ui/Field';
import { ApiError } from '@/lib/api/problem';
import { humanError } from '@/lib/humanErrors';
import type { CreateJobRequest } from '@/lib/api/types';
import { uploadFile, type Upload } from '../uploads';

export type SourceTab = 'paste' | 'url' | 'file' | 'transcript';

export type SourceState = {
  tab: SourceTab;
  content: string;
  sourceType: 'text' | 'markdown';
  url: string;
  transcript: string;
  upload: Pick<Upload, 'id' | 'file_name' | 'characters' | 'title'> | null;
};

export type SourceErrors = Partial<Record<SourceTab, string>>;

export const ACCEPTED_FILES = '.txt,.md,.markdown,.mdx,.html,.htm,.srt,.vtt,.pdf,.docx';

const TABS: { id: SourceTab; label: string }[] = [
  { id: 'paste', label: 'Paste text' },
  { id: 'url', label: 'URL' },
  { id: 'file', label: 'File' },
  { id: 'transcript', label: 'Transcript' },
];

export function emptySource(): SourceState {
  return {
    tab: 'paste',
    content: '',
    sourceType: 'markdown',
    url: '',
    transcript: '',
    upload: null,
  };
}

/** What is missing before the selected source can be sent, per tab. */
export function validateSource(s: SourceState): SourceErrors {
  switch (s.tab) {
    case 'paste':
      return s.content.trim() ? {} : { paste: 'Paste the article you want to repurpose.' };
    case 'url':
      if (!s.url.trim()) return { url: 'Enter the address of the page.' };
      return /^https?:\/\/\S+$/i.test(s.url.trim())
        ? {}
        : { url: 'Use a full address starting with http:// or https://.' };
    case 'file':
      return s.upload ? {} : { file: 'Choose a file to upload.' };
    case 'transcript':
      return s.transcript.trim()
        ? {}
        : { transcript: 'Paste the transcript (SRT, WebVTT or "Speaker: line").' };
  }
}

/** The `source` of a job request for the selected tab. */
export function sourceRequest(s: SourceState): NonNullable<CreateJobRequest['source']> {
  switch (s.tab) {
    case 'paste':
      return { type: s.sourceType, content: s.content };
    case 'url':
      return { type: 'url', url: s.url.trim() };
    case 'file':
      return { type: 'upload', upload_id: s.upload?.id ?? '' };
    case 'transcript':
      return { type: 'transcript', content: s.transcript };
  }
}

/** Maps the API's source field errors back to the tab they belong to. */
export function sourceErrorsFrom(fields: Record<string, string>, tab: SourceTab): SourceErrors {
  const message =
    fields['source.content'] ?? fields['source.url'] ?? fields['source.upload_id'] ?? fields.source;
  return message ? { [tab]: message } : {};
}

type Props = {
  state: SourceState;
  errors: SourceErrors;
  onChange: (next: SourceState) => void;
};

export function SourceFields({ state, errors, onChange }: Props) {
  const tabRefs = useRef<Record<SourceTab, HTMLButtonElement | null>>({
    paste: null,
    url: null,
    file: null,
    transcript: null,
  });
  const set = (patch: Partial<SourceState>) => onChange({ ...state, ...patch });
  const urlError = humanError(errors.url);

  // Arrow keys move between tabs, as the ARIA tabs pattern expects.
  function onTabKey(e: KeyboardEvent<HTMLButtonElement>) {
    if (e.key !== 'ArrowRight' && e.key !== 'ArrowLeft') return;
    const index = TABS.findIndex((t) => t.id === state.tab);
    const next = TABS[(index + (e.key === 'ArrowRight' ? 1 : TABS.length - 1)) % TABS.length]!;
    set({ tab: next.id });
    tabRefs.current[next.id]?.focus();
  }

  return (
    <div className="flex flex-col gap-3">
      <div
        role="tablist"
        aria-label="Source"
        className="flex flex-wrap gap-1 rounded-lg bg-surface-2 p-1"
      >
        {TABS.map((t) => (
          <button
            key={t.id}
            ref={(el) => {
              tabRefs.current[t.id] = el;
            }}
            type="button"
            role="tab"
            id={`source-tab-${t.id}`}
            aria-selected={state.tab === t.id}
            aria-controls={`source-panel-${t.id}`}
            tabIndex={state.tab === t.id ? 0 : -1}
            onClick={() => set({ tab: t.id })}
            onKeyDown={onTabKey}
            data-testid={`source-tab-${t.id}`}
            className={clsx(
              'rounded-md px-3 py-1.5 text-sm font-medium',
              state.tab === t.id ? 'bg-surface text-fg shadow-sm' : 'text-muted hover:text-fg',
            )}
          >
            {t.label}
          </button>
        ))}
      </div>
      <div
        id={`source-panel-${state.tab}`}
        role="tabpanel"
        aria-labelledby={`source-tab-${state.tab}`}
        className="flex flex-col gap-3"
      >
        {state.tab === 'paste' && (
          <>
            <TextAreaField
              label="Article"
              placeholder="Paste your article here…"
              value={state.content}
              onChange={(e) => set({ content: e.target.value })}
              error={errors.paste}
              rows={10}
              hint={`${Array.from(state.content).length.toLocaleString('en-US')} characters`}
              data-testid="source-text"
            />
            <SelectField
              label="Source format"
              value={state.sourceType}
              onChange={(e) => set({ sourceType: e.target.value as SourceState['sourceType'] })}
              className="sm:w-56"
            >
              <option value="markdown">Markdown</option>
              <option value="text">Plain text</option>
            </SelectField>
          </>
        )}
        {state.tab === 'url' && (
          <TextField
            label="Web page URL"
            type="url"
            inputMode="url"
            placeholder="https://example.com/blog/our-news"
            value={state.url}
            onChange={(e) => set({ url: e.target.value })}
            error={urlError?.message}
            errorDetail={urlError?.detail}
            hint="We fetch the page once and keep only the article: no menus, ads or footers."
            data-testid="source-url"
          />
        )}
        {state.tab === 'file' && (
          <FileField state={state} error={errors.file} onChange={onChange} />
        )}
        {state.tab === 'transcript' && (
          <TextAreaField
            label="Transcript text"
            placeholder={'HOST: Welcome back to the show.\nGUEST: Thanks for having me.'}
            value={state.transcript}
            onChange={(e) => set({ transcript: e.target.value })}
            error={errors.transcript}
            rows={10}
            hint="SRT, WebVTT or “Speaker: line” text. Timestamps are dropped; speakers are kept."
            data-testid="source-transcript"
          />
        )}
      </div>
    </div>
  );
}

function FileField({
  state,
  error,
  onChange,
}: {
  state: SourceState;
  error?: string;
  onChange: (next: SourceState) => void;
}) {
  const [busy, setBusy] = useState(false);
  const [uploadError, setUploadError] = useState<string | null>(null);
  const shownError = humanError(uploadError ?? error);

  async function choose(file: File | undefined) {
    if (!file) return;
    setBusy(true);
    setUploadError(null);
    try {
      const upload = await uploadFile(file);
      onChange({ ...state, upload });
    } catch (e) {
      const apiError = e instanceof ApiError ? e : null;
      setUploadError(
        apiError?.fieldMap().file ??
          apiError?.userMessage ??
          'The upload failed. Please try again.',
      );
      onChange({ ...state, upload: null });
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="flex flex-col gap-2">
      <TextField
        label="File to upload"
        type="file"
        accept={ACCEPTED_FILES}
        onChange={(e) => void choose(e.target.files?.[0])}
        error={shownError?.message}
        errorDetail={shownError?.detail}
        disabled={busy}
        hint="Text, Markdown, HTML, SRT, WebVTT, PDF or Word (.docx), up to 10 MB."
        data-testid="source-file"
        className="file:mr-3 file:rounded file:border-0 file:bg-surface-2 file:px-2 file:py-1 file:text-fg"
      />
      {busy && <p className="text-xs text-muted">Reading the file…</p>}
      {state.upload && !busy && (
        <p className="text-xs text-muted" data-testid="upload-summary">
          <span className="font-medium text-fg">{state.upload.file_name}</span>:{' '}
          {state.upload.characters.toLocaleString('en-US')} characters of text
          {state.upload.title ? ` · “${state.upload.title}”` : ''}
        </p>
      )}
    </div>
  );
}
