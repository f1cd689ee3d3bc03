import { createApiClient } from '@shared/contract/client';
import type { Api, CallOptions } from '@shared/contract';
import { BRIDGE_KEY, type TenantscopeBridge } from '@shared/contract/bridge';
import { createWebSocketTransport } from './websocket-transport';

declare global {
  interface Window {
    [BRIDGE_KEY]?: TenantscopeBridge;
  }
}

let instance: Api | undefined;
let observed: Api | undefined;
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
  observed ??= observeFailures(instance);
  if (!wrapper) return observed;
  wrapped ??= wrapper(observed);
  return wrapped;
}

type FailureListener = (error: unknown, method: string) => void;
const failureListeners = new Set<FailureListener>();

/**
 * Hears every call that fails, whichever view made it (the vault gate listens for `locked`).
 * Returns the way to stop listening.
 */
export function onCallFailure(listener: FailureListener): () => void {
  failureListeners.add(listener);
  return () => failureListeners.delete(listener);
}

type AnyMethod = (args: unknown, options?: CallOptions) => Promise<unknown>;

function observeFailures(inner: Api): Api {
  const sections = new Map<string, unknown>();
  return new Proxy(inner, {
    get(target, sectionName, receiver) {
      const value: unknown = Reflect.get(target, sectionName, receiver);
      if (typeof sectionName !== 'string' || sectionName === 'on' || typeof value !== 'object' || value === null) return value;
      let section = sections.get(sectionName);
      if (!section) {
        section = Object.fromEntries(
          Object.entries(value as Record<string, AnyMethod>).map(([name, call]) => [
            name,
            (args: unknown, options?: CallOptions) =>
              call(args, options).catch((error: unknown) => {
                for (const listener of failureListeners) listener(error, `${sectionName}.${name}`);
                throw error;
              }),
          ]),
        );
        sections.set(sectionName, section);
      }
      return section;
    },
  });
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
  observed = undefined;
  wrapped = undefined;
}
