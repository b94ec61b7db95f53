import { describe, expect, it } from 'vitest';
import { naiveFrom } from '@/lib/zoned';
import fixture from './recurrence.agreement.json';
import { expand, parseRRule } from './recurrence';

// The API's own expansions (`scripts/capture-recurrence-cases.mjs`), so the preview in the
// schedule form shows the dates the scheduler will publish on.
describe('the next occurrences agree with the API', () => {
  it.each(fixture.cases.map((c) => [`${c.run_at} ${c.timezone} ${c.recurrence}`, c] as const))(
    '%s',
    (_label, c) => {
      const [day, time] = c.run_at.split('T');
      const r = parseRRule(c.recurrence, day);
      expect(r, 'the editor can show the rule').not.toBeNull();
      if (!r) return;
      const { instants } = expand(naiveFrom(day, time), c.timezone, r, {
        limit: 5,
      });
      expect(instants.map((i) => new Date(i).toISOString().replace('.000Z', 'Z'))).toEqual(
        c.upcoming,
      );
    },
  );
});
