import { useEffect, useState } from 'react';
import { useLocation } from 'react-router';
import { Button } from '@/components/ui/Button';
import { Card } from '@/components/ui/Card';
import { EmptyState, ErrorState, LoadingBlock } from '@/components/ui/States';
import { NetworkIcon } from '@/components/connections/NetworkIcon';
import { ApiError } from '@/lib/api/problem';
import type { Connection, Network } from '@/lib/api/types';
import { humanConnectionError, type HumanError } from '@/lib/humanErrors';
import { CONNECTIONS_SECTION_ID } from '@/lib/connections/links';
import { instanceHost, NETWORK_LABELS, NETWORKS } from '@/lib/connections/networks';
import type { OAuthNetwork } from '@/lib/connections/networks';
import { useConnections } from '@/lib/connections/queries';
import { BlueskyDialog } from './BlueskyDialog';
import { ConnectionRow } from './ConnectionRow';
import { MastodonDialog } from './MastodonDialog';
import { RefusalNotice } from './RefusalNotice';
import { useConsentRedirect } from './useConsentRedirect';

/** The dialog open: Bluesky's (with the handle of an account to reconnect) or Mastodon's. */
type Open = { network: 'bluesky' | 'mastodon'; handle?: string } | null;

function message(e: unknown) {
  return e instanceof ApiError ? e.userMessage : 'Please try again.';
}

/** Settings → Connections: the accounts Kyros publishes to, and connecting more. */
export function ConnectionsSettings() {
  const connections = useConnections();
  const consent = useConsentRedirect();
  const [open, setOpen] = useState<Open>(null);
  /** Why the last X, LinkedIn or Mastodon connection could not start, for that network. */
  const [refusal, setRefusal] = useState<{ network: Network; error: HumanError } | null>(null);
  /** The account whose reconnection is on its way to the network's consent page. */
  const [reconnecting, setReconnecting] = useState<string | null>(null);
  const { hash } = useLocation();
  const loaded = !connections.isPending;
  const list = connections.data ?? [];

  // The router does not scroll to a hash; other pages link here as /settings#connections.
  useEffect(() => {
    if (loaded && hash === `#${CONNECTIONS_SECTION_ID}`) {
      document.getElementById(CONNECTIONS_SECTION_ID)?.scrollIntoView?.({ block: 'start' });
    }
  }, [hash, loaded]);

  async function goToConsent(network: OAuthNetwork, instance?: string, account?: string) {
    setRefusal(null);
    setReconnecting(account ?? null);
    try {
      await consent.start(network, instance);
    } catch (e) {
      setReconnecting(null);
      setRefusal({
        network,
        error: humanConnectionError(message(e)) ?? { message: message(e), detail: null },
      });
    }
  }

  function connect(network: Network) {
    setRefusal(null);
    if (network === 'bluesky' || network === 'mastodon') setOpen({ network });
    else void goToConsent(network);
  }

  function reconnect(connection: Connection) {
    const host = instanceHost(connection);
    if (connection.network === 'bluesky')
      setOpen({ network: 'bluesky', handle: connection.handle });
    else if (connection.network === 'mastodon' && !host) setOpen({ network: 'mastodon' });
    else void goToConsent(connection.network, host ?? undefined, connection.id);
  }

  return (
    <Card className="scroll-mt-20 p-5" id={CONNECTIONS_SECTION_ID}>
      <section aria-labelledby="connections-title" className="flex flex-col gap-4">
        <div>
          <h2 id="connections-title" className="font-semibold">
            Connections
          </h2>
          <p className="text-sm text-muted">
            Accounts Kyros publishes scheduled posts to. Their tokens are stored encrypted and never
            shown.
          </p>
        </div>
        {connections.isPending ? (
          <LoadingBlock label="Loading your connected accounts…" rows={1} />
        ) : connections.isError ? (
          <ErrorState
            message={message(connections.error)}
            onRetry={() => void connections.refetch()}
          />
        ) : list.length === 0 ? (
          <EmptyState title="No accounts connected yet">
            Connect an account below and the Scheduler can publish posts straight to it.
          </EmptyState>
        ) : (
          <ul
            className="-mx-4 divide-y divide-border"
            aria-label="Connected accounts"
            data-testid="connection-list"
          >
            {list.map((c) => (
              <ConnectionRow
                key={c.id}
                connection={c}
                onReconnect={() => reconnect(c)}
                reconnecting={reconnecting === c.id && consent.pending !== null}
              />
            ))}
          </ul>
        )}
        <div role="group" aria-labelledby="connect-title" className="flex flex-col gap-2">
          <h3 id="connect-title" className="text-sm font-medium">
            Connect an account
          </h3>
          <div className="grid grid-cols-2 gap-2 sm:flex sm:flex-wrap">
            {NETWORKS.map((network) => (
              <Button
                key={network}
                onClick={() => connect(network)}
                loading={reconnecting === null && consent.pending === network}
                aria-label={`Connect ${NETWORK_LABELS[network]}`}
                aria-haspopup={
                  network === 'bluesky' || network === 'mastodon' ? 'dialog' : undefined
                }
                data-testid={`connect-${network}`}
              >
                {!(reconnecting === null && consent.pending === network) && (
                  <NetworkIcon network={network} width={16} height={16} />
                )}
                {NETWORK_LABELS[network]}
              </Button>
            ))}
          </div>
          <p className="text-xs text-muted">
            X, LinkedIn and Mastodon ask you to approve Kyros on their site, then send you back
            here. You can connect several accounts of each.
          </p>
        </div>
        {refusal && (
          <RefusalNotice
            title={`Could not connect ${NETWORK_LABELS[refusal.network]}`}
            error={refusal.error}
          />
        )}
      </section>
      {open?.network === 'bluesky' && (
        <BlueskyDialog handle={open.handle} known={list} onClose={() => setOpen(null)} />
      )}
      {open?.network === 'mastodon' && (
        <MastodonDialog
          leaving={consent.pending === 'mastodon'}
          onContinue={(instance) => consent.start('mastodon', instance)}
          onClose={() => setOpen(null)}
        />
      )}
    </Card>
  );
}
