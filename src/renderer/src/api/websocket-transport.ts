import type { ClientTransport } from '@shared/contract/protocol';
import { createSocketTransport, type SocketFactory } from '@shared/contract/socket-transport';

export type { SocketFactory, SocketLike } from '@shared/contract/socket-transport';

/**
 * Web mode's transport in the browser: one WebSocket to the loopback server, authenticated by the
 * cookie the server set when the page was opened with its token. Pending calls fail with
 * `unreachable` when the socket closes (see createSocketTransport).
 */
export function createWebSocketTransport(url: URL, open: SocketFactory = (u) => new WebSocket(u)): ClientTransport {
  const wsUrl = new URL(url);
  wsUrl.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  return createSocketTransport(wsUrl.toString(), open);
}
