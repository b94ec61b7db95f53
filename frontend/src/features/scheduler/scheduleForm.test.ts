import { describe, expect, it } from 'vitest';
import type { Schedule } from '@/lib/api/types';
import {
  createRequest,
  newScheduleState,
  serverErrors,
  stateFromSchedule,
  updateRequest,
  validateSchedule,
  withMode,
} from './scheduleForm';

const stored: Schedule = {
  id: 's-1',
  variant_id: 'v-1',
  channel: 'x',
  first_line: 'Rye & Crumb switched to a four-day week.',
  connector: 'file',
  // Monday 2026-11-02 09:00 in Berlin (UTC+1), long past by the time it is edited.
  run_at: '2026-11-02T08:00:00Z',
  timezone: 'Europe/Berlin',
  recurrence: 'FREQ=WEEKLY;BYDAY=MO,TH;COUNT=20',
  exdates: [],
  status: 'active',
  next_run_at: '2026-12-03T08:00:00Z',
  last_run_at: null,
  upcoming: [],
  created_at: '2026-11-01T00:00:00Z',
  updated_at: '2026-11-01T00:00:00Z',
};
const NOW = Date.parse('2026-12-01T12:00:00Z');

describe('the schedule form', () => {
  it('starts tomorrow at 09:00 in the given zone, once', () => {
    const state = newScheduleState('v-1', 'Pacific/Auckland', NOW);
    // 12:00 UTC is already 01:00 on 2 December in Auckland.
    expect(state).toMatchObject({ date: '2026-12-03', time: '09:00', mode: 'none' });
    expect(withMode(state, 'weekly').recurrence.weekdays).toEqual(['TH']);
    expect(withMode(state, 'monthly').recurrence.monthDay).toBe(3);
  });

  it('shows a stored schedule in its own zone and keeps rules it cannot edit', () => {
    expect(stateFromSchedule(stored)).toMatchObject({
      date: '2026-11-02',
      time: '09:00',
      timezone: 'Europe/Berlin',
      mode: 'weekly',
      recurrence: { weekdays: ['MO', 'TH'], end: { kind: 'count', count: 20 } },
    });
    const custom = stateFromSchedule({ ...stored, recurrence: 'FREQ=DAILY;BYHOUR=9,17' });
    expect(custom).toMatchObject({ mode: 'custom', customRule: 'FREQ=DAILY;BYHOUR=9,17' });
  });

  it('reschedules without moving the start unless it changed', () => {
    const state = stateFromSchedule(stored);
    const fewer = {
      ...state,
      recurrence: { ...state.recurrence, end: { kind: 'count' as const, count: 5 } },
    };
    expect(validateSchedule(fewer, { now: NOW, existing: stored })).toEqual({});
    expect(updateRequest(fewer, stored)).toEqual({
      recurrence: 'FREQ=WEEKLY;BYDAY=MO,TH;COUNT=5',
      connector: 'file',
    });

    const later = { ...state, time: '10:00' };
    expect(validateSchedule(later, { now: NOW, existing: stored })).toEqual({
      run_at: 'A new start must be in the future: move the start date too.',
    });
    const moved = { ...later, date: '2026-12-07' };
    expect(updateRequest(moved, stored)).toEqual({
      run_at: '2026-12-07T10:00',
      timezone: 'Europe/Berlin',
      recurrence: 'FREQ=WEEKLY;BYDAY=MO,TH;COUNT=20',
      connector: 'file',
    });
    expect(updateRequest({ ...state, mode: 'none' }, stored)).toMatchObject({ recurrence: null });
  });

  it('places the API’s field errors on the form’s controls', () => {
    expect(
      serverErrors({
        run_at: 'is in the past',
        'exdates[0]': 'must be a date and time',
        variant_id: 'accept the variant before scheduling it',
        status: 'ignored',
      }),
    ).toEqual({
      run_at: 'is in the past',
      recurrence: 'must be a date and time',
      variant_id: 'accept the variant before scheduling it',
    });
  });

  it('names a connected account alone, and keeps it through a reschedule', () => {
    const account = '0193a000-0000-7000-8000-0000000c0001';
    const state = { ...newScheduleState('v-1', 'UTC', NOW), connector: 'account' as const };
    expect(createRequest({ ...state, connectionId: account })).toEqual({
      variant_id: 'v-1',
      run_at: '2026-12-02T09:00',
      timezone: 'UTC',
      recurrence: null,
      connection_id: account,
    });
    expect(createRequest(newScheduleState('v-1', 'UTC', NOW))).toMatchObject({ connector: 'file' });

    const toAccount = { ...stored, connector: 'account' as const, connection_id: account };
    expect(stateFromSchedule(toAccount)).toMatchObject({
      connector: 'account',
      connectionId: account,
    });
    expect(updateRequest(stateFromSchedule(toAccount), toAccount)).toMatchObject({
      connector: 'account',
    });
    expect(serverErrors({ connection_id: 'reconnect @kyros on X first' })).toEqual({
      connection_id: 'reconnect @kyros on X first',
    });
  });
});
