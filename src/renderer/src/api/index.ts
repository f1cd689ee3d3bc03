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
let wrapper: ((api: Api) => Api) | undefined;
let wrapped: Api | undefined;

/**
 * The single accessor for the API: the preload bridge in the desktop app, the loopback WebSocket
 * in web mode. Views never talk to a transport directly.
 */
export function api(): Api {
  if (!instance) {
    const bridge = window[BRIDGE_KEY];
    instance = createApiClient(bridge ?? createWebSocketTransport(new URL('/api', window.location.href)));
  }
  if (!wrapper) return instance;
  wrapped ??= wrapper(instance);
  return wrapped;
}

/**
 * Lets the app watch every call, once, at start: the access feature asks for a reason when a call
 * is refused for want of one, then tries it again. `undefined` removes the wrapper.
 */
export function wrapApi(wrap: ((api: Api) => Api) | undefined): void {
  wrapper = wrap;
  wrapped = undefined;
}

/** Component tests install a fake API built over an in-memory transport. */
export function setApiForTests(fake: Api): void {
  instance = fake;
  wrapped = undefined;
}
