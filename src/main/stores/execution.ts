import { AppError } from '@shared/errors';

/** The last parameter of every store operation: who may cancel it and how long it may run. */
export interface ExecutionOptions {
  signal?: AbortSignal;
  timeoutMs?: number;
}

/** Why an operation stopped before it finished: the caller's signal or its own deadline. */
export type StopReason = 'cancelled' | 'timeout';

/**
 * Combines the caller's signal with the operation's deadline into one signal, and remembers which
 * of the two fired, so a store can say `timeout` or `cancelled` instead of a driver message.
 */
export class Deadline {
  readonly signal: AbortSignal;
  /** The limit in force, after the store's default was applied. */
  readonly timeoutMs: number | undefined;
  #reason: StopReason | undefined;
  readonly #controller = new AbortController();
  readonly #timer: ReturnType<typeof setTimeout> | undefined;
  readonly #onAbort = (): void => this.stop('cancelled');
  readonly #callerSignal: AbortSignal | undefined;

  constructor(options: ExecutionOptions = {}, defaultTimeoutMs?: number) {
    this.signal = this.#controller.signal;
    this.#callerSignal = options.signal;
    const timeoutMs = options.timeoutMs ?? defaultTimeoutMs;
    if (options.signal?.aborted) this.stop('cancelled');
    else options.signal?.addEventListener('abort', this.#onAbort, { once: true });
    if (timeoutMs !== undefined && timeoutMs > 0 && !this.#reason) {
      this.#timer = setTimeout(() => this.stop('timeout'), timeoutMs);
      this.#timer.unref?.();
    }
    this.timeoutMs = timeoutMs;
  }

  /** Which limit stopped the operation, if one did. */
  get reason(): StopReason | undefined {
    return this.#reason;
  }

  /** Throws the matching AppError when the operation was already stopped. */
  throwIfStopped(what: string): void {
    if (this.#reason) throw this.error(what);
  }

  /** The AppError for a stopped operation, worded for a person. */
  error(what: string): AppError {
    return this.#reason === 'timeout'
      ? new AppError('timeout', `${what} did not finish within ${this.timeoutMs ?? 0} ms and was stopped.`)
      : new AppError('cancelled', `${what} was cancelled.`);
  }

  /** Resolves or rejects with `work`, or rejects as soon as the deadline or the signal fires. */
  race<T>(work: Promise<T>, what: string): Promise<T> {
    if (this.#reason) {
      work.catch(() => undefined);
      return Promise.reject(this.error(what));
    }
    return new Promise<T>((resolve, reject) => {
      const onStop = (): void => reject(this.error(what));
      this.signal.addEventListener('abort', onStop, { once: true });
      work.then(
        (value) => {
          this.signal.removeEventListener('abort', onStop);
          resolve(value);
        },
        (error: unknown) => {
          this.signal.removeEventListener('abort', onStop);
          reject(error instanceof Error ? error : new Error(String(error)));
        },
      );
    });
  }

  stop(reason: StopReason): void {
    if (this.#reason) return;
    this.#reason = reason;
    this.#controller.abort();
  }

  /** Releases the timer and the listener on the caller's signal; call it in `finally`. */
  dispose(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#callerSignal?.removeEventListener('abort', this.#onAbort);
  }
}
