import { clsx } from 'clsx';
import { useId } from 'react';
import { Link } from 'react-router';
import { CONNECTIONS_SETTINGS } from '@/lib/connections/links';
import { accountLabel } from '@/lib/connections/networks';
import { useConnections } from '@/lib/connections/queries';

/**
 * The accounts that need reconnecting, said where they will be seen (the dashboard): posts
 * scheduled for them fail until they are connected again. Nothing when every account works.
 */
export function ReconnectNotice({ className }: { className?: string }) {
  const connections = useConnections();
  const titleId = useId();
  const stale = (connections.data ?? []).filter((c) => c.status === 'needs_reconnect');
  if (stale.length === 0) return null;
  return (
    <section
      aria-labelledby={titleId}
      className={clsx('rounded-xl border border-warning/40 bg-warning/10 px-4 py-3', className)}
      data-testid="reconnect-notice"
    >
      <h2 id={titleId} className="sr-only">
        Accounts to reconnect
      </h2>
      <ul className="flex flex-col gap-1 text-sm">
        {stale.map((c) => (
          <li key={c.id}>
            <span className="font-semibold text-warning">Reconnect {accountLabel(c)}</span>: posts
            scheduled for it will fail.
          </li>
        ))}
      </ul>
      <Link
        to={CONNECTIONS_SETTINGS}
        className="mt-2 inline-block text-sm font-medium text-accent-text hover:underline"
      >
        Reconnect in Settings → Connections
      </Link>
    </section>
  );
}
