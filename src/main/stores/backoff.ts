import { AppError } from '@shared/errors';

export interface BackoffPolicy {
  /** Attempts in all, the first included. */
  attempts: number;
  /** Delay before the second attempt; doubles each time up to `maxDelayMs`. */
  baseDelayMs: number;
  maxDelayMs: number;
}

export const DEFAULT_CONNECT_BACKOFF: BackoffPolicy = { attempts: 4, baseDelayMs: 200, maxDelayMs: 5000 };

/**
 * Exponential backoff with full jitter: a random delay in [0, min(max, base·2^n)], so many
 * consoles reconnecting to one recovering server do not knock in step.
 */
export function backoffDelay(attempt: number, policy: Pick<BackoffPolicy, 'baseDelayMs' | 'maxDelayMs'>, random: () => number = Math.random): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, attempt));
  return Math.round(ceiling * random());
}

/** Waits `ms`, or rejects with `cancelled` as soon as the signal fires. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(new AppError('cancelled', 'Waiting to reconnect was cancelled.'));
      return;
    }
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(new AppError('cancelled', 'Waiting to reconnect was cancelled.'));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * Runs `attempt` until it succeeds, the policy's attempts are used up, or `retryable` says the
 * failure will not go away by waiting (wrong password, bad certificate): then the last error is thrown.
 */
export async function retryWithBackoff<T>(
  attempt: (n: number) => Promise<T>,
  policy: BackoffPolicy,
  retryable: (error: unknown) => boolean,
  signal?: AbortSignal,
): Promise<T> {
  let lastError: unknown;
  for (let n = 0; n < policy.attempts; n++) {
    if (n > 0) await sleep(backoffDelay(n - 1, policy), signal);
    try {
      return await attempt(n);
    } catch (error) {
      lastError = error;
      if (!retryable(error)) break;
    }
  }
  throw lastError instanceof Error ? lastError : new Error(String(lastError));
}
