import type { QueueList, QueueSlot } from '@/lib/api/types';

type Filler = Pick<QueueSlot, 'schedule_id' | 'variant_id' | 'first_line'>;

function fillerOf(slot: QueueSlot): Filler {
  return {
    schedule_id: slot.schedule_id,
    variant_id: slot.variant_id,
    first_line: slot.first_line,
  };
}

/**
 * The queue once the post of `scheduleId` moves to the slot at `to`, as the API does it: a post
 * already in that slot takes the moved post's slot; the slots' times stay where they are. The
 * queue is returned unchanged when the post or the slot is not in it.
 */
export function moveInQueue(queue: QueueList, scheduleId: string, to: string): QueueList {
  const from = queue.items.findIndex((slot) => slot.schedule_id === scheduleId);
  const target = queue.items.findIndex((slot) => slot.at === to);
  if (from < 0 || target < 0 || from === target) return queue;
  const moved = fillerOf(queue.items[from]);
  const occupant = fillerOf(queue.items[target]);
  return {
    ...queue,
    items: queue.items.map((slot, index) => {
      if (index === target) return { ...slot, ...moved };
      if (index === from) return { ...slot, ...occupant };
      return slot;
    }),
  };
}
