import { AppError } from '@shared/errors';
import type { StoreKind, StoreState, StoreStatus } from '@shared/model/workspace';
import { STORE_LABELS } from '@shared/model/workspace';
import { backoffDelay, retryWithBackoff, type BackoffPolicy } from './backoff';

/** Failures that waiting may cure; the others (credentials, certificates, bad input) are final. */
export function isTransient(error: unknown): boolean {
  return error instanceof AppError && (error.code === 'unreachable' || error.code === 'timeout');
}

export type StatusListener = (status: StoreStatus) => void;

/** How a store connects: one try, its own errors, its backoff. */
export interface ConnectPlan {
  /** One try: opens what is missing and checks the server. */
  attempt(): Promise<void>;
  /** The store's AppError for whatever the driver threw. */
  toError(error: unknown): AppError;
  policy: BackoffPolicy;
  signal?: AbortSignal | undefined;
  /** Whether a failure also starts background reconnects. Default: when the failure is transient. */
  reconnectInBackground?: boolean;
}

/**
 * The state one store shows in the status bar, and its way back from `down`: while down, calls
 * fail fast with `unreachable` (they never wait on a dead socket), and `reconnect` is retried in
 * the background with backoff until it works or the store is closed.
 */
export class StoreLifecycle {
  #state: StoreState;
  #reason: string | undefined;
  #serverVersion: string | undefined;
  #latencyMs: number | undefined;
  #checkedAt = new Date().toISOString();
  #listeners = new Set<StatusListener>();
  #reconnectTimer: ReturnType<typeof setTimeout> | undefined;
  #reconnectAttempt = 0;
  #closed = false;
  #connecting: Promise<void> | undefined;

  constructor(
    readonly kind: StoreKind,
    private readonly reconnect: () => Promise<void>,
    private readonly policy: Pick<BackoffPolicy, 'baseDelayMs' | 'maxDelayMs'>,
    configured = true,
  ) {
    this.#state = configured ? 'down' : 'not_configured';
    this.#reason = configured ? 'not connected yet' : undefined;
  }

  get state(): StoreState {
    return this.#state;
  }

  get label(): string {
    return STORE_LABELS[this.kind];
  }

