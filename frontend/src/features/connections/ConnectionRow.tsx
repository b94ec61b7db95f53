import { useId, useRef, useState } from 'react';
import { flushSync } from 'react-dom';
import { Button } from '@/components/ui/Button';
import { useToast } from '@/components/ui/Toast';
import { AccountAvatar } from '@/components/connections/AccountAvatar';
import { ApiError } from '@/lib/api/problem';
import type { Connection } from '@/lib/api/types';
import { formatDate } from '@/lib/format';
import { humanConnectionError } from '@/lib/humanErrors';
import { accountLabel, instanceHost, NETWORK_LABELS } from '@/lib/connections/networks';
import { useDisconnect } from '@/lib/connections/queries';
import { SlotEditor } from './SlotEditor';

/** What to say when the API gives no reason for an account needing to be connected again. */
const NO_REASON = 'The network no longer accepts Kyros’s access to this account.';

function ConfirmDisconnect({ connection, onKeep }: { connection: Connection; onKeep: () => void }) {
  const disconnect = useDisconnect();
  const toast = useToast();
  const warningId = useId();
  return (
    <div
      role="group"
      aria-labelledby={warningId}
      className="flex flex-col gap-3 rounded-lg border border-danger/40 bg-danger-soft p-3"
    >
      <p id={warningId} className="text-sm">
        Posts scheduled for {connection.handle} will fail until you connect it again.
      </p>
      <div className="flex flex-wrap gap-2">
        <Button
          size="sm"
          variant="danger"
          autoFocus
          loading={disconnect.isPending}
          data-testid="connection-disconnect-confirm"
          onClick={() =>
            disconnect.mutate(connection.id, {
              onSuccess: () => toast.success(`Disconnected ${accountLabel(connection)}`),
              onError: (e) =>
                toast.error(
                  'Could not disconnect the account',
                  e instanceof ApiError ? e.userMessage : 'Please try again.',
                ),
            })
          }
        >
          Disconnect
        </Button>
        <Button size="sm" variant="ghost" onClick={onKeep}>
          Keep it
        </Button>
      </div>
    </div>
  );
}

/** One connected account: who it is, where, since when, and whether it needs reconnecting. */
export function ConnectionRow({
  connection,
  onReconnect,
  reconnecting,
}: {
  connection: Connection;
  onReconnect: () => void;
  reconnecting: boolean;
}) {
  const [confirming, setConfirming] = useState(false);
  const [editingSlots, setEditingSlots] = useState(false);
  const slotsId = useId();
  const disconnectButton = useRef<HTMLButtonElement>(null);
  const reasonId = useId();
  const label = accountLabel(connection);
  const host = instanceHost(connection);
  const showHost = host && (connection.network === 'mastodon' || connection.network === 'bluesky');
  const needsReconnect = connection.status === 'needs_reconnect';
  const reason = humanConnectionError(connection.status_reason)?.message ?? NO_REASON;
  return (
    <li
      className="flex flex-col gap-3 px-4 py-3"
      data-testid="connection-row"
      data-status={connection.status}
    >
      <div className="flex flex-col gap-3 sm:flex-row sm:items-start">
        <div className="flex min-w-0 flex-1 gap-3">
          <AccountAvatar connection={connection} />
          <div className="min-w-0 flex-1">
            <p className="font-medium break-words">{connection.display_name}</p>
            <p className="text-sm break-words text-muted">
              {connection.handle !== connection.display_name && <>{connection.handle} · </>}
              {NETWORK_LABELS[connection.network]}
              {showHost && <> · {host}</>}
            </p>
            <p className="text-xs text-muted" data-dynamic>
              Connected {formatDate(connection.created_at)}
            </p>
          </div>
        </div>
        {!confirming && (
          <div className="flex flex-wrap gap-2 pl-10 sm:justify-end sm:pl-0">
            {needsReconnect && (
              <Button
                size="sm"
                variant="primary"
                onClick={onReconnect}
                loading={reconnecting}
                aria-label={`Reconnect ${label}`}
                aria-describedby={reasonId}
                data-testid="connection-reconnect"
              >
                Reconnect
              </Button>
            )}
            <Button
              size="sm"
              onClick={() => setEditingSlots((open) => !open)}
              aria-expanded={editingSlots}
              aria-controls={editingSlots ? slotsId : undefined}
              aria-label={`Posting slots for ${label}`}
              data-testid="connection-slots"
            >
              Posting slots
            </Button>
            <Button
              ref={disconnectButton}
              size="sm"
              variant="ghost"
              onClick={() => setConfirming(true)}
              aria-label={`Disconnect ${label}`}
              data-testid="connection-disconnect"
            >
              Disconnect
            </Button>
          </div>
        )}
      </div>
      {needsReconnect && (
        <div
          id={reasonId}
          className="rounded-lg border border-warning/40 bg-warning/10 px-3 py-2 text-sm"
        >
          <p className="font-medium text-warning">Reconnect needed</p>
          <p className="mt-0.5">{reason} Posts scheduled for it fail until you reconnect it.</p>
        </div>
      )}
      {editingSlots && (
        <div id={slotsId}>
          <SlotEditor connection={connection} />
        </div>
      )}
      {confirming && (
        <ConfirmDisconnect
          connection={connection}
          onKeep={() => {
            flushSync(() => setConfirming(false));
            disconnectButton.current?.focus();
          }}
        />
      )}
    </li>
  );
}
