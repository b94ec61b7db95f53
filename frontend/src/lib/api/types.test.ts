import { describe, expect, it } from 'vitest';
import document from './openapi.json';
import { CHANNELS, JOB_STATUSES, TONES } from './types';

/** The values the API document lists for one of its string enums. */
function enumOf(name: keyof typeof document.components.schemas): unknown {
  return (document.components.schemas[name] as { enum?: unknown }).enum;
}

describe('the console’s lists of API values', () => {
  it('name every channel, tone and job status the API has, in its order', () => {
    expect(CHANNELS).toEqual(enumOf('Channel'));
    expect(TONES).toEqual(enumOf('Tone'));
    expect(JOB_STATUSES).toEqual(enumOf('JobStatus'));
  });
});
