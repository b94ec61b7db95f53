import { describe, expect, it } from 'vitest';
import {
  charLength,
  countsFor,
  graphemeLength,
  isOver,
  mastodonLength,
  splitThreadParts,
  xWeightedLength,
} from './counters';
import { metadata } from '@/test/metadata';

describe('X weighted length (twitter-text)', () => {
  it('counts ASCII characters once', () => {
    expect(xWeightedLength('Hello')).toBe(5);
  });

  it('counts CJK characters twice', () => {
    expect(xWeightedLength('日本語')).toBe(6);
  });

  it('counts an emoji as two', () => {
    expect(xWeightedLength('🍞')).toBe(2);
    expect(charLength('🍞')).toBe(1);
  });

  it('counts any URL as 23', () => {
    expect(xWeightedLength('https://example.com/a/very/long/path/that/goes/on/and/on')).toBe(23);
  });

  it('combines CJK, emoji and a URL', () => {
    // 6 (日本語) + 1 + 2 (🍞) + 1 + 23 (URL) = 33
    expect(xWeightedLength('日本語 🍞 https://example.com/a/very/long/url')).toBe(33);
  });
});

/** A family of four: seven code points joined by zero-width joiners, one grapheme. */
const FAMILY = '👨\u200d👩\u200d👧\u200d👦';

describe('Bluesky graphemes (Intl.Segmenter)', () => {
  it('counts an emoji sequence, a flag and a letter with combining marks as one each', () => {
    expect(graphemeLength(`${FAMILY}🇩🇪e\u0301\u0323`)).toBe(3);
    expect(charLength(FAMILY)).toBe(7);
  });

  it('allows exactly 300 graphemes a post, not 301', () => {
    const at = `Hello ${FAMILY.repeat(294)}`;
    const [count] = countsFor('bluesky', at, metadata({}));
    expect(count).toMatchObject({ value: 300, max: 300 });
    expect(isOver(count)).toBe(false);
    expect(isOver(countsFor('bluesky', `${at}e\u0301`, metadata({}))[0])).toBe(true);
  });
});

describe('Mastodon counting', () => {
  it('counts every link as 23 and a remote mention as its username', () => {
    expect(mastodonLength('https://example.com/a/very/long/path/that/goes/on/and/on')).toBe(23);
    expect(mastodonLength('See https://t.co')).toBe(4 + 23);
    expect(mastodonLength('Thanks @ann@mastodon.social!')).toBe('Thanks @ann!'.length);
    expect(mastodonLength('kyros.dev is ours')).toBe(17);
  });

  it('checks each post against the instance limit the post was written for', () => {
    const long = `${'a'.repeat(476)} https://example.com/${'path/'.repeat(40)}`;
    const [fits] = countsFor('mastodon', long, metadata({}));
    expect(fits).toMatchObject({ value: 500, max: 500 });
    expect(isOver(fits)).toBe(false);
    const [roomy] = countsFor('mastodon', 'word '.repeat(150), metadata({ max_chars: 1000 }));
    expect(roomy).toMatchObject({ max: 1000 });
    expect(isOver(roomy)).toBe(false);
    expect(isOver(countsFor('mastodon', 'word '.repeat(150), metadata({}))[0])).toBe(true);
  });
});

describe('countsFor', () => {
  const meta = metadata({});

  it('gives one counter per X thread part, separated by blank lines', () => {
    const text = `${'a'.repeat(100)}\n\n日本語 🍞\n\n${'b'.repeat(281)}`;
    expect(splitThreadParts(text)).toHaveLength(3);
    const counts = countsFor('x', text, meta);
    expect(counts.map((c) => c.value)).toEqual([100, 9, 281]);
    expect(counts.map(isOver)).toEqual([false, false, true]);
  });

  it('limits LinkedIn to 3,000 characters', () => {
    const [count] = countsFor('linkedin', 'x'.repeat(3001), meta);
    expect(count.max).toBe(3000);
    expect(isOver(count)).toBe(true);
  });

  it('checks the blog title and the 120–155 meta description window', () => {
    const blogMeta = metadata({ title: 'T'.repeat(61), meta_description: 'm'.repeat(100) });
    const counts = countsFor('blog', 'Body only', blogMeta);
    expect(counts).toHaveLength(2);
    expect(counts[0]).toMatchObject({ label: 'Title', value: 61, max: 60 });
    expect(isOver(counts[0])).toBe(true);
    expect(counts[1]).toMatchObject({ label: 'Meta', value: 100, min: 120, max: 155 });
    expect(isOver(counts[1])).toBe(true);
  });

  it('reads the newsletter subject from the leading heading as it is edited', () => {
    const counts = countsFor(
      'newsletter',
      '# A short subject\n\nBody',
      metadata({ subject: 'Old' }),
    );
    expect(counts).toEqual([{ label: 'Subject', value: 15, max: 60 }]);
  });
});
