import { lazy, Suspense, useMemo, useState } from 'react';
import { useSearchParams } from 'react-router';
import { Button } from '@/components/ui/Button';
import { Card } from '@/components/ui/Card';
import { EmptyState, ErrorState, LoadingBlock, PageHeader } from '@/components/ui/States';
import { Spinner } from '@/components/ui/Spinner';
import { CalendarIcon, ChevronLeftIcon, ChevronRightIcon, UploadIcon } from '@/components/ui/icons';
import { ApiError } from '@/lib/api/problem';
import { usePageTitle } from '@/lib/usePageTitle';
import type { Schedule } from '@/lib/api/types';
import { browserTimeZone, dayInZone } from '@/lib/zoned';
import {
  byDay,
  parseDay,
  parseView,
  shiftDay,
  visibleDays,
  windowOf,
  type CalendarView,
} from './calendar';
import { ChannelName, PostStatusBadge } from './components/Badges';
import { CalendarFeed } from './components/CalendarFeed';
import { ListView, MonthView, WeekView } from './components/CalendarViews';
import { CsvImport } from './components/CsvImport';
import { ScheduleDetails } from './components/ScheduleDetails';
import { ScheduleDialog } from './components/ScheduleDialog';
import { PANEL_ID, tabId, ViewTabs } from './components/ViewTabs';
import { dateTimeIn, monthTitle, rangeTitle } from './format';
import { useCalendar, useOpenSlots } from './queries';
import { describeStored } from './recurrence';

// Dragging queued posts brings its own library: only the Queue tab loads it.
const QueueView = lazy(() =>
  import('./components/QueueView').then((module) => ({ default: module.QueueView })),
);

/** The caller's schedules, active first, soonest first. */
function ScheduleOverview({
  schedules,
  onOpen,
}: {
  schedules: Schedule[];
  onOpen: (id: string) => void;
}) {
  const sorted = [...schedules].sort((a, b) => {
    const rank = (s: Schedule) => (s.status === 'active' ? 0 : s.status === 'paused' ? 1 : 2);
    return (
      rank(a) - rank(b) ||
      Date.parse(a.next_run_at ?? a.run_at) - Date.parse(b.next_run_at ?? b.run_at)
    );
  });
  return (
    <Card className="p-5">
      <h2 className="mb-3 font-semibold">
        Your schedules <span className="font-normal text-muted">({schedules.length})</span>
      </h2>
      {sorted.length === 0 ? (
        <p className="text-sm text-muted">None yet.</p>
      ) : (
        <ul
          className="-mx-2 flex max-h-96 flex-col overflow-y-auto"
          data-testid="schedule-overview"
        >
          {sorted.map((s) => (
            <li key={s.id}>
              <button
                type="button"
                onClick={() => onOpen(s.id)}
                aria-haspopup="dialog"
                className="flex w-full flex-col gap-1 rounded-lg px-2 py-2 text-left hover:bg-surface-2"
              >
                <span className="flex items-center justify-between gap-2 text-sm font-medium">
                  <ChannelName channel={s.channel} />
                  <PostStatusBadge status={s.status} />
                </span>
                {s.first_line && (
                  <span className="line-clamp-1 text-sm" data-testid="schedule-first-line">
                    {s.first_line}
                  </span>
                )}
                <span className="line-clamp-2 text-xs text-muted">
                  {describeStored(s.run_at, s.timezone, s.recurrence)}
                </span>
                {s.next_run_at && s.status === 'active' && (
                  <span className="text-xs text-muted" data-dynamic>
                    Next: {dateTimeIn(s.next_run_at, s.timezone)}
                  </span>
                )}
              </button>
            </li>
          ))}
        </ul>
      )}
    </Card>
  );
}

