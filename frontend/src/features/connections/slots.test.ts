import { describe, expect, it } from 'vitest';
import { addSlots, removeSlot, slotLabel, sortSlots } from './slots';

describe('posting slots', () => {
  it('adds a time on several days once each, in week order', () => {
    const start = [{ weekday: 'thu' as const, time: '17:00' }];
    const added = addSlots(start, ['thu', 'mon'], '09:30');
    expect(added.map(slotLabel)).toEqual(['Mon 09:30', 'Thu 09:30', 'Thu 17:00']);
    expect(addSlots(added, ['mon'], '09:30')).toEqual(added);
  });

  it('sorts by weekday then time and removes one slot', () => {
    const slots = sortSlots([
      { weekday: 'sun', time: '08:00' },
      { weekday: 'mon', time: '12:00' },
      { weekday: 'mon', time: '07:45' },
    ]);
    expect(slots.map(slotLabel)).toEqual(['Mon 07:45', 'Mon 12:00', 'Sun 08:00']);
    expect(removeSlot(slots, { weekday: 'mon', time: '12:00' }).map(slotLabel)).toEqual([
      'Mon 07:45',
      'Sun 08:00',
    ]);
  });
});
