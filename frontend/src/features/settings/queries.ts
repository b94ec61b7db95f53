import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, unwrap, unwrapOrNull } from '@/lib/api/client';
import type { CreateTokenRequest, PresetRequest, WebhookSettings } from '@/lib/api/types';
import { presetKeys } from '@/lib/presets';

export function useSavePreset() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ id, body }: { id: string | null; body: PresetRequest }) =>
      id
        ? unwrap(api.PUT('/presets/{id}', { params: { path: { id } }, body }))
        : unwrap(api.POST('/presets', { body })),
    onSuccess: () => void qc.invalidateQueries({ queryKey: presetKeys.all }),
  });
}

export function useDeletePreset() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => unwrap(api.DELETE('/presets/{id}', { params: { path: { id } } })),
    onSuccess: () => void qc.invalidateQueries({ queryKey: presetKeys.all }),
  });
}

export const tokenKeys = {
  all: ['api-tokens'] as const,
};

export function useApiTokens() {
  return useQuery({
    queryKey: tokenKeys.all,
    queryFn: async () => (await unwrap(api.GET('/me/tokens'))).items,
  });
}

export function useCreateApiToken() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: CreateTokenRequest) => unwrap(api.POST('/me/tokens', { body })),
    onSuccess: () => void qc.invalidateQueries({ queryKey: tokenKeys.all }),
  });
}

export function useRevokeApiToken() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => unwrap(api.DELETE('/me/tokens/{id}', { params: { path: { id } } })),
    onSuccess: () => void qc.invalidateQueries({ queryKey: tokenKeys.all }),
  });
}

/** Shares its prefix with the Scheduler's "is a webhook set up?" check, so both refresh together. */
export const webhookKeys = {
  all: ['connectors', 'webhook'] as const,
  settings: () => [...webhookKeys.all, 'settings'] as const,
};

/** The caller's webhook, or `null` when none is set up yet (404). */
export function useWebhookSettings() {
  return useQuery({
    queryKey: webhookKeys.settings(),
    queryFn: (): Promise<WebhookSettings | null> => unwrapOrNull(api.GET('/connectors/webhook')),
  });
}

function useWebhookMutation<TVars>(call: (vars: TVars) => Promise<WebhookSettings>) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: call,
    onSuccess: (settings) => {
      qc.setQueryData(webhookKeys.settings(), settings);
      void qc.invalidateQueries({ queryKey: webhookKeys.all });
    },
  });
}

/** Sets the URL; the first call also creates the signing secret. */
export function useSaveWebhook() {
  return useWebhookMutation((url: string) =>
    unwrap(api.PUT('/connectors/webhook', { body: { url } })),
  );
}

/** Replaces the signing secret; deliveries signed with the old one stop verifying at once. */
export function useRotateWebhookSecret() {
  return useWebhookMutation(() => unwrap(api.POST('/connectors/webhook/rotate-secret')));
}
