import { useState, type ReactNode } from 'react';
import { Button } from '@/components/ui/Button';
import { Card } from '@/components/ui/Card';
import { EmptyState, ErrorState, LoadingBlock, PageHeader, Skeleton } from '@/components/ui/States';
import { useToast } from '@/components/ui/Toast';
import { UsageCompact } from '@/components/usage/UsageMeters';
import { ApiError } from '@/lib/api/problem';
import { CHANNEL_LABELS, isChannel, type Preset } from '@/lib/api/types';
import { formatDate } from '@/lib/format';
import { usePageTitle } from '@/lib/usePageTitle';
import { useMe } from '@/lib/auth/queries';
import { usePresets } from '@/lib/presets';
import { AnalyticsSettings } from './AnalyticsSettings';
import { ApiTokens } from './ApiTokens';
import { PresetForm } from './PresetForm';
import { useDeletePreset } from './queries';
import { WebhookSettings } from './WebhookSettings';

function message(e: unknown) {
  return e instanceof ApiError ? e.userMessage : 'Please try again.';
}

function Profile() {
  const me = useMe();
  return (
    <Card className="self-start p-5">
      <h2 className="mb-4 font-semibold">Profile</h2>
      {me.isPending ? (
        <div role="status" className="flex flex-col gap-2">
          <span className="sr-only">Loading…</span>
          <Skeleton className="h-5 w-2/3" />
          <Skeleton className="h-5 w-1/3" />
        </div>
      ) : me.isError ? (
        <ErrorState message={message(me.error)} onRetry={() => void me.refetch()} />
      ) : (
        <dl className="grid grid-cols-[7rem_1fr] gap-y-3 text-sm" data-testid="profile">
          <dt className="text-muted">Email</dt>
          <dd className="break-all">{me.data.email}</dd>
          <dt className="text-muted">Role</dt>
          <dd className="capitalize">{me.data.role}</dd>
          <dt className="text-muted">Member since</dt>
          <dd data-dynamic>{formatDate(me.data.created_at)}</dd>
        </dl>
      )}
      <div className="mt-5 border-t border-border pt-5">
        <UsageCompact />
      </div>
    </Card>
  );
}

function PresetRow({ preset, onEdit }: { preset: Preset; onEdit: () => void }) {
  const del = useDeletePreset();
  const toast = useToast();
  const [confirming, setConfirming] = useState(false);
  return (
    <li className="flex flex-col gap-3 px-4 py-3 sm:flex-row sm:items-center">
      <div className="min-w-0 flex-1">
        <p className="font-medium">{preset.name}</p>
        <p className="text-xs text-muted">
          <span className="capitalize">{preset.tone}</span> ·{' '}
          {preset.channels.map((c) => (isChannel(c) ? CHANNEL_LABELS[c] : c)).join(', ')}
          {preset.params.hashtags ? ' · hashtags' : ''}
          {preset.params.emoji ? ' · emoji' : ''}
        </p>
      </div>
      <div className="flex gap-2">
        {confirming ? (
          <>
            <Button
              size="sm"
              variant="danger"
              loading={del.isPending}
              onClick={() =>
                del.mutate(preset.id, {
                  onSuccess: () => toast.success('Preset deleted'),
                  onError: (e) => toast.error('Could not delete the preset', message(e)),
                })
              }
            >
              Confirm delete
            </Button>
            <Button size="sm" variant="ghost" onClick={() => setConfirming(false)}>
              Keep
            </Button>
          </>
        ) : (
          <>
            <Button size="sm" onClick={onEdit} aria-label={`Edit preset ${preset.name}`}>
              Edit
            </Button>
            <Button
              size="sm"
              variant="ghost"
              onClick={() => setConfirming(true)}
              aria-label={`Delete preset ${preset.name}`}
            >
              Delete
            </Button>
          </>
        )}
      </div>
    </li>
  );
}

function Presets() {
  const presets = usePresets();
  const [editing, setEditing] = useState<Preset | 'new' | null>(null);
  return (
    <Card className="p-5">
      <div className="mb-4 flex items-center justify-between gap-3">
        <div>
          <h2 className="font-semibold">Presets</h2>
          <p className="text-sm text-muted">
            Reusable channel, tone and formatting choices for the Studio.
          </p>
        </div>
        {editing === null && (
          <Button
            variant="primary"
            size="sm"
            onClick={() => setEditing('new')}
            data-testid="preset-new"
          >
            New preset
          </Button>
        )}
      </div>
      {editing !== null ? (
        <PresetForm
          key={editing === 'new' ? 'new' : editing.id}
          preset={editing === 'new' ? null : editing}
          onDone={() => setEditing(null)}
        />
      ) : presets.isPending ? (
        <LoadingBlock label="Loading presets…" rows={2} />
      ) : presets.isError ? (
        <ErrorState message={message(presets.error)} onRetry={() => void presets.refetch()} />
      ) : presets.data.length === 0 ? (
        <EmptyState title="No presets yet">Create one to reuse your favourite settings.</EmptyState>
      ) : (
        <ul className="-mx-4 divide-y divide-border" data-testid="preset-list">
          {presets.data.map((p) => (
            <PresetRow key={p.id} preset={p} onEdit={() => setEditing(p)} />
          ))}
        </ul>
      )}
    </Card>
  );
}

/** `connections` is the panel of connected accounts, which the connections feature supplies
 * (`routes.tsx` puts the two together). */
export function SettingsPage({ connections }: { connections: ReactNode }) {
  usePageTitle('Settings');
  return (
    <div>
      <PageHeader
        title="Settings"
        description="Your presets, API tokens, connected accounts, webhook and account."
      />
      <div className="grid gap-6 lg:grid-cols-[minmax(0,2fr)_minmax(0,1fr)]">
        <div className="flex flex-col gap-6">
          <Presets />
          <ApiTokens />
          {connections}
          <WebhookSettings />
          <AnalyticsSettings />
        </div>
        <Profile />
      </div>
    </div>
  );
}
