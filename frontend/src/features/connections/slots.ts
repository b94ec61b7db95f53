/** A connected account's weekly posting slots, as the slot editor changes them. Pure. */

import type { Slot, Weekday } from '@/lib/api/types';

/** Monday first, as the API orders slots. */
export const WEEKDAYS: readonly Weekday[] = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];

export const WEEKDAY_LABELS: Record<Weekday, string> = {
  mon: 'Mon',
  tue: 'Tue',
  wed: 'Wed',
  thu: 'Thu',
  fri: 'Fri',
  sat: 'Sat',
  sun: 'Sun',
};

/** The most slots an account may have (the API's limit). */
export const MAX_SLOTS = 49;

export function slotLabel(slot: Slot): string {
  return `${WEEKDAY_LABELS[slot.weekday]} ${slot.time}`;
}

/** Monday first, earliest first. */
export function sortSlots(slots: readonly Slot[]): Slot[] {
  return [...slots].sort(
    (a, b) =>
      WEEKDAYS.indexOf(a.weekday) - WEEKDAYS.indexOf(b.weekday) || a.time.localeCompare(b.time),
  );
}

/** The slots with one more at `time` on each of `days`; a slot already there is kept once. */
export function addSlots(slots: readonly Slot[], days: readonly Weekday[], time: string): Slot[] {
  const added = days
    .filter((weekday) => !slots.some((s) => s.weekday === weekday && s.time === time))
    .map((weekday) => ({ weekday, time }));
  return sortSlots([...slots, ...added]);
}

export function removeSlot(slots: readonly Slot[], slot: Slot): Slot[] {
  return slots.filter((s) => !(s.weekday === slot.weekday && s.time === slot.time));
}
