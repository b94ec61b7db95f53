import { useQueryClient, type InfiniteData } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { useSearchParams } from 'react-router';
import { Button } from '@/components/ui/Button';
import { Card } from '@/components/ui/Card';
import { Dialog } from '@/components/ui/Dialog';
import { SelectField, TextField } from '@/components/ui/Field';
import { EmptyState, LoadingBlock } from '@/components/ui/States';
import { useToast } from '@/components/ui/Toast';
import { ApiError } from '@/lib/api/problem';
import type { ManagedUser, Role, UserPage } from '@/lib/api/types';
import { formatDate, formatPlural } from '@/lib/format';
import { useDebouncedValue } from '@/lib/useDebouncedValue';
import { useMe } from '@/lib/auth/queries';
import { AdminError } from './AdminPage';
import { adminKeys, useAdminUsers, useChangeRole } from './queries';

const ROLE_LABELS: Record<Role, string> = { user: 'User', admin: 'Administrator' };

type RoleChange = { user: ManagedUser; role: Role };

function ConfirmRoleChange({
  change,
  isSelf,
  onClose,
}: {
  change: RoleChange;
  isSelf: boolean;
  onClose: () => void;
}) {
  const { user, role } = change;
  const mutation = useChangeRole();
  const qc = useQueryClient();
  const toast = useToast();
  const promote = role === 'admin';
  const error = mutation.error;

  function confirm() {
    mutation.mutate(
      { id: user.id, role },
      {
        onSuccess: (saved) => {
          // Show the new role at once; the list is fetched again behind it.
          qc.setQueriesData<InfiniteData<UserPage>>({ queryKey: adminKeys.users() }, (data) =>
            data && 'pages' in data
              ? {
                  ...data,
                  pages: data.pages.map((page) => ({
                    ...page,
                    items: page.items.map((item) =>
                      item.id === saved.id ? { ...item, role: saved.role } : item,
                    ),
                  })),
                }
              : data,
          );
          toast.success(
            promote
              ? `${saved.email} is now an administrator`
              : `${saved.email} is now a regular user`,
          );
          onClose();
        },
      },
    );
  }

  return (
    <Dialog
      title={
        promote ? `Make ${user.email} an administrator?` : `Remove ${user.email}’s admin role?`
      }
      onClose={onClose}
      testId="role-dialog"
      footer={
        <>
          <Button variant="ghost" onClick={onClose} data-autofocus={promote ? undefined : true}>
            Cancel
          </Button>
          <Button
            variant={promote ? 'primary' : 'danger'}
            onClick={confirm}
            loading={mutation.isPending}
            data-autofocus={promote ? true : undefined}
            data-testid="confirm-role-change"
          >
            {promote ? 'Make administrator' : 'Make regular user'}
          </Button>
        </>
      }
    >
      <div className="flex flex-col gap-4 text-sm">
        <p>
          {promote
            ? 'Administrators can change anyone’s role, switch providers and connectors on or off, and read the audit log.'
            : isSelf
              ? 'You keep your account, jobs and schedules, but lose the Admin area.'
              : `${user.email} keeps their account, jobs and schedules, but loses the Admin area.`}
        </p>
        {isSelf && !promote && (
          <p className="rounded-lg border border-warning/40 bg-warning/10 px-3 py-2 font-medium text-warning">
            This is your own account: you will lose access to this page as soon as you confirm.
          </p>
        )}
        {error && (
          <div
            role="alert"
            className="rounded-lg border border-danger/40 bg-danger-soft px-3 py-2"
            data-testid="role-change-error"
          >
            <p className="font-semibold text-danger">
              {error instanceof ApiError && error.status === 409
                ? 'The last administrator cannot be removed'
                : 'Could not change the role'}
            </p>
            <p className="mt-1 text-fg">
              {error instanceof ApiError ? error.userMessage : 'Please try again.'}
            </p>
          </div>
        )}
        <p className="text-xs text-muted">The change is recorded in the audit log.</p>
      </div>
    </Dialog>
  );
}

