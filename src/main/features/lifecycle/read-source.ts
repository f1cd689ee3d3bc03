import { AppError } from '@shared/errors';
import type { LaneGap } from '@shared/model/lifecycle';
import { STORE_LABELS, type StoreKind } from '@shared/model/workspace';

/** How long one store's source may take before the view goes on without it. */
export const DEFAULT_SOURCE_TIMEOUT_MS = 30_000;

export type SourceOutcome<T> = { value: T } | { gap: LaneGap };

export interface ReadSourceOptions {
  /** The call's signal: when it aborts, the whole view is cancelled, not gapped. */
  signal: AbortSignal;
  timeoutMs: number;
  /** Where an unexpected failure's details go; the view shows only that there was one. */
  onError?(line: string): void;
}

/**
 * Runs one store's part of a lifecycle view on a signal of its own. Whatever goes wrong there —
 * an error, a store that does not answer in time — becomes a gap naming the store and the reason,
 * so the other stores' lanes still show. Only the caller's own cancel ends the view.
 */
export async function readSource<T>(store: StoreKind, what: string, work: (signal: AbortSignal) => Promise<T>, options: ReadSourceOptions): Promise<SourceOutcome<T>> {
  const { signal } = options;
  if (signal.aborted) throw new AppError('cancelled', 'The lifecycle view was cancelled.');
  const own = new AbortController();
  let timer: ReturnType<typeof setTimeout> | undefined;
  let stopWaiting: (() => void) | undefined;
  const onCallAborted = (): void => own.abort(signal.reason);
  signal.addEventListener('abort', onCallAborted, { once: true });
  const stopped = new Promise<'timeout' | 'cancelled'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), options.timeoutMs);
    stopWaiting = () => resolve('cancelled');
    signal.addEventListener('abort', stopWaiting, { once: true });
  });
  try {
    const outcome = await Promise.race([work(own.signal).then((value) => ({ value })), stopped]);
    if (outcome === 'cancelled') throw new AppError('cancelled', 'The lifecycle view was cancelled.');
    if (outcome === 'timeout') {
      own.abort(new AppError('timeout', `${what} took too long`));
      return { gap: { store, reason: `${what} did not answer within ${options.timeoutMs >= 1_000 ? `${Math.round(options.timeoutMs / 1_000)} s` : `${options.timeoutMs} ms`}.` } };
    }
    return outcome;
  } catch (error) {
    if (signal.aborted) throw new AppError('cancelled', 'The lifecycle view was cancelled.');
    if (error instanceof AppError) return { gap: { store, reason: error.message } };
    options.onError?.(`${what} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    return { gap: { store, reason: `${what} could not be read (internal error; the console's log has the details).` } };
  } finally {
    clearTimeout(timer);
    signal.removeEventListener('abort', onCallAborted);
    if (stopWaiting) signal.removeEventListener('abort', stopWaiting);
  }
}

/** "PostgreSQL lanes", "Elasticsearch ILM errors": how a gap names the part that failed. */
export const partOf = (store: StoreKind, part: string): string => `${STORE_LABELS[store]} ${part}`;
