import { useEffect, useState } from 'react';
import type { JobSummary } from '@shared/model/job';
import { api } from '../../api';

/**
 * A job this room started, kept live from the jobs room's events until it ends: its state, and
 * at the end its result or the failure in the server's own words.
 */
export function useJobOutcome(started: JobSummary | null): JobSummary | null {
  const [job, setJob] = useState<JobSummary | null>(started);
  useEffect(() => {
    setJob(started);
    if (!started) return undefined;
    const off = api().on('jobs.state', (event) => {
      if (event.job.id === started.id) setJob(event.job);
    });
    // The job may have ended before the listener was in place: read it once.
    const controller = new AbortController();
    api()
      .jobs.get({ workspaceId: started.workspaceId, jobId: started.id }, { signal: controller.signal })
      .then(
        ({ log: _log, droppedLogLines: _dropped, ...summary }) => {
          if (!controller.signal.aborted && summary.state !== 'queued') setJob((current) => (current && ['succeeded', 'failed', 'cancelled'].includes(current.state) ? current : summary));
        },
        () => undefined,
      );
    return () => {
      controller.abort();
      off();
    };
  }, [started]);
  return job;
}
