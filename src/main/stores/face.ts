import type { StoreStatus } from '@shared/model/workspace';
import type { ExecutionOptions } from './execution';
import type { StatusListener } from './lifecycle';

/**
 * What every engine's face shares: the lifecycle the status bar and the registry see. Each engine
 * implements it once through `StoreLifecycle` (connect once with backoff and jitter, fail fast while
 * down, reconnect in the background, close). Its data methods live on the engine's own face
 * (`stores/<engine>/face.ts`); a feature asks for `Pick<…>` of exactly what it uses.
 */
export interface StoreFace {
  /** A prod workspace's store: writes are refused before anything is sent. */
  readonly readOnly: boolean;
  /** The state the status bar shows: connected, degraded, down (with the reason). */
  status(): StoreStatus;
  /** Subscribes to state changes; returns the unsubscribe function. */
  onStatus(listener: StatusListener): () => void;
  /** Connects (idempotent), retrying transient failures with backoff and jitter. */
  connect(options?: ExecutionOptions): Promise<StoreStatus>;
  /** Stops running operations on the server, stops reconnecting and releases the driver. */
  close(): Promise<void>;
  /** Server version, round trip and state, checked now. */
  health(options?: ExecutionOptions): Promise<StoreStatus>;
}
