import { createApiClient } from '@shared/contract/client';
import type { Api } from '@shared/contract';
import { BRIDGE_KEY, type TenantscopeBridge } from '@shared/contract/bridge';
import { createWebSocketTransport } from './websocket-transport';

declare global {
  interface Window {
    [BRIDGE_KEY]?: TenantscopeBridge;
  }
}

let instance: Api | undefined;

/**
 * The single accessor for the API: the preload bridge in the desktop app, the loopback WebSocket
 * in web mode. Views never talk to a transport directly.
 */
export function api(): Api {
  if (!instance) {
    const bridge = window[BRIDGE_KEY];
    instance = createApiClient(bridge ?? createWebSocketTransport(new URL('/api', window.location.href)));
  }
  return instance;
}

/** Component tests install a fake API built over an in-memory transport. */
export function setApiForTests(fake: Api): void {
  instance = fake;
}
