import { STORE_LABELS, type StoreState, type StoreStatus } from './model/workspace';

/**
 * The words for a store's state, the same on the Overview, in the status bar, above the tenant
 * list and in the start-up log: each of them reads a `StoreStatus` from main and says it this way.
 */
export const STORE_STATE_LABELS: Record<StoreState, string> = {
  connected: 'connected',
  degraded: 'degraded',
  down: 'down',
  unavailable: 'not available',
  not_configured: 'not configured',
};

/** The state's words and, when there is one, the reason: `not available: mongod could not be downloaded…`. */
export function storeStateText(status: Pick<StoreStatus, 'state' | 'reason'>): string {
  const label = STORE_STATE_LABELS[status.state];
  return status.reason && status.state !== 'connected' ? `${label}: ${status.reason}` : label;
}

/** One line of the start-up log: `MongoDB: not available: …`, `PostgreSQL: connected (15.8)`. */
export function storeStatusLine(status: StoreStatus): string {
  const version = status.state === 'connected' && status.serverVersion ? ` (${status.serverVersion})` : '';
  return `${STORE_LABELS[status.store]}: ${storeStateText(status)}${version}`;
}
