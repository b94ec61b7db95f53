import { clsx } from 'clsx';
import { useId, useMemo, useState } from 'react';
import { useSearchParams } from 'react-router';
import { Button } from '@/components/ui/Button';
import { Card } from '@/components/ui/Card';
import { SelectField, TextField } from '@/components/ui/Field';
import { ChevronDownIcon } from '@/components/ui/icons';
import { EmptyState, LoadingBlock } from '@/components/ui/States';
import type { AuditEntry } from '@/lib/api/types';
import { formatDateTime } from '@/lib/format';
import { useMe } from '@/lib/auth/queries';
import { AdminError } from './AdminPage';
import {
  actorNames,
  AUDIT_KIND_GROUPS,
  AUDIT_KIND_LABELS,
  auditTone,
  describeAuditEntry,
  endOfLocalDay,
  isAuditKind,
  startOfLocalDay,
  userName,
} from './audit';
import { useAuditLog, useUserDirectory, type AuditFilters } from './queries';

const TONES = {
  alert: 'bg-danger',
  change: 'bg-warning',
  ok: 'bg-success',
  neutral: 'bg-muted/60',
} as const;

type FilterName = 'kind' | 'actor' | 'from' | 'to';

function AuditRow({
  entry,
  names,
  onActor,
}: {
  entry: AuditEntry;
  names: Map<string, string>;
  onActor: (id: string) => void;
}) {
  const [open, setOpen] = useState(false);
  const id = useId();
  const sentence = describeAuditEntry(entry, names);
  const ip = (entry.payload as Record<string, unknown>).ip;
  return (
    <li data-testid="audit-entry" data-kind={entry.kind}>
      <div className="flex items-start gap-3 px-4 py-3">
        <span
          aria-hidden="true"
          className={clsx('mt-1.5 size-2 shrink-0 rounded-full', TONES[auditTone(entry.kind)])}
        />
        <div className="min-w-0 flex-1">
          <p id={`${id}-sentence`} className="text-sm font-medium break-words">
            {sentence}
          </p>
          <p className="mt-0.5 flex flex-wrap items-center gap-x-2 gap-y-1 text-xs text-muted">
            <span>{AUDIT_KIND_LABELS[entry.kind] ?? entry.kind}</span>
            <span aria-hidden="true">·</span>
            <time dateTime={entry.created_at} data-dynamic>
              {formatDateTime(entry.created_at)}
            </time>
            {typeof ip === 'string' && (
              <>
                <span aria-hidden="true">·</span>
                <span data-dynamic>from {ip}</span>
              </>
            )}
          </p>
        </div>
        <button
          type="button"
          onClick={() => setOpen((o) => !o)}
          aria-expanded={open}
          aria-controls={`${id}-details`}
          aria-describedby={`${id}-sentence`}
          className="inline-flex h-8 shrink-0 items-center gap-1 rounded-lg px-2 text-xs font-medium text-muted hover:bg-surface-2 hover:text-fg"
          data-testid="audit-details-toggle"
        >
          Details
          <ChevronDownIcon
            width={14}
            height={14}
            className={clsx('transition-transform', open && 'rotate-180')}
          />
        </button>
      </div>
      {open && (
        <div id={`${id}-details`} className="flex flex-col gap-3 px-4 pb-4 sm:pl-9">
          <dl className="grid grid-cols-[6rem_minmax(0,1fr)] gap-x-3 gap-y-1 text-xs">
            <dt className="text-muted">Kind</dt>
            <dd>
              <code>{entry.kind}</code>
            </dd>
            <dt className="text-muted">Actor</dt>
            <dd className="flex flex-wrap items-center gap-x-2 break-all">
              {entry.actor_id ? (
                <>
                  <span>{userName(entry.actor_id, names)}</span>
                  <button
                    type="button"
                    className="font-medium text-accent-text hover:underline"
                    onClick={() => onActor(entry.actor_id as string)}
                  >
                    Only this actor
                  </button>
                </>
              ) : (
                <span className="text-muted">None (the system or an unknown caller)</span>
              )}
            </dd>
            {entry.subject && (
              <>
                <dt className="text-muted">Subject</dt>
                <dd className="break-all">
                  {entry.subject} <code className="text-muted">{entry.subject_id}</code>
                </dd>
              </>
            )}
            <dt className="text-muted">Event id</dt>
            <dd className="break-all">
              <code className="text-muted">{entry.id}</code>
            </dd>
          </dl>
          <pre
            className="max-h-80 overflow-auto rounded-lg border border-border bg-bg p-3 text-xs leading-relaxed"
            aria-label="Payload"
            tabIndex={0}
            data-testid="audit-payload"
          >
            {JSON.stringify(entry.payload, null, 2)}
          </pre>
        </div>
      )}
    </li>
  );
}

