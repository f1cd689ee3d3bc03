import { useEffect, useState } from 'react';
import type { JobSummary } from '@shared/model/job';
import { api } from '../../api';

const ORDER = { queued: 0, running: 1, succeeded: 2, failed: 2, cancelled: 2 } as const;
const rank = (job: JobSummary): number => ORDER[job.state];

/**
 * A backup, restore or verify job this screen started, kept live by the jobs room's events: state,
 * progress, phase and, once it ends, its result. Events of other jobs change nothing.
 */
export function useStartedJob(started: JobSummary | null): JobSummary | null {
  const [job, setJob] = useState<JobSummary | null>(started);

  useEffect(() => {
    setJob(started);
    if (!started) return undefined;
    const jobId = started.id;
    const offState = api().on('jobs.state', (event) => {
      if (event.job.id === jobId) setJob(event.job);
    });
    const offProgress = api().on('jobs.progress', (event) => {
      if (event.jobId === jobId) setJob((current) => (current && current.state === 'running' ? { ...current, progress: event.progress } : current));
    });
    // The job may have moved on before the events were listened to: read it once.
    const controller = new AbortController();
    api()
      .jobs.get({ workspaceId: started.workspaceId, jobId }, { signal: controller.signal })
      .then(
        (full) => {
          if (controller.signal.aborted) return;
          const { log: _log, droppedLogLines: _dropped, ...summary } = full;
          setJob((current) => (current && rank(current) > rank(summary) ? current : summary));
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
