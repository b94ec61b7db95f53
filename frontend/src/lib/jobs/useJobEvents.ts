import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { readEventStream } from '@/lib/api/eventStream';
import { API_BASE_URL, getAccessToken } from '@/lib/api/session';
import type { Job, JobDetail } from '@/lib/api/types';
import { isInProgress, jobKeys } from './keys';

/**
 * Follows `GET /jobs/{id}/events` while `active`, writing each job it reports into the job's
 * cached detail; the status that ends generation refetches the detail for its variants.
 * Returns whether the stream is open, so the caller polls only when it is not (the stream
 * failed, was refused, or `fetch` cannot stream here). `EventSource` cannot send the bearer
 * token, hence `fetch`.
 */
export function useJobEvents(id: string | null, active: boolean): boolean {
  const qc = useQueryClient();
  const [live, setLive] = useState(false);
  // Bumped to reconnect when the server closes a stream (its lifetime cap) mid-job.
  const [connection, setConnection] = useState(0);

  useEffect(() => {
    if (!id || !active) return;
    const controller = new AbortController();
    let lastStatus: Job['status'] | undefined;
    const receive = (job: Job) => {
      lastStatus = job.status;
      qc.setQueryData<JobDetail>(jobKeys.detail(id), (cached) =>
        cached ? { ...cached, ...job } : cached,
      );
      if (!isInProgress(job.status)) {
        void qc.invalidateQueries({ queryKey: jobKeys.detail(id) });
        void qc.invalidateQueries({ queryKey: jobKeys.lists() });
      }
    };
    const follow = async () => {
      const token = await getAccessToken();
      const response = await globalThis.fetch(
        `${API_BASE_URL}/jobs/${encodeURIComponent(id)}/events`,
        {
          headers: {
            accept: 'text/event-stream',
            ...(token ? { authorization: `Bearer ${token}` } : {}),
          },
          signal: controller.signal,
        },
      );
      const streams = response.headers.get('content-type')?.startsWith('text/event-stream');
      if (!response.ok || !streams || !response.body) return false;
      setLive(true);
      await readEventStream(
        response.body,
        (event) => {
          if (event.event === 'status') receive(JSON.parse(event.data) as Job);
        },
        controller.signal,
      );
      return true;
    };
    follow()
      .then((streamed) => {
        if (controller.signal.aborted) return;
        setLive(false);
        if (streamed && isInProgress(lastStatus)) setConnection((n) => n + 1);
      })
      .catch(() => {
        // Network failure or a malformed frame: polling takes over.
        if (!controller.signal.aborted) setLive(false);
      });
    return () => {
      controller.abort();
      setLive(false);
    };
  }, [id, active, connection, qc]);

  return live;
}
