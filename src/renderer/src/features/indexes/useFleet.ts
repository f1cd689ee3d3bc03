import { useEffect, useState } from 'react';
import type { FleetIndex, StatsReset } from '@shared/model/indexes';
import { api } from '../../api';

export interface FleetState {
  rows: FleetIndex[];
  statsReset: StatsReset | null;
  schemasDone: number;
  schemasTotal: number;
  loading: boolean;
  error: string | null;
  reload(): void;
}

let requests = 0;

/**
 * The fleet view of a workspace: rows as each chunk of tenant schemas is read (`indexes.fleetRows`,
 * told apart from other calls' by a request id of its own), then the final answer.
 */
export function useFleet(workspaceId: string | null): FleetState {
  const [rows, setRows] = useState<FleetIndex[]>([]);
  const [statsReset, setStatsReset] = useState<StatsReset | null>(null);
  const [progress, setProgress] = useState({ done: 0, total: 0 });
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    setRows([]);
    setStatsReset(null);
    setProgress({ done: 0, total: 0 });
    if (!workspaceId) return undefined;
    // Unique per call and per window, so rows streamed for another call are never taken for this one.
    const requestId = `fleet-${Date.now().toString(36)}-${++requests}`;
    let finished = false;
    const off = api().on('indexes.fleetRows', (event) => {
      if (finished || event.workspaceId !== workspaceId || event.requestId !== requestId) return;
      setRows(event.rows);
      setProgress({ done: event.schemasDone, total: event.schemasTotal });
    });
    const controller = new AbortController();
    setLoading(true);
    setError(null);
    api()
      .indexes.fleet({ workspaceId, requestId }, { signal: controller.signal })
      .then(
        (view) => {
          if (controller.signal.aborted) return;
          finished = true;
          setRows(view.rows);
          setStatsReset(view.statsReset);
          setProgress({ done: view.tenantSchemas, total: view.tenantSchemas });
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
      off();
    };
  }, [workspaceId, attempt]);

  return { rows, statsReset, schemasDone: progress.done, schemasTotal: progress.total, loading, error, reload: () => setAttempt((n) => n + 1) };
}