/** `/admin/audit`: what happened, newest first, narrowed by kind, actor and days. */
export function AuditPanel() {
  const [params, setParams] = useSearchParams();
  const kindParam = params.get('kind');
  const kind = isAuditKind(kindParam) ? kindParam : '';
  const actorId = params.get('actor') ?? '';
  const [fromDay, setFromDay] = useState(params.get('from') ?? '');
  const [toDay, setToDay] = useState(params.get('to') ?? '');
  const [rangeError, setRangeError] = useState<string | null>(null);

  const filters: AuditFilters = {
    kind,
    actorId,
    from: startOfLocalDay(params.get('from') ?? '') ?? '',
    to: endOfLocalDay(params.get('to') ?? '') ?? '',
  };
  const audit = useAuditLog(filters);
  const directory = useUserDirectory();
  const me = useMe();
  const filtered = Boolean(kind || actorId || filters.from || filters.to);

  const entries = useMemo(
    () => audit.data?.pages.flatMap((page) => page.items) ?? [],
    [audit.data],
  );
  const users = useMemo(
    () => [...(directory.data ?? []), ...(me.data ? [me.data] : [])],
    [directory.data, me.data],
  );
  const names = useMemo(() => actorNames(users, entries), [users, entries]);
  const actors = useMemo(
    () =>
      [...new Map(users.map((u) => [u.id, u.email])).entries()].sort(([, a], [, b]) =>
        a.localeCompare(b),
      ),
    [users],
  );

  function setFilter(name: FilterName, value: string) {
    setParams(
      (current) => {
        const next = new URLSearchParams(current);
        if (value) next.set(name, value);
        else next.delete(name);
        return next;
      },
      { replace: name === 'from' || name === 'to' },
    );
  }

  function setDay(name: 'from' | 'to', value: string) {
    const from = name === 'from' ? value : fromDay;
    const to = name === 'to' ? value : toDay;
    if (name === 'from') setFromDay(value);
    else setToDay(value);
    if (from && to && to < from) {
      setRangeError('The last day must not be before the first day.');
      return;
    }
    setRangeError(null);
    setParams(
      (current) => {
        const next = new URLSearchParams(current);
        for (const [key, day] of [
          ['from', from],
          ['to', to],
        ] as const) {
          if (day && startOfLocalDay(day)) next.set(key, day);
          else next.delete(key);
        }
        return next;
      },
      { replace: true },
    );
  }

  function clear() {
    setFromDay('');
    setToDay('');
    setRangeError(null);
    setParams(new URLSearchParams(), { replace: true });
  }

  return (
    <section aria-labelledby="admin-audit-title">
      <div className="mb-4 flex flex-wrap items-end justify-between gap-3">
        <div>
          <h2 id="admin-audit-title" className="font-semibold">
            Audit log
          </h2>
          <p className="text-sm text-muted">
            Sign-ins, role and tool changes, and what people did with jobs, variants and schedules;
            newest first.
          </p>
        </div>
        <Button size="sm" variant="ghost" onClick={clear} disabled={!filtered && !rangeError}>
          Clear filters
        </Button>
      </div>

      <form
        role="search"
        aria-label="Filter the audit log"
        onSubmit={(e) => e.preventDefault()}
        className="mb-4 grid grid-cols-2 gap-3 lg:grid-cols-4"
      >
        <SelectField
          label="Kind"
          className="col-span-2 sm:col-span-1"
          value={kind}
          onChange={(e) => setFilter('kind', e.target.value)}
          data-testid="audit-kind-filter"
        >
          <option value="">All kinds</option>
          {AUDIT_KIND_GROUPS.map((group) => (
            <optgroup key={group.label} label={group.label}>
              {group.kinds.map((k) => (
                <option key={k} value={k}>
                  {AUDIT_KIND_LABELS[k]}
                </option>
              ))}
            </optgroup>
          ))}
        </SelectField>
        <SelectField
          label="Actor"
          className="col-span-2 sm:col-span-1"
          value={actorId}
          onChange={(e) => setFilter('actor', e.target.value)}
          data-testid="audit-actor-filter"
        >
          <option value="">Anyone</option>
          {actorId && !actors.some(([id]) => id === actorId) && (
            <option value={actorId}>{userName(actorId, names)}</option>
          )}
          {actors.map(([id, email]) => (
            <option key={id} value={id}>
              {email}
            </option>
          ))}
        </SelectField>
        <TextField
          label="From"
          type="date"
          value={fromDay}
          max={toDay || undefined}
          onChange={(e) => setDay('from', e.target.value)}
          hint="Days in your time zone"
          data-testid="audit-from"
        />
        <TextField
          label="To"
          type="date"
          value={toDay}
          min={fromDay || undefined}
          onChange={(e) => setDay('to', e.target.value)}
          error={rangeError}
          hint="This day included"
          data-testid="audit-to"
        />
      </form>

      {audit.isPending ? (
        <LoadingBlock label="Loading the audit log…" rows={5} />
      ) : audit.isError ? (
        <AdminError
          error={audit.error}
          title="Could not load the audit log"
          onRetry={() => void audit.refetch()}
        />
      ) : entries.length === 0 ? (
        <EmptyState title={filtered ? 'No matching events' : 'Nothing recorded yet'}>
          {filtered
            ? 'No event matches these filters. Try another kind, actor or range of days.'
            : 'Events appear here as people sign in and work.'}
        </EmptyState>
      ) : (
        <Card
          className="overflow-hidden transition-opacity aria-busy:opacity-60"
          aria-busy={audit.isPlaceholderData || undefined}
        >
          <ul className="divide-y divide-border" data-testid="audit-list">
            {entries.map((entry) => (
              <AuditRow
                key={entry.id}
                entry={entry}
                names={names}
                onActor={(id) => setFilter('actor', id)}
              />
            ))}
          </ul>
        </Card>
      )}

      {audit.hasNextPage && (
        <div className="mt-4 flex justify-center">
          <Button
            onClick={() => void audit.fetchNextPage()}
            loading={audit.isFetchingNextPage}
            data-testid="audit-load-more"
          >
            Load more
          </Button>
        </div>
      )}
    </section>
  );
}
