import type { ComponentProps } from 'react';
import { screen, within } from '@testing-library/react';
import { http, HttpResponse } from 'msw';
import { Route, Routes } from 'react-router';
import { describe, expect, it } from 'vitest';
import { renderWithProviders } from '@/test/render';
import { API, server } from '@/test/server';
import { JobDetailPage } from './JobDetailPage';

/** The page without the scheduler's buttons, which the routes hand in. */
const NO_SCHEDULING: ComponentProps<typeof JobDetailPage>['scheduling'] = {
  actions: () => null,
  summary: () => null,
};

const runningJob = {
  id: 'job-2',
  name: 'Quarterly recap',
  status: 'running',
  source: null,
  channels: ['blog', 'x'],
  preset_id: null,
  failure_reason: null,
  provider: null,
  provider_note: null,
  cost_estimate: null,
  attempts: 1,
  created_at: '2026-11-20T10:00:00Z',
  updated_at: '2026-11-20T10:00:01Z',
  variants: [],
};

describe('Job detail while the job is generated', () => {
  it('shows a placeholder card per requested channel instead of an empty page', async () => {
    server.use(
      http.get(`${API}/jobs/job-2`, () => HttpResponse.json(runningJob)),
      // A stream that stays open and quiet: the job is still being written.
      http.get(
        `${API}/jobs/job-2/events`,
        () =>
          new HttpResponse(new ReadableStream<Uint8Array>(), {
            headers: { 'content-type': 'text/event-stream' },
          }),
      ),
    );
    renderWithProviders(
      <Routes>
        <Route path="/jobs/:id" element={<JobDetailPage scheduling={NO_SCHEDULING} />} />
      </Routes>,
      { route: '/jobs/job-2' },
    );

    const x = await screen.findByRole('region', { name: 'X' });
    expect(x).toHaveAttribute('aria-busy', 'true');
    expect(document.title).toBe('Quarterly recap · Jobs · Kyros');
    expect(within(x).getByRole('status')).toHaveTextContent('Writing your X post…');
    const blog = screen.getByRole('region', { name: 'Blog' });
    expect(within(blog).getByRole('status')).toHaveTextContent('Writing your blog article…');
    expect(screen.queryByText('No posts yet')).not.toBeInTheDocument();
  });
});
