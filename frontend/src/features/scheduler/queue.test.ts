import { describe, expect, it } from 'vitest';
import type { QueueList } from '@/lib/api/types';
import { moveInQueue } from './queue';

const AT = ['2026-12-08T08:30:00Z', '2026-12-10T16:00:00Z', '2026-12-15T08:30:00Z'];

/** A queue whose slots hold these schedules (null: empty), each post named after its schedule. */
function queueOf(fillers: Array<string | null>): QueueList {
  return {
    connection_id: 'account-1',
    timezone: 'Europe/Berlin',
    items: fillers.map((id, i) => ({
      at: AT[i],
      local_time: AT[i].slice(0, 16),
      weekday: 'tue',
      schedule_id: id,
      variant_id: id && `variant-of-${id}`,
      first_line: id && `post of ${id}`,
    })),
  };
}

const fillers = (queue: QueueList) => queue.items.map((slot) => slot.schedule_id);

describe('moveInQueue', () => {
  it('swaps a post with the one in the slot it is moved to, keeping the slots in place', () => {
    const moved = moveInQueue(queueOf(['a', 'b', null]), 'b', AT[0]);
    expect(fillers(moved)).toEqual(['b', 'a', null]);
    expect(moved.items.map((slot) => slot.at)).toEqual(AT);
    expect(moved.items[0]).toMatchObject({ variant_id: 'variant-of-b', first_line: 'post of b' });
    expect(moved.items[1]).toMatchObject({ variant_id: 'variant-of-a', first_line: 'post of a' });
  });

  it('leaves the slot a post moves out of empty when it moves to an empty one', () => {
    const moved = moveInQueue(queueOf(['a', 'b', null]), 'a', AT[2]);
    expect(fillers(moved)).toEqual([null, 'b', 'a']);
    expect(moved.items[0]).toMatchObject({ variant_id: null, first_line: null });
  });

  it('changes nothing for a post or a slot that is not in the queue', () => {
    const queue = queueOf(['a', null, null]);
    expect(moveInQueue(queue, 'z', AT[1])).toBe(queue);
    expect(moveInQueue(queue, 'a', '2027-01-01T00:00:00Z')).toBe(queue);
    expect(moveInQueue(queue, 'a', AT[0])).toBe(queue);
  });
});
