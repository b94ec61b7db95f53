import { describe, expect, it } from 'vitest';
import fixture from '../../../backend/crates/engine/tests/fixtures/x-weighted-cases.json';
import { xWeightedLength } from './counters';

// The backend's engine checks the same file, so the console and the API always count alike.
describe('X counting agrees with the backend on the shared cases', () => {
  it.each(
    fixture.cases.map(
      (c) => [JSON.stringify(c.text).slice(0, 40), c.text, c.weighted_length] as const,
    ),
  )('%s', (_label, text, expected) => {
    expect(xWeightedLength(text)).toBe(expected);
  });
});
