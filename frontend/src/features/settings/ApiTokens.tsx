import { useState, type FormEvent } from 'react';
import { Button } from '@/components/ui/Button';
import { Card } from '@/components/ui/Card';
import { Checkbox, SelectField, TextField } from '@/components/ui/Field';
import { EmptyState, ErrorState, LoadingBlock } from '@/components/ui/States';
import { useToast } from '@/components/ui/Toast';
import { ApiError } from '@/lib/api/problem';
import type { ApiToken } from '@/lib/api/types';
import { formatDate } from '@/lib/format';
import { OneTimeSecret } from './OneTimeSecret';
import { useApiTokens, useCreateApiToken, useRevokeApiToken } from './queries';

type Scope = 'read' | 'write';
type Errors = Partial<Record<'name' | 'scopes' | 'expires_in_days', string>>;

const LIFETIMES = [
  { value: '30', label: '30 days' },
  { value: '90', label: '90 days' },
  { value: '365', label: 'One year' },
  { value: '', label: 'Never (until revoked)' },
];

function message(e: unknown) {
  return e instanceof ApiError ? e.userMessage : 'Please try again.';
}

function TokenForm({
  onCreated,
  onCancel,
}: {
  onCreated: (token: string) => void;
  onCancel: () => void;
}) {
  const [name, setName] = useState('');
  const [scopes, setScopes] = useState<Scope[]>(['read']);
  const [lifetime, setLifetime] = useState('90');
  const [errors, setErrors] = useState<Errors>({});
  const create = useCreateApiToken();
  const toast = useToast();

  async function handleSubmit(e: FormEvent) {
    e.preventDefault();
    const found: Errors = {};
    if (!name.trim()) found.name = 'Say what the token is for.';
    if (scopes.length === 0) found.scopes = 'Pick at least one permission.';
    setErrors(found);
    if (Object.keys(found).length) return;
    try {
      const created = await create.mutateAsync({
        name: name.trim(),
        scopes,
        expires_in_days: lifetime ? Number(lifetime) : null,
      });
      onCreated(created.token);
    } catch (err) {
      const fields = err instanceof ApiError ? err.fieldMap() : {};
      const next: Errors = {
        name: fields.name,
        scopes: fields.scopes,
        expires_in_days: fields.expires_in_days,
      };
      setErrors(next);
      if (!Object.values(next).some(Boolean))
        toast.error('Could not create the token', message(err));
    }
  }

  const toggle = (scope: Scope, on: boolean) =>
    setScopes((current) =>
      (['read', 'write'] as const).filter((s) => (s === scope ? on : current.includes(s))),
    );

  return (
    <form
      noValidate
      onSubmit={handleSubmit}
      className="flex flex-col gap-4"
      aria-label="New API token"
    >
      <TextField
        label="Token name"
        value={name}
        onChange={(e) => setName(e.target.value)}
        error={errors.name}
        placeholder="Nightly export"
        data-testid="api-token-name"
      />
      <fieldset
        className="flex flex-col gap-2"
        aria-describedby={errors.scopes ? 'token-scopes-error' : undefined}
      >
        <legend className="mb-1 text-sm font-medium">Permissions</legend>
        <Checkbox
          label="Read (GET requests)"
          checked={scopes.includes('read')}
          onChange={(e) => toggle('read', e.target.checked)}
        />
        <Checkbox
          label="Write (create jobs, edit, schedule)"
          checked={scopes.includes('write')}
          onChange={(e) => toggle('write', e.target.checked)}
        />
        {errors.scopes && (
          <p id="token-scopes-error" className="text-xs font-medium text-danger" role="alert">
            {errors.scopes}
          </p>
        )}
      </fieldset>
      <SelectField
        label="Expires"
        value={lifetime}
        onChange={(e) => setLifetime(e.target.value)}
        error={errors.expires_in_days}
      >
        {LIFETIMES.map((option) => (
          <option key={option.value} value={option.value}>
            {option.label}
          </option>
        ))}
      </SelectField>
      <div className="flex gap-2">
        <Button
          type="submit"
          variant="primary"
          loading={create.isPending}
          data-testid="api-token-create"
        >
          Create token
        </Button>
        <Button type="button" variant="ghost" onClick={onCancel}>
          Cancel
        </Button>
      </div>
    </form>
  );
}

function TokenRow({ token }: { token: ApiToken }) {
  const revoke = useRevokeApiToken();
  const toast = useToast();
  const [confirming, setConfirming] = useState(false);
  return (
    <li className="flex flex-col gap-3 px-4 py-3 sm:flex-row sm:items-center">
      <div className="min-w-0 flex-1">
        <p className="font-medium">{token.name}</p>
        <p className="text-xs text-muted">
          <code>{token.prefix}…</code> · {token.scopes.join(' + ')} ·{' '}
          <span data-dynamic>
            {token.expires_at ? `expires ${formatDate(token.expires_at)}` : 'never expires'} ·{' '}
            {token.last_used_at ? `last used ${formatDate(token.last_used_at)}` : 'never used'}
          </span>
        </p>
      </div>
      {confirming ? (
        <div className="flex gap-2">
          <Button
            size="sm"
            variant="danger"
            loading={revoke.isPending}
            onClick={() =>
              revoke.mutate(token.id, {
                onSuccess: () => toast.success('Token revoked'),
                onError: (e) => toast.error('Could not revoke the token', message(e)),
              })
            }
          >
            Confirm revoke
          </Button>
          <Button size="sm" variant="ghost" onClick={() => setConfirming(false)}>
            Keep
          </Button>
        </div>
      ) : (
        <Button
          size="sm"
          variant="ghost"
          onClick={() => setConfirming(true)}
          aria-label={`Revoke token ${token.name}`}
        >
          Revoke
        </Button>
      )}
    </li>
  );
}

/** Personal API tokens for scripts: create (shown once), list, revoke. */
export function ApiTokens() {
  const tokens = useApiTokens();
  const [mode, setMode] = useState<'list' | 'new'>('list');
  const [created, setCreated] = useState<string | null>(null);
  return (
    <Card className="p-5">
      <div className="mb-4 flex items-center justify-between gap-3">
        <div>
          <h2 className="font-semibold">API tokens</h2>
          <p className="text-sm text-muted">
            For scripts: send one as <code>Authorization: Bearer kyr_…</code>.
          </p>
        </div>
        {mode === 'list' && !created && (
          <Button
            variant="primary"
            size="sm"
            onClick={() => setMode('new')}
            data-testid="api-token-new"
          >
            New token
          </Button>
        )}
      </div>
      {created ? (
        <OneTimeSecret
          value={created}
          name="token"
          onDone={() => setCreated(null)}
          testId="api-token-value"
        />
      ) : mode === 'new' ? (
        <TokenForm
          onCreated={(token) => {
            setCreated(token);
            setMode('list');
          }}
          onCancel={() => setMode('list')}
        />
      ) : tokens.isPending ? (
        <LoadingBlock label="Loading tokens…" rows={2} />
      ) : tokens.isError ? (
        <ErrorState message={message(tokens.error)} onRetry={() => void tokens.refetch()} />
      ) : tokens.data.length === 0 ? (
        <EmptyState title="No API tokens">Create one to use Kyros from a script.</EmptyState>
      ) : (
        <ul className="-mx-4 divide-y divide-border" data-testid="api-token-list">
          {tokens.data.map((token) => (
            <TokenRow key={token.id} token={token} />
          ))}
        </ul>
      )}
    </Card>
  );
}
