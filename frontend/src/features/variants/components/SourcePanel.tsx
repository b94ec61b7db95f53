import { useEffect, useRef } from 'react';
import { Card } from '@/components/ui/Card';
import { highlightRuns } from '@/lib/grounding';

export function SourcePanel({
  content,
  highlight,
}: {
  content: string;
  highlight: Array<[number, number]>;
}) {
  const firstMark = useRef<HTMLElement | null>(null);
  useEffect(() => {
    firstMark.current?.scrollIntoView({ block: 'nearest', behavior: 'smooth' });
  }, [highlight]);
  const runs = highlightRuns(content, highlight);
  const firstMarked = runs.findIndex((r) => r.marked);
  return (
    <Card
      className="flex max-h-[calc(100vh-7rem)] flex-col"
      role="region"
      aria-labelledby="source-title"
    >
      <div className="border-b border-border px-4 py-3">
        <h3 id="source-title" className="font-semibold">
          Source
        </h3>
        <p className="text-xs text-muted">
          Hover, focus or tap a sentence in a post to see where it comes from.
        </p>
      </div>
      <div
        className="overflow-y-auto px-4 py-3 text-sm leading-relaxed whitespace-pre-wrap text-muted"
        data-testid="source-panel"
        tabIndex={0}
        aria-label="Source text"
      >
        {runs.map((r, i) => {
          if (!r.marked) return <span key={i}>{r.text}</span>;
          const first = i === firstMarked;
          return (
            <mark
              key={i}
              ref={first ? firstMark : undefined}
              className="rounded-sm bg-mark px-0.5 text-mark-fg"
              data-testid="source-highlight"
            >
              {r.text}
            </mark>
          );
        })}
      </div>
    </Card>
  );
}
