import { useQuery } from '@tanstack/react-query';
import { api, unwrap } from '@/lib/api/client';

/** The caller's presets: kept in Settings, offered when a job is created. */
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
