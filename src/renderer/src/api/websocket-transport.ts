import type { ClientMessage, ClientTransport, ServerMessage } from '@shared/contract/protocol';

/**
 * Web mode's transport: one WebSocket to the loopback server, authenticated by the session cookie
 * the server set when the page was opened with its token. Messages sent before the socket opens
 * are queued.
 */
export function createWebSocketTransport(url: URL): ClientTransport {
  const wsUrl = new URL(url);
  wsUrl.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  const socket = new WebSocket(wsUrl);
  const queue: string[] = [];
  const listeners = new Set<(message: ServerMessage) => void>();
  socket.addEventListener('open', () => {
    for (const text of queue.splice(0)) socket.send(text);
  });
  socket.addEventListener('message', (event) => {
    if (typeof event.data !== 'string') return;
    const message = JSON.parse(event.data) as ServerMessage;
    for (const listener of listeners) listener(message);
  });
  return {
    send(message: ClientMessage) {
      const text = JSON.stringify(message);
      if (socket.readyState === WebSocket.OPEN) socket.send(text);
      else queue.push(text);
    },
    onMessage(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
