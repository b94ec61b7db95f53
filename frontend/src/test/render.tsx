import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { render } from '@testing-library/react';
import type { ReactElement } from 'react';
import { MemoryRouter } from 'react-router';
import { ToastProvider } from '@/components/ui/Toast';
import { AuthProvider } from '@/lib/auth/AuthProvider';

export function renderWithProviders(ui: ReactElement, { route = '/' }: { route?: string } = {}) {
  const client = new QueryClient({
    defaultOptions: { queries: { retry: false }, mutations: { retry: false } },
  });
  return render(
    <QueryClientProvider client={client}>
      <MemoryRouter initialEntries={[route]}>
        <ToastProvider>
          <AuthProvider>{ui}</AuthProvider>
        </ToastProvider>
      </MemoryRouter>
    </QueryClientProvider>,
  );
}

export function problem(
  status: number,
  detail: string,
  errors?: Array<{ field: string; message: string }>,
) {
  return {
    type: 'https://kyros.dev/problems/test',
    title: status === 422 ? 'Your request has invalid fields' : 'Error',
    status,
    detail,
    ...(errors ? { errors } : {}),
    request_id: 'req-1',
  };
}

/** The API's refusal of a post that fails its checks (422 `checks-failed`). */
export function checksFailed(
  field: string,
  checks: Array<{ rule: string; severity: string; message: string }>,
) {
  const detail = `The post fails ${checks.length} check(s): ${checks.map((c) => c.message).join(' ')}`;
  return {
    type: 'https://kyros.dev/problems/checks-failed',
    title: 'The post does not pass its checks',
    status: 422,
    detail,
    errors: [{ field, message: detail }],
    checks,
    request_id: 'req-1',
  };
}
