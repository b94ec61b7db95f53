import { useState, type FormEvent } from 'react';
import { Button } from '@/components/ui/Button';
import { Checkbox, ErrorDetails } from '@/components/ui/Field';
import { ApiError } from '@/lib/api/problem';
import type { AccountChoice, ChoosableAccount, Connection } from '@/lib/api/types';
import { humanConnectionError } from '@/lib/humanErrors';
import { NETWORK_LABELS } from '@/lib/connections/networks';
import { useChooseAccounts } from '@/lib/connections/queries';

const KIND_LABELS: Record<ChoosableAccount['kind'], string> = {
  profile: 'Your profile',
  page: 'Company page',
};

/**
 * What to connect when one consent can connect several accounts: a LinkedIn member's profile
 * and the company pages they administer. Each chosen account gets a connection of its own; the
 * choice works once.
 */
export function AccountChoicePicker({
  choice,
  onConnected,
}: {
  choice: AccountChoice;
  onConnected: (connected: Connection[]) => void;
}) {
  // Accounts connected already start ticked (a reconnection renews them), as does a lone one.
  const [picked, setPicked] = useState<string[]>(() =>
    choice.accounts
      .filter((account) => account.connected || choice.accounts.length === 1)
      .map((account) => account.id),
  );
  const choose = useChooseAccounts();
  const network = NETWORK_LABELS[choice.network];
  const refusal = choose.isError
    ? humanConnectionError(
        choose.error instanceof ApiError ? choose.error.userMessage : 'Please try again.',
      )
    : null;

  function toggle(id: string, on: boolean) {
    setPicked((current) => (on ? [...current, id] : current.filter((other) => other !== id)));
  }

  function submit(event: FormEvent) {
    event.preventDefault();
    // Sent in the order offered, whatever order they were ticked in.
    const accounts = choice.accounts.map((a) => a.id).filter((id) => picked.includes(id));
    choose.mutate(
      { choice: choice.choice, accounts },
      { onSuccess: (list) => onConnected(list.items) },
    );
  }

  return (
    <form onSubmit={submit} className="flex flex-col gap-4" data-testid="account-choice">
      <fieldset className="flex flex-col gap-2">
        <legend className="mb-2 text-base font-semibold">
          Choose what to connect on {network}
        </legend>
        {choice.accounts.map((account) => (
          <Checkbox
            key={account.id}
            checked={picked.includes(account.id)}
            onChange={(event) => toggle(account.id, event.target.checked)}
            label={
              <span className="flex flex-col">
                <span className="font-medium text-fg">{account.name}</span>
                <span className="text-xs text-muted">
                  {KIND_LABELS[account.kind]}
                  {account.connected && ' · connected already: its connection is renewed'}
                </span>
              </span>
            }
          />
        ))}
      </fieldset>
      {choice.notice && (
        <p role="note" className="text-sm text-muted">
          {choice.notice}
        </p>
      )}
      {refusal && (
        <div role="alert" className="flex flex-col gap-1 text-sm text-danger">
          <p>{refusal.message}</p>
          <ErrorDetails detail={refusal.detail} />
        </div>
      )}
      <Button
        type="submit"
        variant="primary"
        className="w-fit"
        disabled={picked.length === 0}
        loading={choose.isPending}
      >
        {picked.length > 1 ? `Connect ${picked.length} accounts` : 'Connect'}
      </Button>
    </form>
  );
}
