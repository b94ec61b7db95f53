import { clsx } from 'clsx';
import { useRef, type KeyboardEvent } from 'react';
import { VIEW_LABELS, VIEWS, type CalendarView } from '../calendar';

export const tabId = (view: CalendarView) => `scheduler-tab-${view}`;
export const PANEL_ID = 'scheduler-panel';

/** Month / Week / List as ARIA tabs: arrow keys, Home and End move and select. */
export function ViewTabs({
  view,
  onChange,
}: {
  view: CalendarView;
  onChange: (view: CalendarView) => void;
}) {
  const refs = useRef<Array<HTMLButtonElement | null>>([]);

  function onKeyDown(e: KeyboardEvent<HTMLButtonElement>, index: number) {
    const last = VIEWS.length - 1;
    const target =
      e.key === 'ArrowRight'
        ? (index + 1) % VIEWS.length
        : e.key === 'ArrowLeft'
          ? (index + last) % VIEWS.length
          : e.key === 'Home'
            ? 0
            : e.key === 'End'
              ? last
              : null;
    if (target === null) return;
    e.preventDefault();
    refs.current[target]?.focus();
    onChange(VIEWS[target]);
  }

  return (
    <div
      role="tablist"
      aria-label="Calendar view"
      className="inline-flex rounded-lg border border-border bg-surface-2 p-1"
    >
      {VIEWS.map((v, i) => (
        <button
          key={v}
          ref={(el) => {
            refs.current[i] = el;
          }}
          type="button"
          role="tab"
          id={tabId(v)}
          aria-selected={view === v}
          aria-controls={PANEL_ID}
          tabIndex={view === v ? 0 : -1}
          onClick={() => onChange(v)}
          onKeyDown={(e) => onKeyDown(e, i)}
          data-testid={`view-${v}`}
          className={clsx(
            'h-8 rounded-md px-3 text-sm font-medium transition-colors',
            view === v ? 'bg-surface text-fg shadow-sm' : 'text-muted hover:text-fg',
          )}
        >
          {VIEW_LABELS[v]}
        </button>
      ))}
    </div>
  );
}
