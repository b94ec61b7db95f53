import type { PostResults } from '@/lib/api/types';
import { formatPlural } from './format';

/**
 * A published post's counts in words, for a line joined with " · ": likes, reposts and
 * replies, and views where the network counts them.
 */
export function describeCounts(
  results: Pick<PostResults, 'likes' | 'reposts' | 'replies' | 'impressions'>,
): string[] {
  const counts = [
    formatPlural(results.likes, 'like', 'likes'),
    formatPlural(results.reposts, 'repost', 'reposts'),
    formatPlural(results.replies, 'reply', 'replies'),
  ];
  if (results.impressions != null) counts.push(formatPlural(results.impressions, 'view', 'views'));
  return counts;
}

/** Likes, reposts and replies together: what the dashboard ranks and charts posts by. */
export function engagements(results: Pick<PostResults, 'likes' | 'reposts' | 'replies'>): number {
  return results.likes + results.reposts + results.replies;
}
