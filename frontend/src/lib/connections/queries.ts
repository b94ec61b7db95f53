import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, unwrap } from '@/lib/api/client';
import type { AccountChoice, ConnectBlueskyRequest, Connection, Slot } from '@/lib/api/types';
import { scheduleKeys } from '@/lib/schedules/keys';
import type { OAuthNetwork } from './networks';

export const connectionKeys = {
  all: ['connections'] as const,
  list: () => [...connectionKeys.all, 'list'] as const,
  slots: (id: string) => [...connectionKeys.all, 'slots', id] as const,
};

/** The caller's connected accounts, oldest first. */
export function useConnections() {
  return useQuery({
    queryKey: connectionKeys.list(),
    queryFn: async () => (await unwrap(api.GET('/connections'))).items,
  });
}

/** Puts a connected (or reconnected) account in the list at once, then refetches it. */
function useConnected() {
  const qc = useQueryClient();
  return (connection: Connection) => {
    qc.setQueryData<Connection[]>(connectionKeys.list(), (list) =>
      list
        ? list.some((c) => c.id === connection.id)
          ? list.map((c) => (c.id === connection.id ? connection : c))
          : [...list, connection]
        : list,
    );
    void qc.invalidateQueries({ queryKey: connectionKeys.all });
  };
}

/** Connects a Bluesky account with an app password; the same account again is a reconnect. */
export function useConnectBluesky() {
  const connected = useConnected();
  return useMutation({
    mutationFn: (body: ConnectBlueskyRequest) => unwrap(api.POST('/connections/bluesky', { body })),
    onSuccess: connected,
  });
}

/** Starts connecting an X, LinkedIn or Mastodon account: the network's consent page to go to. */
export function useAuthorize() {
  return useMutation({
    mutationFn: ({ network, instance }: { network: OAuthNetwork; instance?: string }) =>
      unwrap(
        api.POST('/connections/{network}/authorize', {
          params: { path: { network } },
          body: instance === undefined ? {} : { instance },
        }),
      ),
  });
}

/** Whether finishing a consent left a choice of accounts to make rather than a connection. */
export function isChoice(result: Connection | AccountChoice): result is AccountChoice {
  return 'choice' in result;
}

/**
 * Finishes a connection with what the consent page sent back. Its `state` works once. The
 * answer is the connected account, or a choice among several (a LinkedIn profile and its
 * member's pages) to make with {@link useChooseAccounts}.
 */
export function useFinishConnection() {
  const connected = useConnected();
  return useMutation({
    mutationFn: (body: { state: string; code: string }) =>
      unwrap(api.POST('/connections/callback', { body })),
    onSuccess: (result) => {
      if (!isChoice(result)) connected(result);
    },
  });
}

/** Connects the accounts chosen from a consent that offered several. The choice works once. */
export function useChooseAccounts() {
  const connected = useConnected();
  return useMutation({
    mutationFn: (body: { choice: string; accounts: string[] }) =>
      unwrap(api.POST('/connections/choose', { body })),
    onSuccess: (list) => list.items.forEach(connected),
  });
}

/** Forgets an account and its tokens; posts scheduled for it fail until it is connected again. */
export function useDisconnect() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (id: string) =>
      unwrap(api.DELETE('/connections/{id}', { params: { path: { id } } })),
    onSuccess: (_none, id) => {
      qc.setQueryData<Connection[]>(connectionKeys.list(), (list) =>
        list?.filter((c) => c.id !== id),
      );
      void qc.invalidateQueries({ queryKey: connectionKeys.all });
    },
  });
}

/** An account's weekly posting slots and their zone. */
export function useSlots(id: string) {
  return useQuery({
    queryKey: connectionKeys.slots(id),
    queryFn: () => unwrap(api.GET('/connections/{id}/slots', { params: { path: { id } } })),
  });
}

/** Replaces an account's slots; its queue and the calendar's open slots change with them. */
export function useSaveSlots(id: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: { timezone: string; slots: Slot[] }) =>
      unwrap(api.PUT('/connections/{id}/slots', { params: { path: { id } }, body })),
    onSuccess: (saved) => {
      qc.setQueryData(connectionKeys.slots(id), saved);
      void qc.invalidateQueries({ queryKey: scheduleKeys.all });
    },
  });
}
