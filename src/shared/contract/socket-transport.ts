import type { SerializedError } from '../errors';
import type { ClientMessage, ClientTransport, ServerMessage } from './protocol';

/** The part of a WebSocket the transport uses: the browser's, or `ws` in Node scripts, tests and benchmarks. */
export interface SocketLike {
  readonly readyState: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  addEventListener(type: 'open', listener: () => void): void;
  addEventListener(type: 'message', listener: (event: { data: unknown }) => void): void;
  addEventListener(type: 'close', listener: (event: { code: number; reason: string }) => void): void;
  addEventListener(type: 'error', listener: () => void): void;
}

export type SocketFactory = (url: string) => SocketLike;

const OPEN = 1;

/**
 * The client side of the web-mode WebSocket (`ws://host:port/api`), over any WebSocket
 * implementation. Messages sent before the socket opens are queued.
 *
 * When the socket closes or fails, every call still waiting is answered with `unreachable`, and so
 * is every later call: the server's token changes with each launch, so only reopening the address
 * it printed can reconnect.
 */
export function createSocketTransport(url: string, open: SocketFactory): ClientTransport {
  const queue: string[] = [];
  const listeners = new Set<(message: ServerMessage) => void>();
  /** Calls sent and not yet answered or cancelled. */
  const pending = new Set<string>();
  let lost: SerializedError | undefined;

  const deliver = (message: ServerMessage): void => {
    for (const listener of listeners) listener(message);
  };
  const failCall = (callId: string, error: SerializedError): void => {
    pending.delete(callId);
    deliver({ kind: 'result', callId, ok: false, error });
  };
  const connectionLost = (message: string): void => {
    if (lost) return;
    lost = { code: 'unreachable', message };
    queue.length = 0;
    for (const callId of [...pending]) failCall(callId, lost);
  };

  let socket: SocketLike | undefined;
  try {
    socket = open(url);
  } catch (error) {
    connectionLost(`Could not connect to the Tenantscope server: ${String(error)}`);
  }
  socket?.addEventListener('open', () => {
    for (const text of queue.splice(0)) socket.send(text);
  });
  socket?.addEventListener('message', (event) => {
    if (typeof event.data !== 'string') return;
    let message: ServerMessage;
    try {
      message = JSON.parse(event.data) as ServerMessage;
    } catch {
      return;
    }
    if (message.kind === 'result') pending.delete(message.callId);
    deliver(message);
  });
  socket?.addEventListener('close', (event) =>
    connectionLost(
      `The connection to the Tenantscope server closed (${event.code}${event.reason ? `: ${event.reason}` : ''}). ` +
        'If the server was restarted, open the new address it printed.',
    ),
  );
  socket?.addEventListener('error', () =>
    connectionLost('The connection to the Tenantscope server failed. Check that it is still running, then reload.'),
  );

  return {
    send(message: ClientMessage) {
      if (message.kind === 'call') {
        if (lost) {
          const error = lost;
          queueMicrotask(() => deliver({ kind: 'result', callId: message.callId, ok: false, error }));
          return;
        }
        pending.add(message.callId);
      } else {
        pending.delete(message.callId);
        if (lost) return;
      }
      const text = JSON.stringify(message);
      if (socket?.readyState === OPEN) socket.send(text);
      else queue.push(text);
    },
    onMessage(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
