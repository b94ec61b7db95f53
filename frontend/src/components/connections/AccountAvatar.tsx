import { useState } from 'react';
import type { Connection } from '@/lib/api/types';
import { NetworkIcon } from './NetworkIcon';

/** The account's picture with its network's mark in the corner, or the mark alone. */
export function AccountAvatar({
  connection,
}: {
  connection: Pick<Connection, 'avatar_url' | 'network'>;
}) {
  const [broken, setBroken] = useState(false);
  const picture = connection.avatar_url && !broken ? connection.avatar_url : null;
  return (
    <span aria-hidden="true" className="relative inline-flex size-10 shrink-0">
      {picture ? (
        <img
          src={picture}
          alt=""
          width={40}
          height={40}
          loading="lazy"
          referrerPolicy="no-referrer"
          onError={() => setBroken(true)}
          className="size-10 rounded-full border border-border object-cover"
        />
      ) : (
        <span className="grid size-10 place-items-center rounded-full border border-border bg-surface-2 text-fg">
          <NetworkIcon network={connection.network} width={20} height={20} />
        </span>
      )}
      {picture && (
        <span className="absolute -right-1 -bottom-1 grid size-5 place-items-center rounded-full border border-border bg-surface text-fg">
          <NetworkIcon network={connection.network} width={12} height={12} />
        </span>
      )}
    </span>
  );
}
