import twitterText from 'twitter-text';
import type { Channel } from './api/types';
import type { VariantMeta } from './metadata';

export type Count = {
  label: string;
  value: number;
  /** Upper limit; null when the rule is only a minimum. */
  max: number | null;
  min?: number;
};

export const LIMITS = {
  x: 280,
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

/** Splits an X post into thread parts: posts are separated by a blank line. */
export function splitXParts(content: string): string[] {
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
export function countsFor(channel: Channel, content: string, meta: VariantMeta): Count[] {
  switch (channel) {
    case 'x': {
      const parts = splitXParts(content);
      return parts.map((p, i) => ({
        label: parts.length > 1 ? `Post ${i + 1}` : 'Post',
        value: xWeightedLength(p),
        max: LIMITS.x,
      }));
    }
    case 'linkedin':
      return [{ label: 'Post', value: charLength(content), max: LIMITS.linkedin }];
    case 'newsletter': {
      const subject = leadingHeading(content) ?? meta.subject;
      return subject !== null
        ? [{ label: 'Subject', value: charLength(subject), max: LIMITS.newsletterSubject }]
        : [];
    }
    case 'blog': {
      const out: Count[] = [];
      const title = leadingHeading(content) ?? meta.title;
      if (title !== null)
        out.push({ label: 'Title', value: charLength(title), max: LIMITS.blogTitle });
      if (meta.metaDescription !== null)
        out.push({
          label: 'Meta',
          value: charLength(meta.metaDescription),
          max: LIMITS.blogMetaMax,
          min: LIMITS.blogMetaMin,
        });
      return out;
    }
  }
}
