import { CHANNEL_LABELS, isChannel, type AuditEntry, type AuditKind } from '@/lib/api/types';

/** Each audit kind in words, as the kind filter offers it. */
export const AUDIT_KIND_LABELS: Record<AuditKind, string> = {
  'auth.login_succeeded': 'Signed in',
  'auth.login_failed': 'Failed sign-in',
  'auth.refresh_token_reused': 'Refresh token reused',
  'user.role_changed': 'Role changed',
  'job.created': 'Job created',
  'job.retried': 'Job retried',
  'variant.accepted': 'Variant accepted',
  'variant.exported': 'Variant exported',
  'schedule.created': 'Post scheduled',
  'schedule.published': 'Post published',
  'tool.changed': 'Tool changed',
  'connection.created': 'Account connected',
  'connection.removed': 'Account disconnected',
};

/** The kinds grouped by what they are about, for the filter's option groups. */
export const AUDIT_KIND_GROUPS: ReadonlyArray<{ label: string; kinds: readonly AuditKind[] }> = [
  {
    label: 'Sign-in',
    kinds: ['auth.login_succeeded', 'auth.login_failed', 'auth.refresh_token_reused'],
  },
  { label: 'Accounts', kinds: ['user.role_changed'] },
  { label: 'Jobs', kinds: ['job.created', 'job.retried'] },
  { label: 'Variants', kinds: ['variant.accepted', 'variant.exported'] },
  { label: 'Schedules', kinds: ['schedule.created', 'schedule.published'] },
  { label: 'Tools', kinds: ['tool.changed'] },
  { label: 'Connected accounts', kinds: ['connection.created', 'connection.removed'] },
];

export function isAuditKind(value: string | null): value is AuditKind {
  return value !== null && value in AUDIT_KIND_LABELS;
}

/** How much an event deserves a look: failed sign-ins and token reuse first. */
export function auditTone(kind: AuditKind): 'alert' | 'change' | 'ok' | 'neutral' {
  switch (kind) {
    case 'auth.login_failed':
    case 'auth.refresh_token_reused':
      return 'alert';
    case 'user.role_changed':
    case 'tool.changed':
      return 'change';
    case 'auth.login_succeeded':
      return 'ok';
    default:
      return 'neutral';
  }
}

/** Emails by user id: each entry's actor as the API names it, and the accounts loaded here. */
export function actorNames(
  users: ReadonlyArray<{ id: string; email: string }>,
  entries: readonly AuditEntry[],
): Map<string, string> {
  const names = new Map<string, string>();
  for (const entry of entries) {
    if (entry.actor_id && entry.actor_email) names.set(entry.actor_id, entry.actor_email);
  }
  for (const user of users) names.set(user.id, user.email);
  return names;
}

/** A user the log names by id only: the email when known, else the id's last characters. */
export function userName(id: string | null | undefined, names: Map<string, string>): string {
  if (!id) return 'Someone';
  return names.get(id) ?? `user …${id.slice(-8)}`;
}

function payloadOf(entry: AuditEntry): Record<string, unknown> {
  const payload: unknown = entry.payload;
  return typeof payload === 'object' && payload !== null
    ? (payload as Record<string, unknown>)
    : {};
}

function text(entry: AuditEntry, name: string): string | null {
  const value = payloadOf(entry)[name];
  return typeof value === 'string' && value ? value : null;
}

function channelName(entry: AuditEntry): string {
  const channel = text(entry, 'channel') ?? '';
  return isChannel(channel) ? CHANNEL_LABELS[channel] : channel || 'a channel';
}

const NETWORK_NAMES: Record<string, string> = {
  x: 'X',
  linkedin: 'LinkedIn',
  mastodon: 'Mastodon',
  bluesky: 'Bluesky',
};

const EXPORT_FORMATS: Record<string, string> = {
  txt: 'plain text',
  md: 'Markdown',
  html: 'HTML',
  json: 'JSON',
};

