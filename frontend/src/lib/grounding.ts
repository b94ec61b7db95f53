import type { Schemas } from './api/types';

/** A grounding entry from variant metadata: a generated sentence and where it came from. */
export type GroundingEntry = Schemas['Grounding'];

function utf8Length(codePoint: number): number {
  if (codePoint < 0x80) return 1;
  if (codePoint < 0x800) return 2;
  if (codePoint < 0x10000) return 3;
  return 4;
}

/**
 * Returns a function that converts a UTF-8 byte offset into `source` to a JavaScript string
 * (UTF-16 code unit) index. Offsets inside a multi-byte character snap to its start; offsets
 * past the end clamp to `source.length`.
 */
export function byteOffsetMapper(source: string): (byteOffset: number) => number {
  const byteStarts: number[] = [];
  const indices: number[] = [];
  let byte = 0;
  let index = 0;
  for (const ch of source) {
    byteStarts.push(byte);
    indices.push(index);
    byte += utf8Length(ch.codePointAt(0) ?? 0);
    index += ch.length;
  }
  byteStarts.push(byte);
  indices.push(index);

  return (byteOffset: number) => {
    if (byteOffset <= 0) return 0;
    if (byteOffset >= byte) return source.length;
    let lo = 0;
    let hi = byteStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (byteStarts[mid] <= byteOffset) lo = mid;
      else hi = mid - 1;
    }
    return indices[lo];
  };
}

/** Converts byte spans `[start, end)` to string ranges over `source`. */
export function byteSpansToRanges(
  source: string,
  spans: ReadonlyArray<readonly [number, number]>,
): Array<[number, number]> {
  const toIndex = byteOffsetMapper(source);
  return spans
    .map(([s, e]): [number, number] => [toIndex(s), toIndex(e)])
    .filter(([s, e]) => e > s);
}

export type Segment = { text: string; spans: Array<[number, number]> | null };

/**
 * Splits `text` into plain runs and runs that match a grounded sentence, so the preview can
 * make grounded sentences hoverable. Truncated sentences (ending in "…") match their prefix.
 */
export function segmentByGrounding(text: string, grounding: readonly GroundingEntry[]): Segment[] {
  const claimed: Array<{ start: number; end: number; spans: Array<[number, number]> }> = [];
  const entries = grounding
    .map((g) => ({
      needle: g.text.replace(/…$/, '').trim(),
      // Each span is a `[start, end)` pair.
      spans: g.spans.map(([start, end]): [number, number] => [start, end]),
    }))
    .filter((g) => g.needle.length > 0 && g.spans.length > 0)
    .sort((a, b) => b.needle.length - a.needle.length);

  for (const { needle, spans } of entries) {
    let from = 0;
    for (;;) {
      const start = text.indexOf(needle, from);
      if (start < 0) break;
      const end = start + needle.length;
      from = end;
      if (claimed.some((c) => start < c.end && end > c.start)) continue;
      claimed.push({ start, end, spans });
    }
  }
  claimed.sort((a, b) => a.start - b.start);

  const out: Segment[] = [];
  let pos = 0;
  for (const c of claimed) {
    if (c.start > pos) out.push({ text: text.slice(pos, c.start), spans: null });
    out.push({ text: text.slice(c.start, c.end), spans: c.spans });
    pos = c.end;
  }
  if (pos < text.length) out.push({ text: text.slice(pos), spans: null });
  return out;
}

/** Splits `source` into runs, marking the ones inside any of `ranges` (string indices). */
export function highlightRuns(
  source: string,
  ranges: ReadonlyArray<readonly [number, number]>,
): Array<{ text: string; marked: boolean }> {
  const sorted = [...ranges].sort((a, b) => a[0] - b[0]);
  const merged: Array<[number, number]> = [];
  for (const [s, e] of sorted) {
    const last = merged[merged.length - 1];
    if (last && s <= last[1]) last[1] = Math.max(last[1], e);
    else merged.push([s, e]);
  }
  const runs: Array<{ text: string; marked: boolean }> = [];
  let pos = 0;
  for (const [s, e] of merged) {
    if (s > pos) runs.push({ text: source.slice(pos, s), marked: false });
    runs.push({ text: source.slice(s, e), marked: true });
    pos = e;
  }
  if (pos < source.length) runs.push({ text: source.slice(pos), marked: false });
  return runs;
}
