import type { ClientTransport, ServerMessage } from '@shared/contract/protocol';
import type { Session } from '@shared/model/session';
import type { Router } from './router';

/**
 * Client and router in one process, with messages cloned as a real transport would serialise
 * them. Used by the router's tests and the transport benchmark's baseline.
 */
export function connectInMemory(router: Router, session: Session): { transport: ClientTransport; close(): void } {
  const listeners = new Set<(message: ServerMessage) => void>();
  const connection = router.connect(
    { send: (message) => queueMicrotask(() => listeners.forEach((l) => l(structuredClone(message)))) },
    session,
  );
  return {
    transport: {
      send: (message) => queueMicrotask(() => connection.receive(structuredClone(message))),
      onMessage(listener) {
        listeners.add(listener);
        return () => listeners.delete(listener);
      },
    },
    close: () => connection.close(),
  };
}
