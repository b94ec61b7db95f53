import { useEffect, useState, type FormEvent } from 'react';
import { useLocation } from 'react-router';
import { Button } from '@/components/ui/Button';
import { Card } from '@/components/ui/Card';
import { TextField } from '@/components/ui/Field';
import { ErrorState, LoadingBlock } from '@/components/ui/States';
import { useToast } from '@/components/ui/Toast';
import { ApiError } from '@/lib/api/problem';
import type { WebhookSettings as Webhook } from '@/lib/api/types';
import { formatDateTime } from '@/lib/format';
import { humanWebhookUrlError, type HumanError } from '@/lib/humanErrors';
import { OneTimeSecret } from './OneTimeSecret';
import { useRotateWebhookSecret, useSaveWebhook, useWebhookSettings } from './queries';

/** The anchor the Scheduler links to when the webhook connector is not set up yet. */
export const WEBHOOK_SECTION_ID = 'webhook';

function message(e: unknown) {
  return e instanceof ApiError ? e.userMessage : 'Please try again.';
}

/** A quick check before asking the server, which also refuses private and unreachable hosts. */
function checkUrl(value: string): string | null {
  if (!value) return 'Enter the URL Kyros should send posts to.';
  try {
    const url = new URL(value);
    if (url.protocol === 'http:' || url.protocol === 'https:') return null;
  } catch {
    // Not a URL at all: the message below says what one looks like.
  }
  return 'Enter a full http:// or https:// URL, like https://hooks.example.com/kyros.';
}

function UrlForm({
  current,
  onSaved,
  onCancel,
}: {
  current: Webhook | null;
  onSaved: (saved: Webhook) => void;
  onCancel?: () => void;
}) {
  const [url, setUrl] = useState(current?.url ?? '');
  /** The console's own check, or the API's refusal said for people. */
  const [error, setError] = useState<HumanError | null>(null);
  const save = useSaveWebhook();
  const toast = useToast();

  async function handleSubmit(e: FormEvent) {
    e.preventDefault();
    const value = url.trim();
    const found = checkUrl(value);
    setError(found ? { message: found, detail: null } : null);
    if (found) return;
    try {
      onSaved(await save.mutateAsync(value));
    } catch (err) {
      const field = err instanceof ApiError ? err.fieldMap().url : undefined;
      setError(humanWebhookUrlError(field));
      if (!field) toast.error('Could not save the webhook', message(err));
    }
  }

  return (
    <form
      noValidate
      onSubmit={handleSubmit}
      className="flex flex-col gap-4"
      aria-label="Webhook URL"
    >
      <TextField
        label="Webhook URL"
        type="url"
        inputMode="url"
        value={url}
        onChange={(e) => {
          setUrl(e.target.value);
          setError(null);
        }}
        error={error?.message}
        errorDetail={error?.detail}
        placeholder="https://hooks.example.com/kyros"
        hint="A public http(s) address; Kyros refuses private and local networks."
        autoComplete="url"
        spellCheck={false}
        autoFocus={current !== null}
        data-testid="webhook-url"
      />
      <div className="flex gap-2">
        <Button type="submit" variant="primary" loading={save.isPending} data-testid="webhook-save">
          {current ? 'Save URL' : 'Set up webhook'}
        </Button>
        {onCancel && (
          <Button variant="ghost" onClick={onCancel}>
            Cancel
          </Button>
        )}
      </div>
    </form>
  );
}

function RotateSecret({ onRotated }: { onRotated: (secret: string) => void }) {
  const [confirming, setConfirming] = useState(false);
  const rotate = useRotateWebhookSecret();
  const toast = useToast();
  if (!confirming) {
    return (
      <Button
        size="sm"
        variant="ghost"
        onClick={() => setConfirming(true)}
        data-testid="webhook-rotate"
      >
        Rotate secret
      </Button>
    );
  }
  return (
    <div
      className="flex w-full flex-col gap-3 rounded-lg border border-danger/40 bg-danger-soft p-3"
      role="group"
      aria-labelledby="webhook-rotate-warning"
    >
      <p id="webhook-rotate-warning" className="text-sm">
        Deliveries signed with the current secret stop verifying at once. Update your receiver with
        the new secret right after rotating.
      </p>
      <div className="flex gap-2">
        <Button
          size="sm"
          variant="danger"
          loading={rotate.isPending}
          autoFocus
          data-testid="webhook-rotate-confirm"
          onClick={() =>
            rotate.mutate(undefined, {
              onSuccess: (saved) => {
                setConfirming(false);
                onRotated(saved.secret);
              },
              onError: (e) => toast.error('Could not rotate the secret', message(e)),
            })
          }
        >
          Rotate now
        </Button>
        <Button size="sm" variant="ghost" onClick={() => setConfirming(false)}>
          Keep the current secret
        </Button>
      </div>
    </div>
  );
}

