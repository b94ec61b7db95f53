import { describe, expect, it } from 'vitest';
import {
  byteOffsetMapper,
  byteSpansToRanges,
  highlightRuns,
  segmentByGrounding,
} from './grounding';

const encoder = new TextEncoder();
const byteLen = (s: string) => encoder.encode(s).length;

/** The byte span of `needle` inside `source`, as the backend reports it. */
function byteSpan(source: string, needle: string): [number, number] {
  const i = source.indexOf(needle);
  const start = byteLen(source.slice(0, i));
  return [start, start + byteLen(needle)];
}

describe('byte offsets to string indices', () => {
  it('is the identity for ASCII', () => {
    const toIndex = byteOffsetMapper('hello world');
    expect(toIndex(0)).toBe(0);
    expect(toIndex(6)).toBe(6);
    expect(toIndex(11)).toBe(11);
  });

  it('handles 2-, 3- and 4-byte characters (é, 日, 🍞)', () => {
    const source = 'Café 日本 🍞 bread is good.';
    const [s, e] = byteSpan(source, 'bread');
    // 'Café ' = 6 bytes, '日本 ' = 7 bytes, '🍞 ' = 5 bytes → 18; the string index is 11
    // because 🍞 is two UTF-16 code units.
    expect(s).toBe(18);
    const [[start, end]] = byteSpansToRanges(source, [[s, e]]);
    expect(source.slice(start, end)).toBe('bread');
    expect(start).toBe(11);
  });

  it('finds a span after an emoji that needs a surrogate pair', () => {
    const source = '🍞🍞 Rye & Crumb — a bakery. Waste fell by a fifth.';
    const span = byteSpan(source, 'Waste fell by a fifth.');
    const [[start, end]] = byteSpansToRanges(source, [span]);
    expect(source.slice(start, end)).toBe('Waste fell by a fifth.');
  });

  it('clamps out-of-range offsets and drops empty spans', () => {
    const source = 'abc';
    expect(byteSpansToRanges(source, [[1, 99]])).toEqual([[1, 3]]);
    expect(byteSpansToRanges(source, [[2, 2]])).toEqual([]);
  });
});

describe('segmentByGrounding', () => {
  it('marks grounded sentences, including truncated ones ending in an ellipsis', () => {
    const text = 'First sentence. Second one here. Not grounded.';
    const segments = segmentByGrounding(text, [
      { text: 'First sentence.', spans: [[0, 15]] },
      { text: 'Second one…', spans: [[20, 30]] },
    ]);
    expect(segments.map((s) => s.text).join('')).toBe(text);
    expect(segments.filter((s) => s.spans).map((s) => s.text)).toEqual([
      'First sentence.',
      'Second one',
    ]);
  });
});

describe('highlightRuns', () => {
  it('merges overlapping ranges', () => {
    const runs = highlightRuns('abcdefgh', [
      [1, 3],
      [2, 5],
    ]);
    expect(runs).toEqual([
      { text: 'a', marked: false },
      { text: 'bcde', marked: true },
      { text: 'fgh', marked: false },
    ]);
  });
});
