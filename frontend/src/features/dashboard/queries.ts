import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { api, unwrap } from '@/lib/api/client';
import type { KpiWindow } from './period';

export const dashboardKeys = {
  all: ['dashboard'] as const,
  kpis: (range: KpiWindow) => [...dashboardKeys.all, 'kpis', range] as const,
};

/** The KPIs of one window; the previous window's figures stay on screen while a new one loads. */
export function useKpis(range: KpiWindow) {
  return useQuery({
    queryKey: dashboardKeys.kpis(range),
    queryFn: () => unwrap(api.GET('/kpis', { params: { query: range } })),
    placeholderData: keepPreviousData,
    refetchOnWindowFocus: true,
  });
}
