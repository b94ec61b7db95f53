import { useCallback, useMemo, useState } from 'react';
import { CHANNELS, isChannel, type JobDetail } from '@/lib/api/types';
import { byteSpansToRanges } from '@/lib/grounding';
import { isInProgress } from '@/features/jobs/keys';
import { SourcePanel } from './SourcePanel';
import { VariantCard } from './VariantCard';
import { VariantPlaceholder } from './VariantPlaceholder';

const order = (channel: string) => {
  const i = (CHANNELS as readonly string[]).indexOf(channel);
  return i < 0 ? CHANNELS.length : i;
};

/**
 * The variant cards of a job beside its source text, with grounding highlights. While the job
 * is queued or generating, each requested channel without a card yet shows a placeholder.
 */
export function VariantWorkspace({ job }: { job: JobDetail }) {
  const source = job.source?.content ?? '';
  const [highlight, setHighlight] = useState<Array<[number, number]>>([]);
  const onGrounding = useCallback(
    (spans: Array<[number, number]> | null) => {
      setHighlight(spans ? byteSpansToRanges(source, spans) : []);
    },
    [source],
  );
  const variants = useMemo(
    () => [...job.variants].sort((a, b) => order(a.channel) - order(b.channel)),
    [job.variants],
  );
  const pendingChannels = isInProgress(job.status)
    ? job.channels
        .filter(isChannel)
        .filter((channel) => !job.variants.some((v) => v.channel === channel))
        .sort((a, b) => order(a) - order(b))
    : [];

  return (
    <div className="grid gap-6 xl:grid-cols-[minmax(0,1fr)_22rem]">
      <div className="grid gap-6 2xl:grid-cols-2">
        {variants.map((v) => (
          <VariantCard key={v.id} variant={v} onGrounding={source ? onGrounding : undefined} />
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
