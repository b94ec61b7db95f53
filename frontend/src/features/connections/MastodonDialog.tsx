import { useRef, useState, type FormEvent } from 'react';
import { flushSync } from 'react-dom';
import { Button } from '@/components/ui/Button';
import { Dialog } from '@/components/ui/Dialog';
import { TextField } from '@/components/ui/Field';
import { ApiError } from '@/lib/api/problem';
import { focusFirstInvalid } from '@/lib/focusFirstInvalid';
import { humanConnectionError, type HumanError } from '@/lib/humanErrors';
import { RefusalNotice } from './RefusalNotice';

/** The server of what was typed: "mastodon.social" also from "@you@mastodon.social". */
export function instanceOf(typed: string): string {
  const value = typed.trim();
  const at = value.lastIndexOf('@');
  return at >= 0 ? value.slice(at + 1).trim() : value;
}

/**
 * Asks which Mastodon server the account lives on, then hands over to `onContinue`, which sends
 * the browser to that server's consent page (and rejects with the API's refusal).
 */
export function MastodonDialog({
  onContinue,
  leaving,
  onClose,
}: {
  onContinue: (instance: string) => Promise<void>;
  /** Set while the consent page is being asked for or loading. */
  leaving: boolean;
  onClose: () => void;
}) {
  const [instance, setInstance] = useState('');
  const [error, setError] = useState<HumanError | null>(null);
  const [refusal, setRefusal] = useState<HumanError | null>(null);
  const formRef = useRef<HTMLFormElement>(null);

  function showError(found: HumanError) {
    flushSync(() => setError(found));
    focusFirstInvalid(formRef.current);
  }

  async function handleSubmit(e: FormEvent) {
    e.preventDefault();
    setRefusal(null);
    const value = instanceOf(instance);
    if (!value) {
      showError({ message: 'Enter your Mastodon server, like mastodon.social.', detail: null });
      return;
    }
    setError(null);
    try {
      await onContinue(value);
    } catch (err) {
      const field = err instanceof ApiError ? err.fieldMap().instance : undefined;
      const said = humanConnectionError(field);
      if (said) {
        showError(said);
      } else {
        setRefusal(
          humanConnectionError(err instanceof ApiError ? err.userMessage : 'Please try again.'),
        );
      }
    }
  }

  return (
    <Dialog
      title="Connect a Mastodon account"
      description="Your Mastodon server asks you to approve Kyros, then sends you back here."
      onClose={onClose}
      closeOnBackdrop={false}
      testId="mastodon-dialog"
    >
      <form
        ref={formRef}
        noValidate
        onSubmit={handleSubmit}
        aria-label="Mastodon server"
        className="flex flex-col gap-4"
      >
        <TextField
          label="Your Mastodon server"
          value={instance}
          onChange={(e) => {
            setInstance(e.target.value);
            setError(null);
          }}
          error={error?.message}
          errorDetail={error?.detail}
          placeholder="mastodon.social"
          hint="Where your account lives: for @you@mastodon.social, that is mastodon.social."
          inputMode="url"
          autoComplete="off"
          autoCapitalize="none"
          spellCheck={false}
          data-autofocus
          data-testid="mastodon-instance"
        />
        {refusal && <RefusalNotice error={refusal} />}
        <div className="flex flex-wrap justify-end gap-2">
          <Button variant="ghost" onClick={onClose}>
            Cancel
          </Button>
          <Button type="submit" variant="primary" loading={leaving} data-testid="mastodon-continue">
            Continue to Mastodon
          </Button>
        </div>
      </form>
    </Dialog>
  );
}