function toolChange(entry: AuditEntry): string {
  const changes = payloadOf(entry).changes;
  const record =
    typeof changes === 'object' && changes !== null ? (changes as Record<string, unknown>) : {};
  const enabled = record.enabled as { to?: unknown } | undefined;
  const parts: string[] = [];
  if (enabled && typeof enabled.to === 'boolean') parts.push(enabled.to ? 'enabled' : 'disabled');
  if ('config' in record) parts.push(parts.length ? 'its settings changed' : 'settings changed');
  return parts.length ? parts.join(' and ') : 'changed';
}

/** One sentence a person can read: "ada@example.com signed in", "Tool openai disabled by …". */
export function describeAuditEntry(entry: AuditEntry, names: Map<string, string>): string {
  const actor = userName(entry.actor_id, names);
  switch (entry.kind) {
    case 'auth.login_succeeded':
      return `${text(entry, 'email') ?? actor} signed in`;
    case 'auth.login_failed': {
      const reason = text(entry, 'reason');
      const why =
        reason === 'wrong_password'
          ? ' (wrong password)'
          : reason === 'unknown_email'
            ? ' (no such account)'
            : '';
      return `Failed sign-in as ${text(entry, 'email') ?? 'an unknown email'}${why}`;
    }
    case 'auth.refresh_token_reused':
      return `A spent refresh token of ${userName(entry.subject_id, names)} was presented again; those sessions were signed out`;
    case 'user.role_changed': {
      const who =
        text(entry, 'via') === 'cli'
          ? 'An operator at the command line'
          : userName(entry.actor_id, names);
      const target = text(entry, 'email') ?? userName(entry.subject_id, names);
      return text(entry, 'to') === 'admin'
        ? `${who} made ${target} an administrator`
        : `${who} made ${target} a regular user`;
    }
    case 'job.created': {
      const name = text(entry, 'name');
      const draft = text(entry, 'status') === 'draft' ? ' as a draft' : '';
      return `${actor} created ${name ? `the job “${name}”` : 'a job'}${draft}`;
    }
    case 'job.retried':
      return `${actor} retried a failed job`;
    case 'variant.accepted':
      return `${actor} accepted a variant for ${channelName(entry)}`;
    case 'variant.exported': {
      const format = text(entry, 'format') ?? '';
      return `${actor} exported a variant for ${channelName(entry)} as ${EXPORT_FORMATS[format] ?? (format || 'a file')}`;
    }
    case 'schedule.created': {
      if (text(entry, 'via') === 'import') return `${actor} imported a scheduled post from CSV`;
      const connector = text(entry, 'connector');
      const through =
        connector === 'webhook'
          ? ' through the webhook'
          : connector === 'file'
            ? ' to the outbox file'
            : connector === 'account'
              ? ' to a connected account'
              : '';
      const repeating = text(entry, 'recurrence') ? 'a repeating post' : 'a post';
      return `${actor} scheduled ${repeating}${through}`;
    }
    case 'schedule.published': {
      const owner = userName(text(entry, 'owner_id'), names);
      const late = payloadOf(entry).late === true ? ' late' : '';
      return `A post scheduled by ${owner} was published${late}`;
    }
    case 'tool.changed':
      return `Tool ${text(entry, 'key') ?? 'unknown'} ${toolChange(entry)} by ${actor}`;
    case 'connection.created':
    case 'connection.removed': {
      const network = NETWORK_NAMES[text(entry, 'network') ?? ''] ?? 'a network';
      const handle = text(entry, 'handle');
      const verb = entry.kind === 'connection.created' ? 'connected' : 'disconnected';
      return `${actor} ${verb} ${handle ? `${handle} on ${network}` : `an account on ${network}`}`;
    }
    default:
      return entry.kind;
  }
}

/** `YYYY-MM-DD` in the reader's time zone → the RFC 3339 instant its day starts. */
export function startOfLocalDay(day: string): string | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  if (!match) return null;
  const date = new Date(Number(match[1]), Number(match[2]) - 1, Number(match[3]));
  return Number.isNaN(date.getTime()) ? null : date.toISOString();
}

/** `YYYY-MM-DD` → the instant the next day starts: "to" days are included whole. */
export function endOfLocalDay(day: string): string | null {
  const start = startOfLocalDay(day);
  if (!start) return null;
  const date = new Date(start);
  date.setDate(date.getDate() + 1);
  return date.toISOString();
}
