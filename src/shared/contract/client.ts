import { AppError } from '../errors';
import { contract, type Api, type CallOptions, type EventName } from './index';
import type { ClientTransport, ResultMessage } from './protocol';

interface Pending {
  resolve(value: unknown): void;
  reject(error: AppError): void;
  cleanup(): void;
}

let counter = 0;
function nextCallId(): string {
  counter = (counter + 1) % Number.MAX_SAFE_INTEGER;
  return `${Date.now().toString(36)}-${counter.toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
}

/**
 * Builds the typed API over any transport. An AbortSignal crosses as a cancel message with the
 * call's id; the caller's promise rejects with `cancelled` at once, and the server stops the work.
 */
export function createApiClient(transport: ClientTransport): Api {
  const pending = new Map<string, Pending>();
  const listeners = new Map<string, Set<(payload: unknown) => void>>();

  transport.onMessage((message) => {
    if (message.kind === 'event') {
      for (const listener of listeners.get(message.name) ?? []) listener(message.payload);
      return;
    }
    settle(message);
  });

  function settle(message: ResultMessage): void {
    const call = pending.get(message.callId);
    if (!call) return; // cancelled calls may still be answered; nobody is waiting
    pending.delete(message.callId);
    call.cleanup();
    if (message.ok) call.resolve(message.value);
    else call.reject(AppError.fromJSON(message.error));
  }

  function call(method: string, args: unknown, options: CallOptions = {}): Promise<unknown> {
    const { signal } = options;
    if (signal?.aborted) return Promise.reject(new AppError('cancelled', `${method} was cancelled before it started`));
    const callId = nextCallId();
    return new Promise((resolve, reject) => {
      const onAbort = (): void => {
        if (!pending.delete(callId)) return;
        transport.send({ kind: 'cancel', callId });
        reject(new AppError('cancelled', `${method} was cancelled`));
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      pending.set(callId, { resolve, reject, cleanup: () => signal?.removeEventListener('abort', onAbort) });
      transport.send({ kind: 'call', callId, method, args });
    });
  }

  const api: Record<string, unknown> = {
    on(name: EventName, listener: (payload: unknown) => void): () => void {
      let set = listeners.get(name);
      if (!set) listeners.set(name, (set = new Set()));
      set.add(listener);
      return () => set.delete(listener);
    },
  };
  for (const [sectionName, methods] of Object.entries(contract)) {
    const facade: Record<string, unknown> = {};
    for (const methodName of Object.keys(methods)) {
      facade[methodName] = (args: unknown, options?: CallOptions) => call(`${sectionName}.${methodName}`, args, options);
    }
    api[sectionName] = facade;
  }
  return api as Api;
}