export function SchedulerPage() {
  usePageTitle('Scheduler');
  const [params, setParams] = useSearchParams();
  const [timeZone] = useState(browserTimeZone);
  const [today] = useState(() => dayInZone(Date.now(), timeZone));
  const view = parseView(params.get('view'));
  const anchor = parseDay(params.get('date'), today);
  const openId = params.get('schedule');
  const [creating, setCreating] = useState(false);
  const [importing, setImporting] = useState(false);

  const days = useMemo(() => visibleDays(view, anchor), [view, anchor]);
  const { from, to } = useMemo(() => windowOf(days, timeZone), [days, timeZone]);
  const calendar = useCalendar(from, to);
  const occurrences = useMemo(
    () => byDay(calendar.data?.occurrences ?? [], timeZone),
    [calendar.data, timeZone],
  );
  const openSlotList = useOpenSlots(from, to);
  const openSlots = useMemo(
    () => byDay(openSlotList.data ?? [], timeZone),
    [openSlotList.data, timeZone],
  );
  const schedules = useMemo(
    () => new Map((calendar.data?.items ?? []).map((s) => [s.id, s])),
    [calendar.data],
  );

  function go(next: { view?: CalendarView; date?: string; schedule?: string | null }) {
    setParams((current) => {
      const out = new URLSearchParams(current);
      if (next.view) out.set('view', next.view);
      if (next.date) out.set('date', next.date);
      if (next.schedule === null) out.delete('schedule');
      else if (next.schedule) out.set('schedule', next.schedule);
      return out;
    });
  }
  const open = (id: string) => go({ schedule: id });
  const unit = view === 'week' ? 'week' : 'month';
  const title = view === 'week' ? rangeTitle(days[0], days[days.length - 1]) : monthTitle(anchor);
  const inView = (calendar.data?.occurrences.length ?? 0) > 0;

  let content;
  if (view === 'queue') {
    content = (
      <Suspense fallback={<LoadingBlock label="Loading the queue…" rows={3} />}>
        <QueueView />
      </Suspense>
    );
  } else if (calendar.isPending) {
    content = <LoadingBlock label="Loading your calendar…" rows={4} />;
  } else if (calendar.isError && !calendar.data) {
    content = (
      <ErrorState
        title="Could not load your calendar"
        message={
          calendar.error instanceof ApiError ? calendar.error.userMessage : 'Please try again.'
        }
        onRetry={() => void calendar.refetch()}
      />
    );
  } else {
    const props = { anchor, today, days, occurrences, openSlots, timeZone, onOpen: open };
    content =
      view === 'month' ? (
        <MonthView {...props} onSelectDay={(date) => go({ date })} />
      ) : view === 'week' ? (
        <WeekView {...props} />
      ) : inView ? (
        <ListView {...props} schedules={schedules} />
      ) : (
        <EmptyState
          title={`Nothing scheduled in ${monthTitle(anchor)}`}
          icon={<CalendarIcon width={28} height={28} />}
          action={
            <Button variant="primary" size="sm" onClick={() => setCreating(true)}>
              New schedule
            </Button>
          }
        >
          Accept a post in the Studio and press Schedule, or create a schedule here.
        </EmptyState>
      );
  }

  return (
    <div>
      <PageHeader
        title="Scheduler"
        description="Every post on its way out, in your time zone."
        actions={
          <>
            <Button
              onClick={() => setImporting(true)}
              aria-haspopup="dialog"
              data-testid="import-open"
            >
              <UploadIcon width={16} height={16} />
              Import CSV
            </Button>
            <Button
              variant="primary"
              onClick={() => setCreating(true)}
              aria-haspopup="dialog"
              data-testid="new-schedule"
            >
              <CalendarIcon width={16} height={16} />
              New schedule
            </Button>
          </>
        }
      />

      <div className="grid gap-6 2xl:grid-cols-[minmax(0,1fr)_20rem]">
        <section aria-label="Calendar" className="min-w-0">
          <div className="mb-3 flex flex-wrap items-center gap-x-3 gap-y-2">
            {view !== 'queue' && (
              <div className="flex items-center gap-1">
                <Button
                  size="sm"
                  className="w-8 px-0!"
                  aria-label={`Previous ${unit}`}
                  onClick={() => go({ date: shiftDay(view, anchor, -1) })}
                  data-testid="calendar-prev"
                >
                  <ChevronLeftIcon width={18} height={18} strokeWidth={2} />
                </Button>
                <Button size="sm" onClick={() => go({ date: today })} data-testid="calendar-today">
                  Today
                </Button>
                <Button
                  size="sm"
                  className="w-8 px-0!"
                  aria-label={`Next ${unit}`}
                  onClick={() => go({ date: shiftDay(view, anchor, 1) })}
                  data-testid="calendar-next"
                >
                  <ChevronRightIcon width={18} height={18} strokeWidth={2} />
                </Button>
              </div>
            )}
            <h2 className="text-lg font-semibold" aria-live="polite" data-testid="calendar-title">
              {view === 'queue' ? 'Queue' : title}
            </h2>
            {calendar.isFetching && !calendar.isPending && (
              <Spinner className="size-4 text-muted" />
            )}
            <div className="ml-auto">
              <ViewTabs view={view} onChange={(v) => go({ view: v })} />
            </div>
          </div>
          {view !== 'queue' && (
            <p className="mb-3 text-xs text-muted">
              Times in {timeZone}, your time zone.
              {(openSlotList.data?.length ?? 0) > 0 &&
                ' Dashed: open posting slots of your accounts.'}
              {(calendar.data?.occurrences.length ?? 0) >= 2000 &&
                ' Showing the first 2,000 posts of this range.'}
            </p>
          )}
          {calendar.data &&
            calendar.data.items.length === 0 &&
            view !== 'list' &&
            view !== 'queue' && (
              <p className="mb-3 rounded-lg border border-dashed border-border px-4 py-3 text-sm text-muted">
                No posts scheduled yet. Accept a post in the Studio and press{' '}
                <span className="font-medium text-fg">Schedule</span>, or use{' '}
                <span className="font-medium text-fg">New schedule</span> above.
              </p>
            )}
          <div
            role="tabpanel"
            id={PANEL_ID}
            aria-labelledby={tabId(view)}
            data-testid="calendar"
            data-view={view}
          >
            {content}
          </div>
        </section>

        <aside
          className="grid content-start gap-6 lg:grid-cols-2 2xl:grid-cols-1"
          aria-label="Feed and schedules"
        >
          <CalendarFeed />
          {calendar.data && <ScheduleOverview schedules={calendar.data.items} onOpen={open} />}
        </aside>
      </div>

      {creating && <ScheduleDialog onClose={() => setCreating(false)} />}
      {importing && <CsvImport onClose={() => setImporting(false)} />}
      {openId && (
        <ScheduleDetails
          key={openId}
          id={openId}
          initial={schedules.get(openId)}
          onClose={() => go({ schedule: null })}
        />
      )}
    </div>
  );
}
