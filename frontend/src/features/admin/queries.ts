import {
  keepPreviousData,
  useInfiniteQuery,
  useMutation,
  useQuery,
  useQueryClient,
} from '@tanstack/react-query';
import { api, unwrap } from '@/lib/api/client';
import type { AuditKind, Role, Tool, UpdateToolRequest } from '@/lib/api/types';
import { authKeys } from '@/lib/auth/queries';

export const adminKeys = {
  all: ['admin'] as const,
  users: () => [...adminKeys.all, 'users'] as const,
  userList: (q: string) => [...adminKeys.users(), 'list', { q }] as const,
  directory: () => [...adminKeys.users(), 'directory'] as const,
  audit: () => [...adminKeys.all, 'audit'] as const,
  auditList: (filters: AuditFilters) => [...adminKeys.audit(), filters] as const,
  tools: () => ['tools'] as const,
};

const PAGE_SIZE = 20;
/** The most accounts one page can hold: enough to name every actor on a small installation. */
const DIRECTORY_SIZE = 100;

/** Accounts whose email contains `q` (server-side, case-insensitive), newest first. */
export function useAdminUsers(q: string) {
  return useInfiniteQuery({
    queryKey: adminKeys.userList(q),
    initialPageParam: undefined as string | undefined,
    queryFn: ({ pageParam }) =>
      unwrap(
        api.GET('/admin/users', {
          params: {
            query: {
              limit: PAGE_SIZE,
              ...(q ? { q } : {}),
              ...(pageParam ? { cursor: pageParam } : {}),
            },
          },
        }),
      ),
    placeholderData: keepPreviousData,
    getNextPageParam: (last) => last.next_cursor ?? undefined,
  });
}

/**
 * The newest accounts, to name the actors of audit events and offer them as a filter. The
 * audit log carries ids only; an actor outside this page is shown by a short id.
 */
export function useUserDirectory() {
  return useQuery({
    queryKey: adminKeys.directory(),
    queryFn: async () =>
      (await unwrap(api.GET('/admin/users', { params: { query: { limit: DIRECTORY_SIZE } } })))
        .items,
    staleTime: 60_000,
  });
}

export function useChangeRole() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ id, role }: { id: string; role: Role }) =>
      unwrap(api.PATCH('/admin/users/{id}', { params: { path: { id } }, body: { role } })),
    onSuccess: () => {
      void qc.invalidateQueries({ queryKey: adminKeys.users() });
      void qc.invalidateQueries({ queryKey: adminKeys.audit() });
      // Changing one's own role changes what the console shows (the Admin area).
      void qc.invalidateQueries({ queryKey: authKeys.me() });
    },
  });
}

export function useTools() {
  return useQuery({
    queryKey: adminKeys.tools(),
    queryFn: async () => (await unwrap(api.GET('/tools'))).items,
  });
}

/** Saves a tool; an `enabled` change shows at once and is put back if the server refuses it. */
export function useUpdateTool() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ key, body }: { key: string; body: UpdateToolRequest }) =>
      unwrap(api.PUT('/tools/{key}', { params: { path: { key } }, body })),
    onMutate: async ({ key, body }) => {
      if (body.enabled == null) return { previous: undefined };
      await qc.cancelQueries({ queryKey: adminKeys.tools() });
      const previous = qc.getQueryData<Tool[]>(adminKeys.tools());
      const enabled = body.enabled;
      qc.setQueryData<Tool[]>(adminKeys.tools(), (tools) =>
        tools?.map((tool) =>
          tool.key === key ? { ...tool, enabled, available: enabled && tool.configured } : tool,
        ),
      );
      return { previous };
    },
    onError: (_error, _vars, context) => {
      if (context?.previous) qc.setQueryData(adminKeys.tools(), context.previous);
    },
    onSuccess: (saved) => {
      qc.setQueryData<Tool[]>(adminKeys.tools(), (tools) =>
        tools?.map((tool) => (tool.key === saved.key ? saved : tool)),
      );
    },
    onSettled: () => {
      void qc.invalidateQueries({ queryKey: adminKeys.tools() });
      void qc.invalidateQueries({ queryKey: adminKeys.audit() });
    },
  });
}

/** What the audit log is narrowed to; empty strings mean "any". */
export type AuditFilters = {
  kind: AuditKind | '';
  actorId: string;
  /** RFC 3339 instants: events at or after `from`, and before `to`. */
  from: string;
  to: string;
};

export function useAuditLog(filters: AuditFilters) {
  return useInfiniteQuery({
    queryKey: adminKeys.auditList(filters),
    initialPageParam: undefined as string | undefined,
    queryFn: ({ pageParam }) =>
      unwrap(
        api.GET('/admin/audit', {
          params: {
            query: {
              limit: PAGE_SIZE,
              ...(filters.kind ? { kind: filters.kind } : {}),
              ...(filters.actorId ? { actor_id: filters.actorId } : {}),
              ...(filters.from ? { from: filters.from } : {}),
              ...(filters.to ? { to: filters.to } : {}),
              ...(pageParam ? { cursor: pageParam } : {}),
            },
          },
        }),
      ),
    placeholderData: keepPreviousData,
    getNextPageParam: (last) => last.next_cursor ?? undefined,
  });
}
