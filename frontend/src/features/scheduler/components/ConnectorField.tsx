import type { ReactNode } from 'react';
import { Link } from 'react-router';
import { SelectField } from '@/components/ui/Field';
import { AccountName } from '@/components/connections/AccountName';
import type { Connection } from '@/lib/api/types';
import { humanConnectionError } from '@/lib/humanErrors';
import { CONNECTIONS_SETTINGS } from '@/lib/connections/links';
import {
  accountLabel,
  accountsForChannel,
  isNetwork,
  NETWORK_LABELS,
} from '@/lib/connections/networks';
import { useConnections } from '@/lib/connections/queries';
import { useWebhookConfigured } from '../queries';
import type { Connector } from '../scheduleForm';

const ACCOUNT = 'account:';
const settingsLink = 'font-medium text-accent-text hover:underline';

/** The select's value for a connector and, for `account`, the account. */
function valueOf(connector: Connector, connectionId: string | null): string {
  return connector === 'account' ? `${ACCOUNT}${connectionId ?? ''}` : connector;
}

/** What the hint says about the accounts a post on `channel` could go to, when it needs saying. */
function accountNote(channel: string, accounts: Connection[]): ReactNode {
  if (!isNetwork(channel)) return null;
  const label = NETWORK_LABELS[channel];
  if (accounts.length === 0) {
    return (
      <>
        No {label} account is connected yet:{' '}
        <Link to={CONNECTIONS_SETTINGS} className={settingsLink} data-testid="schedule-connect">
          connect one in Settings
        </Link>
        .
      </>
    );
  }
  if (accounts.every((a) => a.status === 'needs_reconnect')) {
    return (
      <>
        Your {label} {accounts.length === 1 ? 'account needs' : 'accounts need'} reconnecting:{' '}
        <Link to={CONNECTIONS_SETTINGS} className={settingsLink} data-testid="schedule-connect">
          reconnect in Settings
        </Link>
        .
      </>
    );
  }
  return null;
}

/**
 * "Publish through": the outbox, the webhook (once set up), or one of the user's connected
 * accounts on the post's network. An account needing reconnecting is shown but cannot be picked;
 * accounts on other networks are left out, as the API refuses them.
 */
export function ConnectorField({
  channel,
  connector,
  connectionId,
  offerAccounts,
  error,
  accountError,
  onChange,
}: {
  /** The post's channel, once a post is picked. */
  channel: string | null;
  connector: Connector;
  connectionId: string | null;
  /** A reschedule cannot move a schedule to an account (the API takes one when it is made). */
  offerAccounts: boolean;
  /** The API's refusal of the connector. */
  error?: string;
  /** The API's refusal of the account (one needing reconnecting, or on another network). */
  accountError?: string;
  onChange: (connector: Connector, connectionId: string | null) => void;
}) {
  if (connector === 'account' && !offerAccounts) {
    return (
      <div className="flex flex-col gap-1.5">
        <p className="text-sm font-medium">Publish through</p>
        <p className="text-sm" data-testid="schedule-account">
          <AccountName id={connectionId} />
        </p>
        <p className="text-xs text-muted">
          A rescheduled post keeps its account; to publish to another, schedule the post again.
        </p>
      </div>
    );
  }
  return (
    <ConnectorSelect
      channel={offerAccounts ? channel : null}
      connector={connector}
      connectionId={connectionId}
      error={error ?? humanConnectionError(accountError)?.message}
      onChange={onChange}
    />
  );
}

function ConnectorSelect({
  channel,
  connector,
  connectionId,
  error,
  onChange,
}: {
  channel: string | null;
  connector: Connector;
  connectionId: string | null;
  error?: string;
  onChange: (connector: Connector, connectionId: string | null) => void;
}) {
  const webhook = useWebhookConfigured();
  const connections = useConnections();
  const accounts = channel ? accountsForChannel(connections.data ?? [], channel) : [];
  const chosen = accounts.find((a) => a.id === connectionId);

  const said =
    connector === 'account' ? (
      chosen ? (
        `Each post is published to ${accountLabel(chosen)}.`
      ) : null
    ) : webhook.data === false ? (
      <>
        Webhook needs a URL first:{' '}
        <Link to="/settings#webhook" className={settingsLink} data-testid="schedule-webhook-setup">
          set one up in Settings
        </Link>
        .
      </>
    ) : connector === 'file' ? (
      'Each post is written as a JSON file to the server’s outbox.'
    ) : (
      'Each post is sent as a signed JSON POST to your webhook.'
    );
  const note = channel && connections.isSuccess ? accountNote(channel, accounts) : null;

  return (
    <SelectField
      label="Publish through"
      value={valueOf(connector, connectionId)}
      onChange={(e) => {
        const value = e.target.value;
        if (value.startsWith(ACCOUNT)) onChange('account', value.slice(ACCOUNT.length));
        else onChange(value as Connector, null);
      }}
      error={error}
      hint={
        said || note ? (
          <>
            {said}
            {said && note ? ' ' : null}
            {note}
          </>
        ) : undefined
      }
      data-testid="schedule-connector"
    >
      <option value="file">Outbox file</option>
      <option value="webhook" disabled={webhook.data === false}>
        Webhook
      </option>
      {accounts.length > 0 && (
        <optgroup label="Publish to a connected account">
          {accounts.map((a) => (
            <option
              key={a.id}
              value={`${ACCOUNT}${a.id}`}
              disabled={a.status === 'needs_reconnect'}
            >
              {accountLabel(a)}
              {a.status === 'needs_reconnect' ? ' (Reconnect first)' : ''}
            </option>
          ))}
        </optgroup>
      )}
    </SelectField>
  );
}
