import { useEffect, useState } from 'react';
import type { JobSummary } from '@shared/model/job';
import { api } from '../../api';

const SETTLED = new Set<JobSummary['state']>(['succeeded', 'failed', 'cancelled']);

/**
 * A job this screen started, kept live by the jobs room's events: its state, progress and phase.
 * It is read once after listening starts, since a short job may end before the first event is heard.
 */
export function useJob(started: JobSummary | null): JobSummary | null {
  const [job, setJob] = useState<JobSummary | null>(started);

  useEffect(() => {
    setJob(started);
    if (!started) return undefined;
    const jobId = started.id;
    const keepSettled = (next: JobSummary) => (current: JobSummary | null) => (current && SETTLED.has(current.state) && !SETTLED.has(next.state) ? current : next);
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
