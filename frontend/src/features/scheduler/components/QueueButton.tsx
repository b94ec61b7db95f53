import { useState } from 'react';
import { Button } from '@/components/ui/Button';
import { Dialog } from '@/components/ui/Dialog';
import { useToast } from '@/components/ui/Toast';
import { AccountName } from '@/components/connections/AccountName';
import { ApiError } from '@/lib/api/problem';
import type { Connection, Schedule } from '@/lib/api/types';
import { accountsForChannel } from '@/lib/connections/networks';
import { useConnections } from '@/lib/connections/queries';
import { slotTimeIn } from '../format';
import { useAddToQueue } from '../queries';

/**
 * "Add to queue" on an accepted post: into the next free posting slot of a connected account
 * of the post's network (chosen in a dialog when there are several). Absent without one.
 */
export function QueueButton({
  variant,
  disabledReasonId,
}: {
  variant: { id: string; channel: string };
  /** The id of the visible text saying why the post cannot be queued now, as for Schedule. */
  disabledReasonId?: string;
}) {
  const connections = useConnections();
  const add = useAddToQueue();
  const toast = useToast();
  const [choosing, setChoosing] = useState(false);
  const accounts = accountsForChannel(connections.data ?? [], variant.channel);
  if (accounts.length === 0) return null;

  function queue(account: Connection) {
    add.mutate(
      { connectionId: account.id, variantId: variant.id },
      {
        onSuccess: (schedule: Schedule) => {
          setChoosing(false);
          toast.success(
            `Queued for ${slotTimeIn(schedule.run_at, schedule.timezone)} on ${account.handle}`,
          );
        },
        onError: (e) =>
          toast.error(
            'Could not add to the queue',
            e instanceof ApiError ? e.userMessage : 'Please try again.',
          ),
      },
    );
  }

  return (
    <>
      <Button
        size="sm"
        loading={add.isPending && !choosing}
        onClick={() => {
          if (disabledReasonId) return;
          if (accounts.length === 1) queue(accounts[0]);
          else setChoosing(true);
        }}
        aria-disabled={disabledReasonId ? true : undefined}
        aria-describedby={disabledReasonId}
        aria-haspopup={accounts.length > 1 ? 'dialog' : undefined}
        aria-label={
          accounts.length === 1 ? `Add to the queue of ${accounts[0].handle}` : 'Add to queue'
        }
        data-testid="queue-button"
      >
        Add to queue
      </Button>
      {choosing && (
        <Dialog
          title="Add to queue"
          description="The post goes into the account's next free posting slot."
          onClose={() => setChoosing(false)}
          testId="queue-dialog"
        >
          <ul className="flex flex-col gap-2">
            {accounts.map((account) => (
              <li key={account.id}>
                <Button
                  className="w-full justify-start"
                  onClick={() => queue(account)}
                  loading={add.isPending && add.variables?.connectionId === account.id}
                >
                  <AccountName id={account.id} />
                </Button>
              </li>
            ))}
          </ul>
        </Dialog>
      )}
    </>
  );
}
