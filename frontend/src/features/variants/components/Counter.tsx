import { clsx } from 'clsx';
import type { Channel } from '@/lib/api/types';
import { isOver, type Count } from '@/lib/counters';

export function CountChip({ count }: { count: Count }) {
  const over = isOver(count);
  const limit =
    count.min !== undefined && count.max !== null
      ? `${count.min}–${count.max}`
      : count.max !== null
        ? String(count.max)
        : '';
  return (
    <span
      className={clsx(
        'inline-flex items-center gap-1 rounded-md border px-2 py-0.5 font-mono text-xs tabular-nums',
        over
          ? 'border-danger/50 bg-danger-soft text-danger'
          : 'border-border bg-surface-2 text-muted',
      )}
      data-over={over || undefined}
    >
      <span className="font-sans">{count.label}</span>
      <span>
        {count.value.toLocaleString('en-US')}/{limit}
      </span>
      {over && <span className="sr-only">(outside the limit)</span>}
    </span>
  );
}

export function Counters({ channel, counts }: { channel: Channel; counts: Count[] }) {
  return (
    <div
      className="flex flex-wrap gap-1.5"
      data-testid={`counter-${channel}`}
      aria-live="polite"
      aria-label="Character counts"
    >
      {counts.map((c, i) => (
        <CountChip key={i} count={c} />
      ))}
    </div>
  );
}
