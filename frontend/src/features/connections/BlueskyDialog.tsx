import { useRef, useState, type FormEvent } from 'react';
import { flushSync } from 'react-dom';
import { Button } from '@/components/ui/Button';
import { Dialog } from '@/components/ui/Dialog';
import { TextField } from '@/components/ui/Field';
import { useToast } from '@/components/ui/Toast';
import { ApiError } from '@/lib/api/problem';
import type { Connection } from '@/lib/api/types';
import { focusFirstInvalid } from '@/lib/focusFirstInvalid';
import { humanConnectionError, type HumanError } from '@/lib/humanErrors';
import { accountLabel } from '@/lib/connections/networks';
import { useConnectBluesky } from '@/lib/connections/queries';
import { RefusalNotice } from './RefusalNotice';

type Field = 'handle' | 'app_password';
type Errors = Partial<Record<Field, HumanError>>;

function check(handle: string, appPassword: string): Errors {
  const errors: Errors = {};
  if (!handle) {
    errors.handle = { message: 'Enter the account’s handle, like you.bsky.social.', detail: null };
  }
  if (!appPassword) {
    errors.app_password = {
      message: 'Enter an app password, like abcd-efgh-ijkl-mnop.',
      detail: null,
    };
  }
  return errors;
}

/** Connects (or reconnects) a Bluesky account with its handle and an app password. */
export function BlueskyDialog({
  handle: initialHandle = '',
  known,
  onClose,
}: {
  /** The handle of an account to reconnect. */
  handle?: string;
  /** The accounts connected already, to tell a reconnection from a new account. */
  known: readonly Connection[];
  onClose: () => void;
}) {
  const [handle, setHandle] = useState(initialHandle.replace(/^@/, ''));
  const [appPassword, setAppPassword] = useState('');
  const [errors, setErrors] = useState<Errors>({});
  const [refusal, setRefusal] = useState<HumanError | null>(null);
  const formRef = useRef<HTMLFormElement>(null);
  const connect = useConnectBluesky();
  const toast = useToast();

  function showErrors(found: Errors) {
    flushSync(() => setErrors(found));
    focusFirstInvalid(formRef.current);
  }

  async function handleSubmit(e: FormEvent) {
    e.preventDefault();
    setRefusal(null);
    const body = { handle: handle.trim(), app_password: appPassword.trim() };
    const found = check(body.handle, body.app_password);
    if (Object.keys(found).length > 0) {
      showErrors(found);
      return;
    }
    setErrors({});
    try {
      const connection = await connect.mutateAsync(body);
      const again = known.some((c) => c.id === connection.id);
      toast.success(`${again ? 'Reconnected' : 'Connected'} ${accountLabel(connection)}`);
      onClose();
    } catch (err) {
      const fields = err instanceof ApiError ? err.fieldMap() : {};
      const onFields: Errors = {};
      for (const name of ['handle', 'app_password'] as const) {
        const said = humanConnectionError(fields[name]);
        if (said) onFields[name] = said;
      }
      if (Object.keys(onFields).length > 0) {
        showErrors(onFields);
      } else {
        setRefusal(
          humanConnectionError(err instanceof ApiError ? err.userMessage : 'Please try again.'),
        );
      }
    }
  }

  return (
    <Dialog
      title={initialHandle ? 'Reconnect a Bluesky account' : 'Connect a Bluesky account'}
      description="Kyros signs in with an app password, which you can revoke in Bluesky at any time."
      onClose={onClose}
      closeOnBackdrop={false}
      testId="bluesky-dialog"
    >
      <form
        ref={formRef}
        noValidate
        onSubmit={handleSubmit}
        aria-label="Bluesky account"
        className="flex flex-col gap-4"
      >
        <TextField
          label="Handle"
          value={handle}
          onChange={(e) => {
            setHandle(e.target.value);
            setErrors(({ handle: _h, ...rest }) => rest);
          }}
          error={errors.handle?.message}
          errorDetail={errors.handle?.detail}
          placeholder="you.bsky.social"
          autoComplete="username"
          autoCapitalize="none"
          spellCheck={false}
          data-autofocus={initialHandle ? undefined : true}
          data-testid="bluesky-handle"
        />
        <TextField
          label="App password"
          type="password"
          value={appPassword}
          onChange={(e) => {
            setAppPassword(e.target.value);
            setErrors(({ app_password: _p, ...rest }) => rest);
          }}
          error={errors.app_password?.message}
          errorDetail={errors.app_password?.detail}
          placeholder="abcd-efgh-ijkl-mnop"
          autoComplete="off"
          spellCheck={false}
          data-autofocus={initialHandle ? true : undefined}
          data-testid="bluesky-app-password"
        />
        <div className="flex flex-col gap-1 text-xs text-muted">
          <p>Create one in Bluesky under Settings → Privacy and security → App passwords.</p>
          <p>
            Kyros never asks for or keeps your main password: use an app password made for Kyros.
          </p>
        </div>
        {refusal && <RefusalNotice error={refusal} />}
        <div className="flex flex-wrap justify-end gap-2">
          <Button variant="ghost" onClick={onClose}>
            Cancel
          </Button>
          <Button
            type="submit"
            variant="primary"
            loading={connect.isPending}
            data-testid="bluesky-connect"
          >
            {initialHandle ? 'Reconnect' : 'Connect'}
          </Button>
        </div>
      </form>
    </Dialog>
  );
}