  status(): StoreStatus {
    return {
      store: this.kind,
      state: this.#state,
      ...(this.#serverVersion !== undefined ? { serverVersion: this.#serverVersion } : {}),
      ...(this.#latencyMs !== undefined ? { latencyMs: this.#latencyMs } : {}),
      ...(this.#reason !== undefined ? { reason: this.#reason } : {}),
      checkedAt: this.#checkedAt,
    };
  }

  /** Called on every state change, for the status bar. Returns the unsubscribe function. */
  onStatus(listener: StatusListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  markConnected(serverVersion?: string, latencyMs?: number): void {
    this.#reconnectAttempt = 0;
    if (this.#reconnectTimer) clearTimeout(this.#reconnectTimer);
    this.#reconnectTimer = undefined;
    if (serverVersion !== undefined) this.#serverVersion = serverVersion;
    if (latencyMs !== undefined) this.#latencyMs = latencyMs;
    this.#set('connected', undefined);
  }

  /** Still answering, but something is wrong (a slow check, a lost pooled connection). */
  markDegraded(reason: string): void {
    if (this.#state === 'connected') this.#set('degraded', reason);
  }

  /**
   * The store is gone: later calls fail fast, and unless `background` is false a reconnect is
   * scheduled. Final failures (wrong password) go down without retrying forever.
   */
  markDown(reason: string, background = true): void {
    this.#set('down', reason);
    if (background) this.#scheduleReconnect();
  }

  /** Throws `unreachable` at once when the store is down or closed, so a dead store never blocks a caller. */
  assertUsable(): void {
    if (this.#closed) throw new AppError('unreachable', `The ${this.label} connection is closed.`);
    if (this.#state === 'not_configured') throw new AppError('unreachable', `No ${this.label} is configured for this workspace.`);
    if (this.#state === 'down') {
      throw new AppError('unreachable', `${this.label} is down (${this.#reason ?? 'no reason given'}); Tenantscope keeps trying to reconnect.`);
    }
  }

  /** Stops the background reconnect; the store is being closed. */
  close(): void {
    this.#closed = true;
    if (this.#reconnectTimer) clearTimeout(this.#reconnectTimer);
    this.#reconnectTimer = undefined;
    this.#set('down', 'closed');
  }

  reopen(): void {
    this.#closed = false;
  }

  /** The connection attempt in flight, if any: closing waits for it to settle. */
  get connecting(): Promise<void> | undefined {
    return this.#connecting;
  }

  /**
   * The one way a store connects: a call while an attempt runs shares its outcome; the attempt is
   * retried with backoff and jitter while its failure is transient (unreachable, timeout); a final
   * failure marks the store down and is thrown as the store's AppError.
   */
  connectOnce(plan: ConnectPlan): Promise<void> {
    if (this.#connecting) return this.#connecting;
    this.reopen();
    this.#connecting = (async () => {
      try {
        await retryWithBackoff(() => plan.attempt(), plan.policy, (error) => isTransient(plan.toError(error)), plan.signal);
      } catch (error) {
        const mapped = plan.toError(error);
        this.markDown(mapped.message, plan.reconnectInBackground ?? isTransient(mapped));
        throw mapped;
      } finally {
        this.#connecting = undefined;
      }
    })();
    return this.#connecting;
  }

  get closed(): boolean {
    return this.#closed;
  }

  /**
   * The one way a store answers `health()`: runs the check (which marks the store connected with
   * its version and round trip); a transient failure marks it down, and unless
   * `reconnectInBackground` is false (a driver that reconnects by itself) starts the background
   * reconnects. A final failure (credentials) leaves the state as it was. Never throws.
   */
  async checkHealth(check: () => Promise<void>, toError: (error: unknown) => AppError, reconnectInBackground = true): Promise<StoreStatus> {
    try {
      await check();
    } catch (error) {
      const mapped = toError(error);
      if (isTransient(mapped)) this.markDown(mapped.message, reconnectInBackground);
    }
    return this.status();
  }

  #scheduleReconnect(): void {
    if (this.#closed || this.#reconnectTimer) return;
    const delay = backoffDelay(this.#reconnectAttempt, this.policy) + 50;
    this.#reconnectAttempt += 1;
    this.#reconnectTimer = setTimeout(() => {
      this.#reconnectTimer = undefined;
      if (this.#closed || this.#state === 'connected') return;
      this.reconnect().then(
        () => undefined,
        (error: unknown) => {
          if (this.#closed) return;
          const reason = error instanceof Error ? error.message : String(error);
          this.#set('down', reason);
          this.#scheduleReconnect();
        },
      );
    }, delay);
    this.#reconnectTimer.unref?.();
  }

  #set(state: StoreState, reason: string | undefined): void {
    const changed = state !== this.#state || reason !== this.#reason;
    this.#state = state;
    this.#reason = reason;
    this.#checkedAt = new Date().toISOString();
    if (!changed) return;
    const status = this.status();
    for (const listener of this.#listeners) listener(status);
  }
}

/**
 * How every store ends: stop reconnecting, stop each running operation (its deadline cancels the
 * server work), let a connection attempt in flight settle, then release the driver's resources
 * whatever happened before.
 */
export async function closeStore(
  lifecycle: StoreLifecycle,
  running: Iterable<{ stop(reason: 'cancelled'): void }>,
  release: () => Promise<unknown> | undefined,
): Promise<void> {
  const connecting = lifecycle.connecting;
  try {
    lifecycle.close();
    for (const operation of running) operation.stop('cancelled');
    await connecting?.catch(() => undefined);
  } finally {
    await release()?.catch(() => undefined);
  }
}
