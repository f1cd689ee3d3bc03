import { useEffect, useRef, useState } from 'react';
import type { FleetExplainResult } from '@shared/contract/explain';
import { isFinalJobState, type JobProgress, type JobState } from '@shared/model/job';
import { api } from '../../api';

export interface FleetJobView {
  state: JobState | null;
  progress: JobProgress | null;
  failure: string | null;
  result: FleetExplainResult | null;
  error: string | null;
}

const EMPTY: FleetJobView = { state: null, progress: null, failure: null, result: null, error: null };

/**
 * A fleet explain as it runs: its job's state and progress from the jobs events, and its groups
 * read again (one read at a time) whenever the job moves, then once more when it ends.
 */
export function useFleetJob(workspaceId: string, jobId: string | null): FleetJobView {
  const [view, setView] = useState<FleetJobView>(EMPTY);
  const reading = useRef<{ busy: boolean; again: boolean }>({ busy: false, again: false });

  useEffect(() => {
    setView(EMPTY);
    if (!jobId) return undefined;
    const controller = new AbortController();
    reading.current = { busy: false, again: false };
    const readResult = (): void => {
      const r = reading.current;
      if (r.busy) {
        r.again = true;
        return;
      }
      r.busy = true;
      api()
        .explain.fleetResult({ workspaceId, jobId }, { signal: controller.signal })
        .then(
          (result) => {
            if (!controller.signal.aborted) setView((v) => ({ ...v, result, error: null, state: v.state && isFinalJobState(v.state) ? v.state : result.state }));
          },
          (failure: unknown) => {
            if (!controller.signal.aborted) setView((v) => ({ ...v, error: failure instanceof Error ? failure.message : String(failure) }));
          },
        )
        .finally(() => {
          r.busy = false;
          if (r.again && !controller.signal.aborted) {
            r.again = false;
            readResult();
          }
        });
    };
    const offState = api().on('jobs.state', ({ job }) => {
      if (job.id !== jobId) return;
      setView((v) => ({ ...v, state: job.state, progress: job.progress, failure: job.failure?.message ?? null }));
      readResult();
    });
    const offProgress = api().on('jobs.progress', (event) => {
      if (event.jobId !== jobId) return;
      setView((v) => ({ ...v, progress: event.progress }));
      readResult();
    });
    readResult();
    return () => {
      controller.abort();
      offState();
      offProgress();
    };
  }, [workspaceId, jobId]);

  return view;
}
