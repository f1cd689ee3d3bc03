import { useCallback, useEffect, useRef, useState } from 'react';
import type { NamespaceMap, NamespaceProgress } from '@shared/model/tenant';
import { api } from '../../api';

let counter = 0;

export interface NamespaceMapState {
  map: NamespaceMap | null;
  progress: NamespaceProgress | null;
  walking: boolean;
  error: string | null;
  /** Reads the cached map, or walks the keyspace again with `refresh`. */
  load(refresh: boolean): void;
  cancel(): void;
}

/** The workspace's Redis namespace map, with the walk's progress while it runs and a way to stop it. */
export function useNamespaceMap(workspaceId: string): NamespaceMapState {
  const [map, setMap] = useState<NamespaceMap | null>(null);
  const [progress, setProgress] = useState<NamespaceProgress | null>(null);
  const [walking, setWalking] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const controller = useRef<AbortController | null>(null);

  const load = useCallback(
    (refresh: boolean) => {
      controller.current?.abort();
      const own = new AbortController();
      controller.current = own;
      const requestId = `ns-${++counter}`;
      setWalking(true);
      setError(null);
      setProgress(null);
      const stop = api().on('tenants.namespaceProgress', (event) => {
        if (event.requestId === requestId && !own.signal.aborted) setProgress(event);
      });
      api()
        .tenants.namespaceMap({ workspaceId, requestId, ...(refresh && { refresh: true }) }, { signal: own.signal })
        .then(
          (result) => {
            if (own.signal.aborted) return;
            setMap(result);
            setWalking(false);
          },
          (failure: unknown) => {
            // A cancelled walk keeps the map shown before it, and says so.
            setError(own.signal.aborted ? 'Walk cancelled; the map shown is the previous one.' : failure instanceof Error ? failure.message : String(failure));
            setWalking(false);
          },
        )
        .finally(stop);
    },
    [workspaceId],
  );

  const cancel = useCallback(() => controller.current?.abort(), []);

  useEffect(() => {
    load(false);
    return () => controller.current?.abort();
  }, [load]);

  return { map, progress, walking, error, load, cancel };
}
