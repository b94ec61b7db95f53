import { expect, type APIRequestContext } from '@playwright/test';
import { FAKE_X_URL } from './stack';

/** A post made on a fake network, as `GET /_fakenets/posts` lists it (`fakenets::Post`). */
export type FakePost = {
  id: string;
  author: string;
  text: string;
  reply_to: string | null;
  created_at: string;
};

/**
 * The fake networks' steering and inspection endpoints (`/_fakenets/…`, see the fakenets crate),
 * reached the way a test reaches them, not through Kyros.
 */
export class FakeNetwork {
  constructor(
    private readonly request: APIRequestContext,
    private readonly origin = FAKE_X_URL,
  ) {}

  /** Every post made on the network since it started, oldest first. */
  async posts(): Promise<FakePost[]> {
    const response = await this.request.get(`${this.origin}/_fakenets/posts`);
    expect(response.ok(), 'the fake network lists its posts').toBe(true);
    return (await response.json()) as FakePost[];
  }

  /** Sets the counts the network gives for a post (`fakenets::Metrics`; X adds quotes to reposts). */
  async setCounts(
    postId: string,
    counts: {
      likes: number;
      reposts: number;
      quotes: number;
      replies: number;
      impressions: number;
    },
  ): Promise<void> {
    const response = await this.request.put(`${this.origin}/_fakenets/metrics/${postId}`, {
      data: counts,
    });
    expect(response.status(), `the fake network counts post ${postId}`).toBe(204);
  }

  /** Revokes every grant, as when the person removes Kyros's access on the network. */
  async revokeEveryGrant(): Promise<void> {
    const response = await this.request.post(`${this.origin}/_fakenets/revoke`, { data: {} });
    expect(response.status(), 'the fake network revokes its grants').toBe(204);
  }
}

/**
 * The thread that starts at `rootId`: the root, then each reply to the post before it. Fails when
 * a post has more than one reply, since a thread is one chain.
 */
export function threadFrom(posts: readonly FakePost[], rootId: string): FakePost[] {
  const root = posts.find((post) => post.id === rootId);
  expect(root, `post ${rootId} exists on the fake network`).toBeDefined();
  if (!root) return [];
  const thread = [root];
  for (;;) {
    const last = thread[thread.length - 1];
    const replies = posts.filter((post) => post.reply_to === last.id);
    expect(replies.length, `replies to ${last.id}`).toBeLessThanOrEqual(1);
    if (replies.length === 0) return thread;
    thread.push(replies[0]);
  }
}
