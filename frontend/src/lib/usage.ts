import { useQuery } from '@tanstack/react-query';
import { api, unwrap } from '@/lib/api/client';

export const usageKeys = {
  all: ['usage'] as const,
};

/** The caller's jobs today and characters this month against their role's quota. */
export function useUsage() {
  return useQuery({
    queryKey: usageKeys.all,
    queryFn: () => unwrap(api.GET('/usage')),
    refetchInterval: 60_000,
    refetchOnWindowFocus: true,
  });
}
