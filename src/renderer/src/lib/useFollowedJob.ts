import { useEffect, useState } from 'react';
import type { JobSummary } from '@shared/model/job';
import { api } from '../api';

const SETTLED = new Set<JobSummary['state']>(['succeeded', 'failed', 'cancelled']);

/** A settled job never goes back to queued or running because an older answer arrived late. */
const keepSettled =
  (next: JobSummary) =>
  (current: JobSummary | null): JobSummary =>
    current && SETTLED.has(current.state) && !SETTLED.has(next.state) ? current : next;

/**
 * A job a screen started, kept live by the jobs room's events from that moment: state, progress,
 * phase and, once it ends, its result. Events of other jobs change nothing. It is read once after
 * listening starts, since a short job may end before the first event is heard.
 */
export function useFollowedJob(started: JobSummary | null): JobSummary | null {
  const [job, setJob] = useState<JobSummary | null>(started);

  useEffect(() => {
    setJob(started);
    if (!started) return undefined;
    const jobId = started.id;
    const offState = api().on('jobs.state', (event) => {
      if (event.job.id === jobId) setJob(keepSettled(event.job));
    });
    const offProgress = api().on('jobs.progress', (event) => {
      if (event.jobId === jobId) setJob((current) => (current?.state === 'running' ? { ...current, progress: event.progress } : current));
    });
    const controller = new AbortController();
    api()
      .jobs.get({ workspaceId: started.workspaceId, jobId }, { signal: controller.signal })
      .then(
        ({ log: _log, droppedLogLines: _dropped, ...summary }) => {
          if (!controller.signal.aborted) setJob(keepSettled(summary));
        },
        () => undefined,
      );
    return () => {
      controller.abort();
      offState();
      offProgress();
    };
  }, [started]);

  return job;
}
