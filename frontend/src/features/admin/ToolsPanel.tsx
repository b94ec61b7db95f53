import { clsx } from 'clsx';
import { useId, useRef, useState, type FormEvent } from 'react';
import { Button } from '@/components/ui/Button';
import { Card } from '@/components/ui/Card';
import { TextAreaField, TextField } from '@/components/ui/Field';
import { LoadingBlock } from '@/components/ui/States';
import { Switch } from '@/components/ui/Switch';
import { useToast } from '@/components/ui/Toast';
import { ApiError } from '@/lib/api/problem';
import type { Tool, ToolConfig, ToolKind } from '@/lib/api/types';
import { formatDateTime } from '@/lib/format';
import { AdminError } from './AdminPage';
import { useTools, useUpdateTool } from './queries';

/** The server-side limits of a tool's settings (`tools/model.rs`). */
const LIMITS = { display_name: 80, description: 500, model: 100 } as const;

const KINDS: Record<ToolKind, { label: string; role: string; off: string }> = {
  provider: {
    label: 'Provider',
    role: 'Writes variants',
    off: 'New jobs cannot use it.',
  },
  connector: {
    label: 'Connector',
    role: 'Publishes scheduled posts',
    off: 'Schedules cannot publish through it.',
  },
};

/** What the server needs before a tool can work; secrets never go through the console. */
const SETUP: Record<string, string> = { openai: 'set OPENAI_API_KEY' };

type ConfigField = keyof typeof LIMITS;
type ConfigErrors = Partial<Record<ConfigField | 'config', string>>;

function message(e: unknown) {
  return e instanceof ApiError ? e.userMessage : 'Please try again.';
}

function Availability({ tool }: { tool: Tool }) {
  const [label, style] = !tool.configured
    ? [
        `Not configured: ${SETUP[tool.key] ?? 'the server is not set up for it'}`,
        'border-warning/40 bg-warning/10 text-warning',
      ]
    : tool.enabled
      ? ['Available', 'border-success/40 bg-success/10 text-success']
      : ['Disabled', 'border-border bg-surface-2 text-muted'];
  return (
    <span
      className={clsx(
        'inline-flex items-center gap-1.5 rounded-full border px-2.5 py-0.5 text-xs font-medium',
        style,
      )}
      data-testid={`tool-status-${tool.key}`}
    >
      <span aria-hidden="true" className="size-1.5 rounded-full bg-current" />
      {label}
    </span>
  );
}

function validate(config: Record<ConfigField, string>, withModel: boolean): ConfigErrors {
  const errors: ConfigErrors = {};
  if (!config.display_name.trim()) errors.display_name = 'Give the tool a name people recognise.';
  for (const field of Object.keys(LIMITS) as ConfigField[]) {
    if (field === 'model' && !withModel) continue;
    if (config[field].trim().length > LIMITS[field]) {
      errors[field] = `Use at most ${LIMITS[field]} characters.`;
    }
  }
  return errors;
}

function ToolForm({ tool, onDone }: { tool: Tool; onDone: () => void }) {
  const withModel = tool.key === 'openai';
  const [values, setValues] = useState<Record<ConfigField, string>>({
    display_name: tool.config.display_name,
    description: tool.config.description ?? '',
    model: tool.config.model ?? '',
  });
  const [errors, setErrors] = useState<ConfigErrors>({});
  const save = useUpdateTool();
  const toast = useToast();

  function set(field: ConfigField, value: string) {
    setValues((v) => ({ ...v, [field]: value }));
    setErrors(({ [field]: _cleared, ...rest }) => rest);
  }

  async function handleSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const found = validate(values, withModel);
    setErrors(found);
    if (Object.keys(found).length) return;
    // `config` replaces the whole config, so every setting is sent; only openai takes a model.
    const config: ToolConfig = {
      display_name: values.display_name.trim(),
      description: values.description.trim() || null,
      ...(withModel ? { model: values.model.trim() || null } : {}),
    };
    try {
      await save.mutateAsync({ key: tool.key, body: { config } });
      toast.success(`${config.display_name} saved`);
      onDone();
    } catch (err) {
      const fields = err instanceof ApiError ? err.fieldMap() : {};
      const next: ConfigErrors = {
        display_name: fields['config.display_name'],
        description: fields['config.description'],
        model: fields['config.model'],
        config: fields.config,
      };
      setErrors(next);
      if (!Object.values(next).some(Boolean)) toast.error('Could not save the tool', message(err));
    }
  }

  return (
    <form
      noValidate
      onSubmit={handleSubmit}
      className="flex flex-col gap-4"
      aria-label={`Edit ${tool.config.display_name}`}
    >
      <TextField
        label="Display name"
        value={values.display_name}
        onChange={(e) => set('display_name', e.target.value)}
        error={errors.display_name}
        autoFocus
        data-testid={`tool-name-${tool.key}`}
      />
      <TextAreaField
        label="Description (optional)"
        value={values.description}
        onChange={(e) => set('description', e.target.value)}
        error={errors.description}
        rows={3}
      />
      {withModel && (
        <TextField
          label="Model (optional)"
          value={values.model}
          onChange={(e) => set('model', e.target.value)}
          error={errors.model}
          placeholder="gpt-4o-mini"
          hint="Leave empty to use the server’s OPENAI_MODEL."
          spellCheck={false}
          autoComplete="off"
        />
      )}
      {errors.config && (
        <p role="alert" className="text-xs font-medium text-danger">
          {errors.config}
        </p>
      )}
      <div className="flex gap-2">
        <Button
          type="submit"
          variant="primary"
          size="sm"
          loading={save.isPending}
          data-testid={`tool-save-${tool.key}`}
        >
          Save
        </Button>
        <Button size="sm" variant="ghost" onClick={onDone}>
          Cancel
        </Button>
      </div>
    </form>
  );
}

