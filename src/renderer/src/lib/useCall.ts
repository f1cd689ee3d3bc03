import { useCallback, useEffect, useRef, useState } from 'react';

export interface CallState<T> {
  data: T | null;
  error: string | null;
  loading: boolean;
  reload(): void;
}

/**
 * Runs an API read whenever its inputs change and keeps the latest answer; a newer call cancels
 * the older one, so a slow answer for the previous tenant never lands on the current page.
 */
export function useCall<T>(run: ((signal: AbortSignal) => Promise<T>) | null, deps: readonly unknown[]): CallState<T> {
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(run !== null);
  const [attempt, setAttempt] = useState(0);
  const runRef = useRef(run);
  runRef.current = run;

  useEffect(() => {
    const current = runRef.current;
    if (!current) return undefined;
    const controller = new AbortController();
    setLoading(true);
    setError(null);
    current(controller.signal).then(
      (value) => {
        if (controller.signal.aborted) return;
        setData(value);
        setLoading(false);
      },
      (failure: unknown) => {
        if (controller.signal.aborted) return;
        setError(failure instanceof Error ? failure.message : String(failure));
        setLoading(false);
      },
    );
    return () => controller.abort();
    // The caller's deps stand for what `run` reads.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [...deps, attempt]);

  const reload = useCallback(() => setAttempt((n) => n + 1), []);
  return { data, error, loading, reload };
}
