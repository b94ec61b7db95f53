import { useId } from 'react';
import { Card } from '@/components/ui/Card';
import { Skeleton } from '@/components/ui/States';
import { CHANNEL_LABELS, type Channel } from '@/lib/api/types';

/** What a placeholder says is being written, in the words a user would use. */
const WRITING: Record<Channel, string> = {
  linkedin: 'Writing your LinkedIn post…',
  x: 'Writing your X post…',
  newsletter: 'Writing your newsletter…',
  blog: 'Writing your blog article…',
  bluesky: 'Writing your Bluesky post…',
  mastodon: 'Writing your Mastodon post…',
};

/** Lines of uneven width, so the placeholder reads as text on its way. */
const LINE_WIDTHS = ['w-11/12', 'w-full', 'w-4/5', 'w-full', 'w-2/3'];

/** Holds a channel's place, shaped like its variant card, until the card replaces it. */
export function VariantPlaceholder({ channel }: { channel: Channel }) {
  const titleId = useId();
  const label = CHANNEL_LABELS[channel];
  return (
    <Card
      className="flex flex-col"
      role="region"
      aria-labelledby={titleId}
      aria-busy="true"
      data-testid={`variant-placeholder-${channel}`}
    >
      <header className="flex items-center justify-between gap-3 border-b border-border px-4 py-3">
        <h3 id={titleId} className="font-semibold">
          {label}
        </h3>
        <Skeleton className="h-5 w-16" />
      </header>
      <div className="flex flex-col gap-4 p-4">
        <p role="status" className="text-sm text-muted">
          {WRITING[channel]}
        </p>
        <div className="flex flex-col gap-2.5">
          {LINE_WIDTHS.map((width, i) => (
            <Skeleton key={i} className={`h-3 ${width}`} />
          ))}
        </div>
      </div>
      <footer className="mt-auto flex gap-2 border-t border-border px-4 py-3">
        <Skeleton className="h-8 w-16" />
        <Skeleton className="h-8 w-20" />
      </footer>
    </Card>
  );
}