function ToolCard({ tool }: { tool: Tool }) {
  const titleId = useId();
  const errorId = useId();
  const [editing, setEditing] = useState(false);
  const editButton = useRef<HTMLButtonElement>(null);
  const [enabledError, setEnabledError] = useState<string | null>(null);
  const toggle = useUpdateTool();
  const toast = useToast();
  const kind = KINDS[tool.kind];
  const name = tool.config.display_name;

  function onToggle(enabled: boolean) {
    setEnabledError(null);
    toggle.mutate(
      { key: tool.key, body: { enabled } },
      {
        onSuccess: (saved) =>
          toast.success(`${saved.config.display_name} ${saved.enabled ? 'enabled' : 'disabled'}`),
        onError: (err) => {
          const field = err instanceof ApiError ? err.fieldMap().enabled : undefined;
          if (field) setEnabledError(field);
          else toast.error(`Could not ${enabled ? 'enable' : 'disable'} ${name}`, message(err));
        },
      },
    );
  }

  return (
    <Card className="flex flex-col p-5" data-testid={`tool-${tool.key}`}>
      <article aria-labelledby={titleId} className="flex flex-1 flex-col gap-4">
        <div className="flex items-start gap-3">
          <div className="min-w-0 flex-1">
            <h3 id={titleId} className="truncate font-semibold">
              {name}
            </h3>
            <p className="mt-0.5 flex flex-wrap items-center gap-x-2 gap-y-1 text-xs text-muted">
              <code className="rounded bg-surface-2 px-1.5 py-0.5 text-fg">{tool.key}</code>
              <span>
                {kind.label} · {kind.role}
              </span>
            </p>
          </div>
          <Switch
            checked={tool.enabled}
            onCheckedChange={onToggle}
            busy={toggle.isPending}
            aria-label={`Enable ${name}`}
            aria-describedby={enabledError ? errorId : undefined}
            aria-invalid={enabledError ? true : undefined}
            data-testid={`tool-toggle-${tool.key}`}
          />
        </div>
        {enabledError && (
          <p id={errorId} role="alert" className="-mt-2 text-xs font-medium text-danger">
            {enabledError}
          </p>
        )}

        {editing ? (
          <ToolForm
            tool={tool}
            onDone={() => {
              setEditing(false);
              requestAnimationFrame(() => editButton.current?.focus());
            }}
          />
        ) : (
          <>
            <div className="flex flex-col gap-2 text-sm">
              <p className={tool.config.description ? '' : 'text-muted'}>
                {tool.config.description ?? 'No description.'}
              </p>
              {tool.key === 'openai' && (
                <p className="text-xs text-muted">
                  Model:{' '}
                  {tool.config.model ? (
                    <code className="text-fg">{tool.config.model}</code>
                  ) : (
                    'the server’s OPENAI_MODEL'
                  )}
                </p>
              )}
            </div>
            <div className="mt-auto flex flex-col gap-1.5">
              <div className="flex flex-wrap items-center gap-2">
                <Availability tool={tool} />
              </div>
              {!tool.enabled && <p className="text-xs text-muted">{kind.off}</p>}
            </div>
            <div className="flex items-center justify-between gap-3 border-t border-border pt-3">
              <p className="text-xs text-muted" data-dynamic>
                Updated <time dateTime={tool.updated_at}>{formatDateTime(tool.updated_at)}</time>
              </p>
              <Button
                ref={editButton}
                size="sm"
                onClick={() => setEditing(true)}
                aria-label={`Edit ${name}`}
                data-testid={`tool-edit-${tool.key}`}
              >
                Edit
              </Button>
            </div>
          </>
        )}
      </article>
    </Card>
  );
}

/** `/admin/tools`: switch providers and connectors on or off, and name them. */
export function ToolsPanel() {
  const tools = useTools();
  return (
    <section aria-labelledby="admin-tools-title">
      <div className="mb-4">
        <h2 id="admin-tools-title" className="font-semibold">
          Tools
        </h2>
        <p className="text-sm text-muted">
          Providers write variants; connectors publish scheduled posts. Changes apply to new jobs
          and schedules at once. Secrets such as API keys stay in the server’s environment.
        </p>
      </div>
      {tools.isPending ? (
        <LoadingBlock label="Loading tools…" rows={2} />
      ) : tools.isError ? (
        <AdminError
          error={tools.error}
          title="Could not load the tools"
          onRetry={() => void tools.refetch()}
        />
      ) : (
        <div className="grid gap-4 md:grid-cols-2" data-testid="tool-list">
          {tools.data.map((tool) => (
            <ToolCard key={tool.key} tool={tool} />
          ))}
        </div>
      )}
    </section>
  );
}
