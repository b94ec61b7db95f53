import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { useState } from 'react';
import { createBrowserRouter, Link, Navigate, Outlet, RouterProvider } from 'react-router';
import { AppShell } from '@/components/layout/AppShell';
import { EmptyState } from '@/components/ui/States';
import { ToastProvider } from '@/components/ui/Toast';
import { ApiError } from '@/lib/api/problem';
import { usePageTitle } from '@/lib/usePageTitle';
import { AdminPage } from '@/features/admin/AdminPage';
import { AuditPanel } from '@/features/admin/AuditPanel';
import { ToolsPanel } from '@/features/admin/ToolsPanel';
import { UsersPanel } from '@/features/admin/UsersPanel';
import { LoginPage, RegisterPage } from '@/features/auth/AuthPages';
import { AuthProvider } from '@/features/auth/AuthProvider';
import { RequireAuth } from '@/features/auth/RequireAuth';
import { DashboardPage } from '@/features/dashboard/DashboardPage';
import { JobDetailPage } from '@/features/jobs/JobDetailPage';
import { JobsPage } from '@/features/jobs/JobsPage';
import { SchedulerPage } from '@/features/scheduler/SchedulerPage';
import { SettingsPage } from '@/features/settings/SettingsPage';
import { StudioPage } from '@/features/studio/StudioPage';

function NotFound() {
  usePageTitle('Page not found');
  return (
    <EmptyState
      title="Page not found"
      action={
        <Link to="/" className="text-sm font-medium text-accent-text hover:underline">
          Go to the dashboard
        </Link>
      }
    >
      The page you are looking for does not exist.
    </EmptyState>
  );
}

function Root() {
  return (
    <ToastProvider>
      <AuthProvider>
        <Outlet />
      </AuthProvider>
    </ToastProvider>
  );
}

const router = createBrowserRouter([
  {
    element: <Root />,
    children: [
      { path: '/login', element: <LoginPage /> },
      { path: '/register', element: <RegisterPage /> },
      {
        path: '/',
        element: (
          <RequireAuth>
            <AppShell />
          </RequireAuth>
        ),
        children: [
          { index: true, element: <DashboardPage /> },
          { path: 'studio', element: <StudioPage /> },
          { path: 'jobs', element: <JobsPage /> },
          { path: 'jobs/:id', element: <JobDetailPage /> },
          { path: 'scheduler', element: <SchedulerPage /> },
          { path: 'settings', element: <SettingsPage /> },
          {
            path: 'admin',
            element: <AdminPage />,
            children: [
              { index: true, element: <Navigate to="users" replace /> },
              { path: 'users', element: <UsersPanel /> },
              { path: 'tools', element: <ToolsPanel /> },
              { path: 'audit', element: <AuditPanel /> },
            ],
          },
          { path: '*', element: <NotFound /> },
        ],
      },
    ],
  },
]);

function shouldRetry(failureCount: number, error: unknown) {
  if (error instanceof ApiError && error.status >= 400 && error.status < 500) return false;
  return failureCount < 2;
}

export function App() {
  const [client] = useState(
    () =>
      new QueryClient({
        defaultOptions: {
          queries: { retry: shouldRetry, refetchOnWindowFocus: false, staleTime: 10_000 },
          mutations: { retry: false },
        },
      }),
  );
  return (
    <QueryClientProvider client={client}>
      <RouterProvider router={router} />
    </QueryClientProvider>
  );
}
