import { accountLabel } from '@/lib/connections/networks';
import { useConnections } from '@/lib/connections/queries';

/** "@kyros on X" for a connection id, read from the user's connected accounts. */
export function AccountName({ id }: { id: string | null | undefined }) {
  const connections = useConnections();
  const account = id ? connections.data?.find((c) => c.id === id) : undefined;
  if (account) {
    return (
      <>
        {accountLabel(account)}
        {account.status === 'needs_reconnect' && (
          <span className="text-warning"> (needs reconnecting)</span>
        )}
      </>
    );
  }
  return <>{connections.isSuccess ? 'An account no longer connected' : 'A connected account'}</>;
}
