import { describe, expect, it } from 'vitest';
import { newTraceparent, traceIdOf } from './traceparent';

describe('traceparent', () => {
  it('is version 00, a 16-byte trace id, an 8-byte parent id and the sampled flag', () => {
    const header = newTraceparent();
    expect(header).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
    expect(traceIdOf(header)).toBe(header.slice(3, 35));
  });

  it('draws a new trace each time', () => {
    const ids = new Set(Array.from({ length: 50 }, () => traceIdOf(newTraceparent())));
    expect(ids.size).toBe(50);
  });

  it('never sends an all-zero id, which the specification declares invalid', () => {
    let draws = 0;
    // The first trace id and the first span id drawn are zeros; the next draws are not.
    const fill = (bytes: Uint8Array<ArrayBuffer>) => {
      draws += 1;
      return bytes.fill(draws === 1 || draws === 3 ? 0 : draws);
    };
    expect(newTraceparent(fill)).toBe(`00-${'02'.repeat(16)}-${'04'.repeat(8)}-01`);
  });

  it('reads the trace id of well-formed headers only', () => {
    expect(traceIdOf(`00-${'ab'.repeat(16)}-${'cd'.repeat(8)}-01`)).toBe('ab'.repeat(16));
    expect(traceIdOf(`01-${'ab'.repeat(16)}-${'cd'.repeat(8)}-01`)).toBeNull();
    expect(traceIdOf('garbage')).toBeNull();
    expect(traceIdOf(null)).toBeNull();
  });
});
