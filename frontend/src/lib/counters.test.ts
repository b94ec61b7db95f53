import { describe, expect, it } from 'vitest';
import { charLength, countsFor, isOver, splitXParts, xWeightedLength } from './counters';
import { parseMeta } from './metadata';

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

describe('countsFor', () => {
  const meta = parseMeta({});

  it('gives one counter per X thread part, separated by blank lines', () => {
    const text = `${'a'.repeat(100)}\n\n日本語 🍞\n\n${'b'.repeat(281)}`;
    expect(splitXParts(text)).toHaveLength(3);
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
    const blogMeta = parseMeta({ title: 'T'.repeat(61), meta_description: 'm'.repeat(100) });
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
      parseMeta({ subject: 'Old' }),
    );
    expect(counts).toEqual([{ label: 'Subject', value: 15, max: 60 }]);
  });
});
