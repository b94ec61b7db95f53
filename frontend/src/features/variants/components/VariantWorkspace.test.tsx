import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Channel, JobDetail } from '@/lib/api/types';
import { metadata } from '@/test/metadata';
import { renderWithProviders } from '@/test/render';
import type { VariantScheduling } from './VariantCard';
import { VariantWorkspace } from './VariantWorkspace';

const SOURCE = 'Our team moved to a four-day week. Output went up. Nobody wants to go back.';
const FIRST = 'We moved to a four-day week.';
const SECOND = 'Output went up.';

/** A job whose one post on `channel` says `content`, each sentence grounded in `SOURCE`. */
function jobWith(channel: Channel, content: string): JobDetail {
  return {
    id: '00000000-0000-0000-0000-000000000002',
    name: 'Four-day week',
    status: 'needs_review',
    source: { content: SOURCE },
    channels: [channel],
    preset_id: null,
    failure_reason: null,
    provider: null,
    provider_note: null,
    cost_estimate: null,
    attempts: 0,
    created_at: '2026-01-01T00:00:00Z',
    updated_at: '2026-01-01T00:00:00Z',
    variants: [
      {
        id: '00000000-0000-0000-0000-000000000001',
        job_id: '00000000-0000-0000-0000-000000000002',
        channel,
        content,
        metadata: metadata({
          grounding: [
            { text: FIRST, spans: [[0, 34]] },
            { text: SECOND, spans: [[35, 50]] },
          ],
        }),
        accepted: false,
        created_at: '2026-01-01T00:00:00Z',
        updated_at: '2026-01-01T00:00:00Z',
        current_version: 1,
      },
    ],
  };
}

/** The highlighting does not depend on scheduling, which the pages supply. */
const noScheduling: VariantScheduling = { actions: () => null, summary: () => null };

const highlighted = () =>
  within(screen.getByTestId('source-panel'))
    .queryAllByTestId('source-highlight')
    .map((mark) => mark.textContent);

// jsdom lays nothing out and has no scrollIntoView, which the source panel calls on a mark.
beforeEach(() => {
  Element.prototype.scrollIntoView = () => {};
});
afterEach(() => {
  Reflect.deleteProperty(Element.prototype, 'scrollIntoView');
});

describe('source highlighting on a touch screen', () => {
  it.each([
    ['a plain-text post', jobWith('linkedin', `${FIRST} ${SECOND}`)],
    ['a Markdown post', jobWith('blog', `# Four days\n\n${FIRST} ${SECOND}`)],
  ])(
    'toggles the source of a sentence in %s with a tap; a tap elsewhere clears it',
    async (_, job) => {
      const user = userEvent.setup();
      renderWithProviders(<VariantWorkspace job={job} scheduling={noScheduling} />);
      const tap = (target: Element) => user.pointer({ keys: '[TouchA]', target });

      await tap(screen.getByText(FIRST));
      expect(highlighted()).toEqual(['Our team moved to a four-day week.']);
      await tap(screen.getByText(FIRST));
      expect(highlighted()).toEqual([]);

      await tap(screen.getByText(FIRST));
      await tap(screen.getByText(SECOND));
      expect(highlighted()).toEqual(['Output went up.']);
      await tap(screen.getByRole('heading', { name: 'Source' }));
      expect(highlighted()).toEqual([]);
    },
  );
});
