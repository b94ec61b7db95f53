import { useId } from 'react';
import { Card } from '@/components/ui/Card';
import type { TopPost } from '@/lib/api/types';
import { formatDateTime } from '@/lib/format';
import { describeCounts } from '@/lib/results';
import { isWebUrl } from '@/lib/webUrl';
import { NETWORK_LABELS } from '@/lib/connections/networks';

/** The period's posts people engaged with most, each with its counts and a link to it. */
export function TopPosts({ posts }: { posts: TopPost[] }) {
  const titleId = useId();
  return (
    <Card className="min-w-0 p-4 sm:p-5">
      <section aria-labelledby={titleId} data-testid="top-posts">
        <h3 id={titleId} className="text-sm font-semibold">
          Top posts
        </h3>
        <p className="mt-0.5 text-xs text-muted">
          The period’s posts with the most likes, reposts and replies together.
        </p>
        {posts.length === 0 ? (
          <p className="mt-3 text-sm text-muted">No published post has been counted yet.</p>
        ) : (
          <ol className="mt-2 divide-y divide-border" data-dynamic>
            {posts.map((post) => (
              <li key={post.run_id} className="flex flex-col gap-1 py-2.5">
                <p className="text-sm font-medium break-words">
                  {post.first_line || 'A post without text'}
                </p>
                <p className="text-xs text-muted">
                  {NETWORK_LABELS[post.network]} ·{' '}
                  <time dateTime={post.published_at}>{formatDateTime(post.published_at)}</time>
                </p>
                <p className="text-xs tabular-nums">{describeCounts(post.results).join(' · ')}</p>
                {post.published_url && isWebUrl(post.published_url) && (
                  <a
                    href={post.published_url}
                    target="_blank"
                    rel="noopener noreferrer"
                    className="w-fit text-sm font-medium text-accent-text hover:underline"
                  >
                    View post{' '}
                    <span className="sr-only">
                      on {NETWORK_LABELS[post.network]} (opens in a new tab)
                    </span>
                  </a>
                )}
              </li>
            ))}
          </ol>
        )}
      </section>
    </Card>
  );
}
