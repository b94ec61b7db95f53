import { useQuery } from '@tanstack/react-query';
import { api, unwrap } from '@/lib/api/client';

export const authKeys = {
  all: ['auth'] as const,
  me: () => [...authKeys.all, 'me'] as const,
};

export function useMe() {
  return useQuery({
    queryKey: authKeys.me(),
    queryFn: () => unwrap(api.GET('/me')),
    staleTime: 5 * 60_000,
  });
}
