import { describe, expect, it } from 'vitest';
import { fixErrorsFirst, publishChecks } from './checks';

const tooLong = { rule: 'x.max_weighted_length', severity: 'error', message: 'Post 1 is 398.' };
const noHook = { rule: 'hook.missing', severity: 'warning', message: 'Add a hook.' };
const note = { rule: 'links.count', severity: 'info', message: 'One link.' };

describe('publishChecks', () => {
  it('separates errors from warnings and lets info findings through', () => {
    expect(publishChecks([note, noHook, tooLong])).toEqual({
      errors: [tooLong],
      warnings: [noHook],
    });
  });
});

describe('fixErrorsFirst', () => {
  it('counts the errors and quotes them', () => {
    expect(fixErrorsFirst([tooLong], 'accept')).toBe('Fix 1 error to accept: Post 1 is 398.');
    expect(fixErrorsFirst([tooLong, { ...tooLong, message: 'Post 2 is 300.' }], 'schedule')).toBe(
      'Fix 2 errors to schedule: Post 1 is 398. Post 2 is 300.',
    );
  });
});