/** Settings → Webhook: where the webhook connector posts, and the secret that signs it. */
export function WebhookSettings() {
  const webhook = useWebhookSettings();
  const [editing, setEditing] = useState(false);
  const [revealed, setRevealed] = useState<string | null>(null);
  const toast = useToast();
  const current = webhook.data ?? null;
  const { hash } = useLocation();
  const loaded = !webhook.isPending;

  // The router does not scroll to a hash; the Scheduler links here as /settings#webhook.
  useEffect(() => {
    if (loaded && hash === `#${WEBHOOK_SECTION_ID}`) {
      document.getElementById(WEBHOOK_SECTION_ID)?.scrollIntoView?.({ block: 'start' });
    }
  }, [hash, loaded]);

  return (
    <Card className="scroll-mt-20 p-5" id={WEBHOOK_SECTION_ID}>
      <section aria-labelledby="webhook-title">
        <div className="mb-4">
          <h2 id="webhook-title" className="font-semibold">
            Webhook
          </h2>
          <p className="text-sm text-muted">
            Posts scheduled through the Webhook connector are sent here as a signed JSON POST.
          </p>
        </div>
        {webhook.isPending ? (
          <LoadingBlock label="Loading the webhook…" rows={1} />
        ) : webhook.isError ? (
          <ErrorState message={message(webhook.error)} onRetry={() => void webhook.refetch()} />
        ) : (
          <div className="flex flex-col gap-4">
            {revealed && (
              <OneTimeSecret
                value={revealed}
                name="signing secret"
                onDone={() => setRevealed(null)}
                testId="webhook-secret-value"
              />
            )}
            {current === null || editing ? (
              <UrlForm
                current={current}
                onCancel={current ? () => setEditing(false) : undefined}
                onSaved={(saved) => {
                  setEditing(false);
                  if (current === null) {
                    setRevealed(saved.secret);
                    toast.success('Webhook set up', 'The Scheduler can now publish through it.');
                  } else {
                    toast.success('Webhook URL saved');
                  }
                }}
              />
            ) : (
              <>
                <dl className="grid gap-x-4 gap-y-2 text-sm sm:grid-cols-[8rem_minmax(0,1fr)]">
                  <dt className="text-muted">URL</dt>
                  <dd className="break-all" data-testid="webhook-current-url">
                    <code>{current.url}</code>
                  </dd>
                  <dt className="text-muted">Signing secret</dt>
                  <dd className="text-muted">Hidden: shown once, when set up or rotated</dd>
                  <dt className="text-muted">Set up</dt>
                  <dd data-dynamic>{formatDateTime(current.created_at)}</dd>
                  <dt className="text-muted">Last changed</dt>
                  <dd data-dynamic>{formatDateTime(current.updated_at)}</dd>
                </dl>
                <div className="flex flex-wrap gap-2">
                  <Button size="sm" onClick={() => setEditing(true)} data-testid="webhook-edit">
                    Change URL
                  </Button>
                  <RotateSecret
                    onRotated={(secret) => {
                      setRevealed(secret);
                      toast.success('Signing secret rotated');
                    }}
                  />
                </div>
              </>
            )}
            <p className="text-xs text-muted">
              Verify each delivery: the <code>Kyros-Signature: t=&lt;unix&gt;,v1=&lt;hex&gt;</code>{' '}
              header is an HMAC-SHA256 of <code>&lt;t&gt;.&lt;raw body&gt;</code> with the signing
              secret.
            </p>
          </div>
        )}
      </section>
    </Card>
  );
}
