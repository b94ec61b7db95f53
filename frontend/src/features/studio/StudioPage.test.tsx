import type { ComponentProps } from 'react';
import { screen, waitFor, within } from '@testing-library/react';
import { http, HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import { metadata } from '@/test/metadata';
import { renderWithProviders } from '@/test/render';
import { API, server } from '@/test/server';
import { StudioPage } from './StudioPage';

/** The page without the scheduler's buttons, which the routes hand in. */
const NO_SCHEDULING: ComponentProps<typeof StudioPage>['scheduling'] = {
  actions: () => null,
  summary: () => null,
};

const queuedJob = {
  id: 'job-1',
  name: 'Spring launch',
  status: 'queued',
  source: null,
  channels: ['newsletter', 'linkedin'],
  preset_id: null,
  failure_reason: null,
  provider: null,
  provider_note: null,
  cost_estimate: null,
  attempts: 0,
  created_at: '2026-11-20T10:00:00Z',
  updated_at: '2026-11-20T10:00:00Z',
};

function variant(id: string, channel: string, content: string) {
  return {
    id,
    job_id: 'job-1',
    channel,
    content,
    metadata: metadata(),
    accepted: false,
    created_at: '2026-11-20T10:00:05Z',
    updated_at: '2026-11-20T10:00:05Z',
  };
}

/** Serves the job as queued until `finish` is called, then with its variants, as the worker would. */
function serveJobThatFinishesOnCue() {
  let generated = false;
  let sendReview: (() => void) | null = null;
  server.use(
    http.get(`${API}/jobs/job-1`, () =>
      HttpResponse.json(
        generated
          ? {
              ...queuedJob,
              status: 'needs_review',
              variants: [
                variant('v-1', 'linkedin', 'A post for LinkedIn.'),
                variant('v-2', 'newsletter', '# Spring launch\n\nA letter.'),
              ],
            }
          : { ...queuedJob, variants: [] },
      ),
    ),
    http.get(`${API}/jobs/job-1/events`, () => {
      const encoder = new TextEncoder();
      const body = new ReadableStream<Uint8Array>({
        start(controller) {
          sendReview = () => {
            generated = true;
            const job = JSON.stringify({ ...queuedJob, status: 'needs_review' });
            controller.enqueue(encoder.encode(`event: status\ndata: ${job}\n\n`));
            controller.close();
          };
        },
      });
      return new HttpResponse(body, { headers: { 'content-type': 'text/event-stream' } });
    }),
  );
  return {
    streaming: () => sendReview !== null,
    finish: () => sendReview?.(),
  };
}

describe('Studio while a job is generated', () => {
  it('holds a busy placeholder card per requested channel until the posts arrive', async () => {
    const job = serveJobThatFinishesOnCue();
    renderWithProviders(<StudioPage scheduling={NO_SCHEDULING} />, { route: '/?job=job-1' });

    const linkedin = await screen.findByRole('region', { name: 'LinkedIn' });
    const newsletter = screen.getByRole('region', { name: 'Newsletter' });
    for (const [card, status] of [
      [linkedin, 'Writing your LinkedIn post…'],
      [newsletter, 'Writing your newsletter…'],
    ] as const) {
      expect(card).toHaveAttribute('aria-busy', 'true');
      expect(within(card).getByRole('status')).toHaveTextContent(status);
    }
    // In the order the cards take, and only for the channels asked for.
    expect(linkedin.compareDocumentPosition(newsletter)).toBe(Node.DOCUMENT_POSITION_FOLLOWING);
    expect(screen.queryByRole('region', { name: 'X' })).not.toBeInTheDocument();
    expect(screen.queryByRole('region', { name: 'Blog' })).not.toBeInTheDocument();

    await waitFor(() => expect(job.streaming()).toBe(true));
    job.finish();

    expect(await screen.findByTestId('variant-card-linkedin')).toBeVisible();
    expect(screen.getByTestId('variant-card-newsletter')).toBeVisible();
    expect(screen.queryByTestId('variant-placeholder-linkedin')).not.toBeInTheDocument();
    expect(screen.queryByTestId('variant-placeholder-newsletter')).not.toBeInTheDocument();
    expect(document.querySelector('[aria-busy="true"]')).toBeNull();
  });
});
