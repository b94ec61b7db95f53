import { useCallback, useEffect, useMemo, useState } from 'react';
import { CHANNELS, type JobDetail } from '@/lib/api/types';
import { byteSpansToRanges } from '@/lib/grounding';
import { isInProgress } from '@/lib/jobs/keys';
import type { GroundingHandler } from './GroundedText';
import { SourcePanel } from './SourcePanel';
import { VariantCard, type VariantScheduling } from './VariantCard';
import { VariantPlaceholder } from './VariantPlaceholder';

type Spans = Array<[number, number]>;

function sameSpans(a: Spans, b: Spans): boolean {
  return (
    a.length === b.length && a.every(([start, end], i) => start === b[i][0] && end === b[i][1])
  );
}

const order = (channel: string) => {
  const i = (CHANNELS as readonly string[]).indexOf(channel);
  return i < 0 ? CHANNELS.length : i;
};

/**
 * The variant cards of a job beside its source text, with grounding highlights. While the job
 * is queued or generating, each requested channel without a card yet shows a placeholder.
 * `scheduling` goes to every card (see `VariantScheduling`).
 */
export function VariantWorkspace({
  job,
  scheduling,
}: {
  job: JobDetail;
  scheduling: VariantScheduling;
}) {
  const source = job.source?.content ?? '';
  /** The source spans (UTF-8 bytes) of the sentence pointed at, hovered, focused or tapped. */
  const [shownSpans, setShownSpans] = useState<Spans | null>(null);
  const onGrounding = useCallback<GroundingHandler>((spans, gesture) => {
    setShownSpans((shown) =>
      gesture === 'tap' && spans && shown && sameSpans(shown, spans) ? null : spans,
    );
  }, []);
  const highlight = useMemo(
    () => (shownSpans ? byteSpansToRanges(source, shownSpans) : []),
    [source, shownSpans],
  );

  // A tap anywhere but on a grounded sentence clears the highlight, as leaving it with a mouse
  // does. `pointerup` and not `pointerdown`: a finger that scrolls to the source ends in
  // `pointercancel` instead, so scrolling keeps the highlight.
  useEffect(() => {
    if (!shownSpans) return;
    const clearUnlessGrounded = (e: PointerEvent) => {
      if (!(e.target instanceof Element && e.target.closest('[data-grounded]'))) {
        setShownSpans(null);
      }
    };
    document.addEventListener('pointerup', clearUnlessGrounded);
    return () => document.removeEventListener('pointerup', clearUnlessGrounded);
  }, [shownSpans]);

  const variants = useMemo(
    () => [...job.variants].sort((a, b) => order(a.channel) - order(b.channel)),
    [job.variants],
  );
  const pendingChannels = isInProgress(job.status)
    ? job.channels
        .filter((channel) => !job.variants.some((v) => v.channel === channel))
        .sort((a, b) => order(a) - order(b))
    : [];

  return (
    <div className="grid gap-6 xl:grid-cols-[minmax(0,1fr)_22rem]">
      <div className="grid gap-6 2xl:grid-cols-2">
        {variants.map((v) => (
          <VariantCard
            key={v.id}
            variant={v}
            scheduling={scheduling}
            onGrounding={source ? onGrounding : undefined}
          />
        ))}
        {pendingChannels.map((channel) => (
          <VariantPlaceholder key={channel} channel={channel} />
        ))}
      </div>
      {source && (
        <aside className="xl:sticky xl:top-20 xl:self-start" aria-label="Source">
          <SourcePanel content={source} highlight={highlight} />
        </aside>
      )}
    </div>
  );
}
