/**
 * At most one progress event per job per interval, and the latest value always goes out: a runner
 * may report every row of a dump or every tenant of ten thousand without flooding the renderers.
 */
export class ProgressPacer {
  readonly #intervalMs: number;
  readonly #lastSent = new Map<string, number>();
  readonly #pending = new Map<string, ReturnType<typeof setTimeout>>();

  constructor(intervalMs: number) {
    this.#intervalMs = intervalMs;
  }

  /** Sends now if the job's last event is old enough, else once the interval is over; `send` reads the value then. */
  offer(jobId: string, send: () => void): void {
    if (this.#pending.has(jobId)) return;
    const wait = (this.#lastSent.get(jobId) ?? Number.NEGATIVE_INFINITY) + this.#intervalMs - performance.now();
    if (wait <= 0) {
      this.#lastSent.set(jobId, performance.now());
      send();
      return;
    }
    const timer = setTimeout(() => {
      this.#pending.delete(jobId);
      this.#lastSent.set(jobId, performance.now());
      send();
    }, wait);
    timer.unref?.();
    this.#pending.set(jobId, timer);
  }

  /** The job finished: its state event carries the last progress, so nothing more is sent. */
  forget(jobId: string): void {
    clearTimeout(this.#pending.get(jobId));
    this.#pending.delete(jobId);
    this.#lastSent.delete(jobId);
  }
}
