import { useEffect, type ComponentType } from 'react';
import { Link, Navigate, Outlet, useRouteError, type RouteObject } from 'react-router';
import { AppShell } from '@/components/layout/AppShell';
import { EmptyState, ErrorState, LoadingBlock } from '@/components/ui/States';
import { ToastProvider } from '@/components/ui/Toast';
import { reportRenderError } from '@/lib/errorReports';
import { usePageTitle } from '@/lib/usePageTitle';
import { LoginPage, RegisterPage } from '@/features/auth/AuthPages';
import { AuthProvider } from '@/lib/auth/AuthProvider';
import { RequireAuth } from '@/features/auth/RequireAuth';

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

/** Shown in the shell when a page's code could not be fetched (offline, or a release replaced
 * the files) or the page failed to render; the error is reported when reports are on. */
function PageError() {
  const error = useRouteError();
  useEffect(() => reportRenderError(error), [error]);
  return (
    <ErrorState
      title="This page could not be shown"
      message="Check your connection and try again. Reloading also picks up a new version of Kyros."
      onRetry={() => window.location.reload()}
    />
  );
}

/**
 * A route whose page is fetched on its first visit, so each page downloads only the code it uses
 * and the login page none of the console's pages. The router fetches nested lazy routes together; on the first load
 * the shell shows the loading skeleton meanwhile, and on a later navigation the current page stays
 * until the next one is ready.
 */
export function lazyPage(load: () => Promise<ComponentType>) {
  return {
    // The function form: a failed fetch reaches `errorElement` (the object form `{ Component }`
    // leaves the page blank instead).
    lazy: async () => ({ Component: await load() }),
    hydrateFallbackElement: <LoadingBlock label="Loading the page…" rows={4} />,
    errorElement: <PageError />,
  };
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

// The login and registration pages are not lazy: they are what a signed-out visitor sees first,
// and small.
export const routes: RouteObject[] = [
  {
    element: <Root />,
    // The shell itself failed (the pages have their own boundary, inside it).
    errorElement: (
      <main className="mx-auto max-w-xl p-6">
        <PageError />
      </main>
    ),
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
          {
            index: true,
            ...lazyPage(
              async () => (await import('@/features/dashboard/DashboardPage')).DashboardPage,
            ),
          },
          {
            path: 'studio',
            // The Studio and a job's page compose the variant workspace; the scheduler's buttons
            // for its cards meet them here, so neither page imports the scheduler.
            ...lazyPage(async () => {
              const [{ StudioPage }, { variantScheduling }] = await Promise.all([
                import('@/features/studio/StudioPage'),
                import('@/features/scheduler/variantScheduling'),
              ]);
              return function Studio() {
                return <StudioPage scheduling={variantScheduling} />;
              };
            }),
          },
          {
            path: 'jobs',
            ...lazyPage(async () => (await import('@/features/jobs/JobsPage')).JobsPage),
          },
          {
            path: 'jobs/:id',
            ...lazyPage(async () => {
              const [{ JobDetailPage }, { variantScheduling }] = await Promise.all([
                import('@/features/jobs/JobDetailPage'),
                import('@/features/scheduler/variantScheduling'),
              ]);
              return function JobDetail() {
                return <JobDetailPage scheduling={variantScheduling} />;
              };
            }),
          },
          {
            path: 'scheduler',
            ...lazyPage(
              async () => (await import('@/features/scheduler/SchedulerPage')).SchedulerPage,
            ),
          },
          {
            path: 'settings',
            // Settings shows the connections feature's panel of connected accounts: the two
            // features meet here, so neither imports the other.
            ...lazyPage(async () => {
              const [{ SettingsPage }, { ConnectionsSettings }] = await Promise.all([
                import('@/features/settings/SettingsPage'),
                import('@/features/connections/ConnectionsSettings'),
              ]);
              return function Settings() {
                return <SettingsPage connections={<ConnectionsSettings />} />;
              };
            }),
          },
          {
            // Where a network's consent page sends the browser back after connecting an account.
            path: 'connections/callback',
            ...lazyPage(
              async () =>
                (await import('@/features/connections/CallbackPage')).ConnectionCallbackPage,
            ),
          },
          {
            path: 'admin',
            ...lazyPage(async () => (await import('@/features/admin/AdminPage')).AdminPage),
            children: [
              { index: true, element: <Navigate to="users" replace /> },
              {
                path: 'users',
                ...lazyPage(async () => (await import('@/features/admin/UsersPanel')).UsersPanel),
              },
              {
                path: 'tools',
                ...lazyPage(async () => (await import('@/features/admin/ToolsPanel')).ToolsPanel),
              },
              {
                path: 'audit',
                ...lazyPage(async () => (await import('@/features/admin/AuditPanel')).AuditPanel),
              },
            ],
          },
          { path: '*', element: <NotFound /> },
        ],
      },
    ],
  },
];
