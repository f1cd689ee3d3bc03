import { useEffect, useState } from 'react';
import { api } from '../../api';
import { jobsFromList, withProgress, withState, type JobsById } from './jobs-state';

export interface JobsView {
  jobs: JobsById;
  loading: boolean;
  error: string | null;
  reload(): void;
}

const EMPTY: JobsById = new Map();

/**
 * A workspace's jobs: the persisted list (so a reload shows what happened), kept live by the
 * `jobs.state` and `jobs.progress` events. Subscribed before the list is asked for, so nothing
 * that happens in between is missed.
 */
export function useJobs(workspaceId: string | null): JobsView {
  const [jobs, setJobs] = useState<JobsById>(EMPTY);
  const [loading, setLoading] = useState(workspaceId !== null);
  const [error, setError] = useState<string | null>(null);
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    setJobs(EMPTY);
    if (!workspaceId) return undefined;
    const offState = api().on('jobs.state', ({ job }) => {
      if (job.workspaceId === workspaceId) setJobs((current) => withState(current, job));
    });
    const offProgress = api().on('jobs.progress', (event) => {
      if (event.workspaceId === workspaceId) setJobs((current) => withProgress(current, event));
    });
    const controller = new AbortController();
    setLoading(true);
    setError(null);
    api()
      .jobs.list({ workspaceId }, { signal: controller.signal })
      .then(
        ({ jobs: list }) => {
          if (controller.signal.aborted) return;
          setJobs((current) => jobsFromList(list, current));
          setLoading(false);
        },
        (failure: unknown) => {
          if (controller.signal.aborted) return;
          setError(failure instanceof Error ? failure.message : String(failure));
          setLoading(false);
        },
      );
    return () => {
      controller.abort();
      offState();
      offProgress();
    };
  }, [workspaceId, attempt]);

  return { jobs, loading, error, reload: () => setAttempt((n) => n + 1) };
}