function UserRow({
  user,
  isSelf,
  onRole,
}: {
  user: ManagedUser;
  isSelf: boolean;
  onRole: (role: Role) => void;
}) {
  return (
    <li
      className="flex flex-col gap-3 px-4 py-3 sm:flex-row sm:items-center"
      data-testid="user-row"
    >
      <div className="min-w-0 flex-1">
        <p className="flex min-w-0 items-center gap-2 font-medium">
          <span className="truncate">{user.email}</span>
          {isSelf && (
            <span
              className="shrink-0 rounded-full border border-accent/40 bg-accent-soft px-2 py-0.5 text-xs font-medium text-accent-text"
              data-testid="user-you"
            >
              you
            </span>
          )}
        </p>
        <p className="text-xs text-muted" data-dynamic>
          Joined {formatDate(user.created_at)} · {formatPlural(user.jobs, 'job', 'jobs')}
        </p>
      </div>
      <SelectField
        label={`Role of ${user.email}`}
        hideLabel
        value={user.role}
        onChange={(e) => {
          const role = e.target.value as Role;
          if (role !== user.role) onRole(role);
        }}
        className="sm:w-44"
        data-testid="user-role-select"
      >
        {(Object.keys(ROLE_LABELS) as Role[]).map((role) => (
          <option key={role} value={role}>
            {ROLE_LABELS[role]}
          </option>
        ))}
      </SelectField>
    </li>
  );
}

/** `/admin/users`: every account, searchable by email, with its role. */
export function UsersPanel() {
  const [params, setParams] = useSearchParams();
  const [search, setSearch] = useState(params.get('q') ?? '');
  const q = useDebouncedValue(search.trim());
  const users = useAdminUsers(q);
  const me = useMe();
  const [change, setChange] = useState<RoleChange | null>(null);
  const items = useMemo(() => users.data?.pages.flatMap((page) => page.items) ?? [], [users.data]);

  return (
    <section aria-labelledby="admin-users-title">
      <div className="mb-4 flex flex-col gap-3 sm:flex-row sm:items-end sm:justify-between">
        <div>
          <h2 id="admin-users-title" className="font-semibold">
            Users
          </h2>
          <p className="text-sm text-muted">Newest accounts first.</p>
        </div>
        <TextField
          label="Search by email"
          type="search"
          value={search}
          onChange={(e) => {
            setSearch(e.target.value);
            const value = e.target.value.trim();
            setParams(
              (current) => {
                const next = new URLSearchParams(current);
                if (value) next.set('q', value);
                else next.delete('q');
                return next;
              },
              { replace: true },
            );
          }}
          placeholder="name@example.com"
          className="sm:w-72"
          data-testid="user-search"
        />
      </div>

      {users.isPending ? (
        <LoadingBlock label="Loading users…" rows={4} />
      ) : users.isError ? (
        <AdminError
          error={users.error}
          title="Could not load users"
          onRetry={() => void users.refetch()}
        />
      ) : items.length === 0 ? (
        <EmptyState title={q ? 'No matching accounts' : 'No accounts yet'}>
          {q ? `No account’s email contains “${q}”.` : 'Accounts appear here once people sign up.'}
        </EmptyState>
      ) : (
        <Card
          className="overflow-hidden transition-opacity aria-busy:opacity-60"
          aria-busy={users.isPlaceholderData || undefined}
        >
          <ul className="divide-y divide-border" data-testid="user-list">
            {items.map((user) => (
              <UserRow
                key={user.id}
                user={user}
                isSelf={user.id === me.data?.id}
                onRole={(role) => setChange({ user, role })}
              />
            ))}
          </ul>
        </Card>
      )}

      {users.hasNextPage && (
        <div className="mt-4 flex justify-center">
          <Button
            onClick={() => void users.fetchNextPage()}
            loading={users.isFetchingNextPage}
            data-testid="users-load-more"
          >
            Load more
          </Button>
        </div>
      )}

      {change && (
        <ConfirmRoleChange
          change={change}
          isSelf={change.user.id === me.data?.id}
          onClose={() => setChange(null)}
        />
      )}
    </section>
  );
}
