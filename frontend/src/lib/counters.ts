import twitterText from 'twitter-text';
import type { Channel } from './api/types';
import type { VariantMetadata } from './api/types';

export type Count = {
  label: string;
  value: number;
  /** Upper limit; null when the rule is only a minimum. */
  max: number | null;
  min?: number;
};

export const LIMITS = {
  x: 280,
  bluesky: 300,
  /** Mastodon's default; an instance may allow more, and a post keeps the limit it was written for. */
  mastodon: 500,
  linkedin: 3000,
  linkedinFold: 210,
  newsletterSubject: 60,
  blogTitle: 60,
  blogMetaMin: 120,
  blogMetaMax: 155,
} as const;

/** X's weighted length (CJK and emoji count double, URLs count 23) via the official library. */
export function xWeightedLength(text: string): number {
  return twitterText.parseTweet(text).weightedLength;
}

/** Characters as a person sees them (code points), as LinkedIn and email clients count. */
export function charLength(text: string): number {
  return Array.from(text).length;
}

const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/** Extended grapheme clusters: an emoji sequence or a letter with its marks is one. Bluesky's unit. */
export function graphemeLength(text: string): number {
  return Array.from(graphemes.segment(text)).length;
}

/** What Mastodon puts in a link's place before counting. */
const MASTODON_URL_PLACEHOLDER = 'x'.repeat(23);
/** A remote mention as Mastodon's server reads it; it counts as `@user`. */
const REMOTE_MENTION =
  /(?<![\p{L}\p{N}_/=])@([a-z0-9_](?:[a-z0-9_.-]*[a-z0-9_])?)@[\p{L}\p{N}_.-]*[\p{L}\p{N}_]/giu;

/**
 * Mastodon's length, as its server checks a post: every URL with a scheme counts 23 whatever its
 * length, a remote mention (`@user@example.social`) counts as `@user`, the rest in graphemes.
 */
export function mastodonLength(text: string): number {
  const entities: (readonly [start: number, end: number, replacement: string])[] = [
    ...twitterText
      .extractUrlsWithIndices(text, { extractUrlsWithoutProtocol: false })
      .map(({ indices: [start, end] }) => [start, end, MASTODON_URL_PLACEHOLDER] as const),
    ...Array.from(text.matchAll(REMOTE_MENTION), (m) => {
      const start = m.index;
      return [start, start + m[0].length, `@${m[1]}`] as const;
    }),
  ].sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  let countable = '';
  let at = 0;
  for (const [start, end, replacement] of entities) {
    // A mention inside a link already counted is part of it.
    if (start < at) continue;
    countable += text.slice(at, start) + replacement;
    at = end;
  }
  return graphemeLength(countable + text.slice(at));
}

/** The networks of short posts that thread longer ones. */
export type ThreadChannel = 'x' | 'bluesky' | 'mastodon';

export function isThreadChannel(channel: Channel): channel is ThreadChannel {
  return channel === 'x' || channel === 'bluesky' || channel === 'mastodon';
}

/** One post's length as its network counts it. */
export function postLength(channel: ThreadChannel, text: string): number {
  switch (channel) {
    case 'x':
      return xWeightedLength(text);
    case 'bluesky':
      return graphemeLength(text);
    case 'mastodon':
      return mastodonLength(text);
  }
}

/** The longest post on the network; for Mastodon, the instance limit the post was written for. */
export function postLimit(channel: ThreadChannel, meta: VariantMetadata): number {
  return channel === 'mastodon' ? (meta.max_chars ?? LIMITS.mastodon) : LIMITS[channel];
}

/** Splits a short post into thread parts: posts are separated by a blank line. */
export function splitThreadParts(content: string): string[] {
  const parts = content
    .split(/\n[ \t]*\n/)
    .map((p) => p.trim())
    .filter((p) => p.length > 0);
  return parts.length > 0 ? parts : [''];
}

/** The first Markdown heading of the body (`# Title`), which the engine uses as subject/title. */
export function leadingHeading(content: string): string | null {
  const m = /^#[ \t]+(.+)$/m.exec(content.trimStart().split('\n', 1)[0] ?? '');
  return m ? m[1].trim() : null;
}

export function isOver(c: Count): boolean {
  return (c.max !== null && c.value > c.max) || (c.min !== undefined && c.value < c.min);
}

/** The counters shown for a channel, computed from the current (possibly edited) text. */
export function countsFor(channel: Channel, content: string, meta: VariantMetadata): Count[] {
  switch (channel) {
    case 'x':
    case 'bluesky':
    case 'mastodon': {
      const parts = splitThreadParts(content);
      return parts.map((p, i) => ({
        label: parts.length > 1 ? `Post ${i + 1}` : 'Post',
        value: postLength(channel, p),
        max: postLimit(channel, meta),
      }));
    }
    case 'linkedin':
      return [{ label: 'Post', value: charLength(content), max: LIMITS.linkedin }];
    case 'newsletter': {
      const subject = leadingHeading(content) ?? meta.subject ?? null;
      return subject !== null
        ? [{ label: 'Subject', value: charLength(subject), max: LIMITS.newsletterSubject }]
        : [];
    }
    case 'blog': {
      const out: Count[] = [];
      const title = leadingHeading(content) ?? meta.title ?? null;
      if (title !== null)
        out.push({ label: 'Title', value: charLength(title), max: LIMITS.blogTitle });
      if (meta.meta_description != null)
        out.push({
          label: 'Meta',
          value: charLength(meta.meta_description),
          max: LIMITS.blogMetaMax,
          min: LIMITS.blogMetaMin,
        });
      return out;
    }
  }
}
