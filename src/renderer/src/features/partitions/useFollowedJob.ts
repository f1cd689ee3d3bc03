import { useEffect, useState } from 'react';
import type { JobSummary } from '@shared/model/job';
import { api } from '../../api';

const RANK = { queued: 0, running: 1, succeeded: 2, failed: 2, cancelled: 2 } as const;

/** A job this screen started, kept live by the jobs room's state and progress events. */
export function useFollowedJob(started: JobSummary | null): JobSummary | null {
  const [job, setJob] = useState<JobSummary | null>(started);
  useEffect(() => {
    setJob(started);
    if (!started) return undefined;
    const jobId = started.id;
    const offState = api().on('jobs.state', (event) => {
      if (event.job.id === jobId) setJob(event.job);
    });
    const offProgress = api().on('jobs.progress', (event) => {
      if (event.jobId === jobId) setJob((current) => (current?.state === 'running' ? { ...current, progress: event.progress } : current));
    });
    // It may have moved on before the events were listened to: read it once.
    const controller = new AbortController();
    api()
      .jobs.get({ workspaceId: started.workspaceId, jobId }, { signal: controller.signal })
      .then(
        ({ log: _log, droppedLogLines: _dropped, ...summary }) => {
          if (!controller.signal.aborted) setJob((current) => (current && RANK[current.state] > RANK[summary.state] ? current : summary));
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
