import type { AuditEntry, ManagedUser, Tool, User } from '@/lib/api/types';

/** Test data shaped like the API's answers. */
export const ADMIN: User = {
  id: '0193a000-0000-7000-8000-00000000a001',
  email: 'ada@example.com',
  role: 'admin',
  created_at: '2026-11-01T10:00:00Z',
};

export const MEMBER: User = {
  id: '0193a000-0000-7000-8000-00000000b002',
  email: 'bob@example.com',
  role: 'user',
  created_at: '2026-11-10T10:00:00Z',
};

export function managed(user: User, jobs = 0): ManagedUser {
  return { ...user, jobs };
}

export function tool(key: string, overrides: Partial<Tool> = {}): Tool {
  const provider = key === 'local' || key === 'openai';
  return {
    id: `0193a000-0000-7000-8000-0000000t${key.padStart(4, '0').slice(-4)}`,
    key,
    kind: provider ? 'provider' : 'connector',
    enabled: true,
    configured: true,
    available: true,
    config: { display_name: `${key} tool`, description: null },
    updated_at: '2026-11-20T10:00:00Z',
    ...overrides,
  };
}

export function entry(overrides: Partial<AuditEntry> & Pick<AuditEntry, 'kind'>): AuditEntry {
  return {
    id: `0193a000-0000-7000-8000-${Math.random().toString(16).slice(2, 14).padEnd(12, '0')}`,
    actor_id: ADMIN.id,
    actor_email: ADMIN.email,
    subject: null,
    subject_id: null,
    payload: {},
    created_at: '2026-12-01T09:00:00Z',
    ...overrides,
  } as AuditEntry;
}
