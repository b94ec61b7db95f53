import { clsx } from 'clsx';
import { Link, NavLink, Outlet } from 'react-router';
import { ShieldIcon } from '@/components/ui/icons';
import { EmptyState, ErrorState, LoadingBlock, PageHeader } from '@/components/ui/States';
import { ApiError } from '@/lib/api/problem';
import { usePageTitle } from '@/lib/usePageTitle';
import { useMe } from '@/lib/auth/queries';

const SECTIONS = [
  { to: 'users', label: 'Users' },
  { to: 'tools', label: 'Tools' },
  { to: 'audit', label: 'Audit log' },
] as const;

/** Shown instead of the Admin area to anyone who is not an administrator. */
export function AdminOnly() {
  return (
    <EmptyState
      title="Administrators only"
      icon={<ShieldIcon width={28} height={28} />}
      action={
        <Link to="/" className="text-sm font-medium text-accent-text hover:underline">
          Go to the dashboard
        </Link>
      }
    >
      This area manages accounts, tools and the audit log. Ask an administrator of this workspace if
      you need access.
    </EmptyState>
  );
}

/** A section's error: the admin-only state for a 403 (the role is checked by the server). */
export function AdminError({
  error,
  title,
  onRetry,
}: {
  error: unknown;
  title: string;
  onRetry: () => void;
}) {
  if (error instanceof ApiError && error.status === 403) return <AdminOnly />;
  return (
    <ErrorState
      title={title}
      message={error instanceof ApiError ? error.userMessage : 'Please try again.'}
      onRetry={onRetry}
    />
  );
}

/** `/admin`: users, tools and the audit log, for administrators. */
export function AdminPage() {
  usePageTitle('Admin');
  const me = useMe();
  const isAdmin = me.data?.role === 'admin';
  return (
    <div>
      <PageHeader
        title="Admin"
        description="Accounts and roles, the providers and connectors everyone uses, and what happened when."
      />
      {me.isPending ? (
        <LoadingBlock label="Checking your role…" rows={3} />
      ) : me.isError ? (
        <AdminError
          error={me.error}
          title="Could not check your role"
          onRetry={() => void me.refetch()}
        />
      ) : !isAdmin ? (
        <AdminOnly />
      ) : (
        <>
          <nav aria-label="Admin sections" className="mb-6 overflow-x-auto">
            <ul className="inline-flex gap-1 rounded-lg border border-border bg-surface-2 p-1">
              {SECTIONS.map(({ to, label }) => (
                <li key={to}>
                  <NavLink
                    to={to}
                    data-testid={`admin-tab-${to}`}
                    className={({ isActive }) =>
                      clsx(
                        'inline-flex h-8 items-center rounded-md px-3 text-sm font-medium whitespace-nowrap transition-colors',
                        isActive ? 'bg-surface text-fg shadow-sm' : 'text-muted hover:text-fg',
                      )
                    }
                  >
                    {label}
                  </NavLink>
                </li>
              ))}
            </ul>
          </nav>
          <Outlet />
        </>
      )}
    </div>
  );
}
