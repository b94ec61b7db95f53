import { describe, expect, it } from 'vitest';
import shortPosts from '../../../backend/crates/engine/tests/fixtures/short-post-cases.json';
import fixture from '../../../backend/crates/engine/tests/fixtures/x-weighted-cases.json';
import { graphemeLength, mastodonLength, xWeightedLength } from './counters';

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

// Bluesky's graphemes and Mastodon's count, on the cases the engine checks too.
describe('Bluesky and Mastodon counting agree with the backend on the shared cases', () => {
  it.each(
    shortPosts.cases.map(
      (c) => [JSON.stringify(c.text).slice(0, 40), c.text, c.graphemes, c.mastodon] as const,
    ),
  )('%s', (_label, text, graphemes, mastodon) => {
    expect([graphemeLength(text), mastodonLength(text)]).toEqual([graphemes, mastodon]);
  });
});
