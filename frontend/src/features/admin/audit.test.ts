import { describe, expect, it } from 'vitest';
import type { AuditKind } from '@/lib/api/types';
import {
  actorNames,
  AUDIT_KIND_GROUPS,
  AUDIT_KIND_LABELS,
  describeAuditEntry,
  endOfLocalDay,
  startOfLocalDay,
} from './audit';
import { ADMIN, entry, MEMBER } from './fixtures';

const names = new Map([
  [ADMIN.id, ADMIN.email],
  [MEMBER.id, MEMBER.email],
]);

function say(kind: AuditKind, payload: object, extra: object = {}) {
  return describeAuditEntry(entry({ kind, payload: payload as never, ...extra }), names);
}

describe('audit descriptions', () => {
  it('offers every kind in exactly one filter group', () => {
    const grouped = AUDIT_KIND_GROUPS.flatMap((group) => group.kinds);
    expect([...grouped].sort()).toEqual(Object.keys(AUDIT_KIND_LABELS).sort());
  });

  it('names who signed in, and why a sign-in failed', () => {
    expect(say('auth.login_succeeded', { email: 'ada@example.com', ip: '127.0.0.1' })).toBe(
      'ada@example.com signed in',
    );
    expect(
      say(
        'auth.login_failed',
        { email: 'eve@example.com', reason: 'unknown_email' },
        { actor_id: null },
      ),
    ).toBe('Failed sign-in as eve@example.com (no such account)');
    expect(say('auth.refresh_token_reused', {}, { actor_id: null, subject_id: MEMBER.id })).toBe(
      'A spent refresh token of bob@example.com was presented again; those sessions were signed out',
    );
  });

  it('says who changed a role, from the console or the command line', () => {
    expect(say('user.role_changed', { email: 'bob@example.com', to: 'admin', via: 'api' })).toBe(
      'ada@example.com made bob@example.com an administrator',
    );
    expect(
      say(
        'user.role_changed',
        { email: 'bob@example.com', to: 'user', via: 'cli' },
        { actor_id: null },
      ),
    ).toBe('An operator at the command line made bob@example.com a regular user');
  });

  it('describes work on jobs, variants and schedules', () => {
    const by = { actor_id: MEMBER.id };
    expect(say('job.created', { name: 'Four-day week', status: 'queued' }, by)).toBe(
      'bob@example.com created the job “Four-day week”',
    );
    expect(say('job.created', { name: 'Notes', status: 'draft' }, by)).toBe(
      'bob@example.com created the job “Notes” as a draft',
    );
    expect(say('job.retried', { attempts: 2 }, by)).toBe('bob@example.com retried a failed job');
    expect(say('variant.accepted', { channel: 'linkedin' }, by)).toBe(
      'bob@example.com accepted a variant for LinkedIn',
    );
    expect(say('variant.exported', { channel: 'x', format: 'md' }, by)).toBe(
      'bob@example.com exported a variant for X as Markdown',
    );
    expect(
      say('schedule.created', { connector: 'webhook', recurrence: 'FREQ=WEEKLY', via: 'api' }, by),
    ).toBe('bob@example.com scheduled a repeating post through the webhook');
    expect(say('schedule.created', { connector: 'file', via: 'import' }, by)).toBe(
      'bob@example.com imported a scheduled post from CSV',
    );
    expect(say('schedule.published', { owner_id: MEMBER.id, late: true }, { actor_id: null })).toBe(
      'A post scheduled by bob@example.com was published late',
    );
    expect(say('schedule.created', { connector: 'account', via: 'api' }, by)).toBe(
      'bob@example.com scheduled a post to a connected account',
    );
    expect(
      say('connection.created', { network: 'bluesky', handle: '@bakery.bsky.social' }, by),
    ).toBe('bob@example.com connected @bakery.bsky.social on Bluesky');
    expect(say('connection.removed', { network: 'mastodon' }, by)).toBe(
      'bob@example.com disconnected an account on Mastodon',
    );
  });

  it('says what changed on a tool', () => {
    expect(
      say('tool.changed', { key: 'openai', changes: { enabled: { from: true, to: false } } }),
    ).toBe('Tool openai disabled by ada@example.com');
    expect(
      say('tool.changed', {
        key: 'file',
        changes: { enabled: { from: false, to: true }, config: { from: {}, to: {} } },
      }),
    ).toBe('Tool file enabled and its settings changed by ada@example.com');
    expect(say('tool.changed', { key: 'local', changes: { config: { from: {}, to: {} } } })).toBe(
      'Tool local settings changed by ada@example.com',
    );
  });

  it('names an actor it has no email for by the end of their id', () => {
    expect(
      describeAuditEntry(
        entry({
          kind: 'job.retried',
          actor_id: '0193a000-0000-7000-8000-0000deadbeef',
          actor_email: null,
        }),
        new Map(),
      ),
    ).toBe('user …deadbeef retried a failed job');
  });

  it("learns emails from the entries' actors and from the accounts loaded", () => {
    const signIn = entry({ kind: 'job.created', actor_id: 'u-1', actor_email: 'cy@example.com' });
    const known = actorNames([{ id: MEMBER.id, email: MEMBER.email }], [signIn]);
    expect(known.get('u-1')).toBe('cy@example.com');
    expect(known.get(MEMBER.id)).toBe(MEMBER.email);
  });
});

describe('audit date range', () => {
  it('turns local days into the instants the API filters on, the last day included', () => {
    expect(startOfLocalDay('2026-12-01')).toBe(new Date(2026, 11, 1).toISOString());
    expect(endOfLocalDay('2026-12-31')).toBe(new Date(2027, 0, 1).toISOString());
    expect(startOfLocalDay('12/01/2026')).toBeNull();
    expect(endOfLocalDay('')).toBeNull();
  });
});
