import { describe, expect, it } from 'vitest';
import { describeCounts, engagements } from './results';

describe('describeCounts', () => {
  it('words each count in the right number, with views only where the network counts them', () => {
    expect(describeCounts({ likes: 1, reposts: 0, replies: 2, impressions: 1200 })).toEqual([
      '1 like',
      '0 reposts',
      '2 replies',
      '1,200 views',
    ]);
    expect(describeCounts({ likes: 3, reposts: 1, replies: 1, impressions: null })).toEqual([
      '3 likes',
      '1 repost',
      '1 reply',
    ]);
  });

  it('adds likes, reposts and replies into engagements', () => {
    expect(engagements({ likes: 9, reposts: 3, replies: 4 })).toBe(16);
  });
});
