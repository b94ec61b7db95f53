/** The social networks an account can be connected from, as the console names and shows them. */

import type { Connection, Network } from '@/lib/api/types';

/** In the order "Connect an account" offers them. */
export const NETWORKS: readonly Network[] = ['x', 'linkedin', 'mastodon', 'bluesky'];

export const NETWORK_LABELS: Record<Network, string> = {
  x: 'X',
  linkedin: 'LinkedIn',
  mastodon: 'Mastodon',
  bluesky: 'Bluesky',
};

/** The networks connected through their own consent page (Bluesky uses an app password). */
export type OAuthNetwork = Exclude<Network, 'bluesky'>;

export function isNetwork(value: string): value is Network {
  return (NETWORKS as readonly string[]).includes(value);
}

/** "@kyros on X": the account as the API names it (`@name`, `@name@instance`, or a LinkedIn
 * name) and its network. */
export function accountLabel(connection: Pick<Connection, 'handle' | 'network'>): string {
  return `${connection.handle} on ${NETWORK_LABELS[connection.network]}`;
}

/** The server a Mastodon or Bluesky account lives on, as a host name ("mastodon.social"). */
export function instanceHost(connection: Pick<Connection, 'instance_url'>): string | null {
  const url = connection.instance_url;
  if (!url) return null;
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}

/**
 * The accounts a post on `channel` can go to. Channels and networks share their names: an X post
 * goes to an X account, a LinkedIn post to a LinkedIn account.
 */
export function accountsForChannel(
  connections: readonly Connection[],
  channel: string,
): Connection[] {
  return connections.filter((connection) => connection.network === channel);
}
