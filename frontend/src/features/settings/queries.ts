import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, unwrap } from '@/lib/api/client';
import type { CreateTokenRequest, PresetRequest } from '@/lib/api/types';

export const presetKeys = {
  all: ['presets'] as const,
  list: () => [...presetKeys.all, 'list'] as const,
};

export function usePresets() {
  return useQuery({
    queryKey: presetKeys.list(),
    queryFn: async () => (await unwrap(api.GET('/presets'))).items,
  });
}

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
