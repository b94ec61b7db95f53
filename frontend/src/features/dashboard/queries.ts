import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { api, unwrap } from '@/lib/api/client';
import type { KpiWindow } from './period';

export const dashboardKeys = {
  all: ['dashboard'] as const,
  kpis: (window: KpiWindow) => [...dashboardKeys.all, 'kpis', window] as const,
};

/** The KPIs of one window; the previous window's figures stay on screen while a new one loads. */
export function useKpis(window: KpiWindow) {
  return useQuery({
    queryKey: dashboardKeys.kpis(window),
    queryFn: () => unwrap(api.GET('/kpis', { params: { query: window } })),
    placeholderData: keepPreviousData,
    refetchOnWindowFocus: true,
  });
}
