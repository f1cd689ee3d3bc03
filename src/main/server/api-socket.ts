import { randomUUID } from 'node:crypto';
import type { WebSocket, RawData } from 'ws';
import type { ServerMessage } from '@shared/contract/protocol';
import type { ConsoleCore } from '../core/console';

/** WebSocket close codes (RFC 6455) used when a client breaks the protocol. */
export const CLOSE_CODES = {
  goingAway: 1001,
  unsupportedData: 1003,
  invalidPayload: 1007,
  tooBig: 1009,
  internal: 1011,
} as const;

/** Bytes a WebSocket may have queued before a streaming call waits for it to drain. */
export const SOCKET_HIGH_WATER_BYTES = 4 * 1024 * 1024;
/** How often a waiting call looks at the queue again: a few milliseconds is short beside a batch's trip. */
const DRAIN_POLL_MS = 4;

/**
 * Resolves once the socket has less than `highWater` bytes queued, or is no longer open (the call
 * is being aborted then, and must not wait for a queue that will never drain). `ws` announces no
 * drain of its own, so the queue is looked at again every few milliseconds while it is full.
 */
export function whenDrained(socket: Pick<WebSocket, 'bufferedAmount' | 'readyState' | 'OPEN'>, highWater = SOCKET_HIGH_WATER_BYTES): Promise<void> {
  const ready = (): boolean => socket.readyState !== socket.OPEN || socket.bufferedAmount < highWater;
  if (ready()) return Promise.resolve();
  return new Promise((resolve) => {
    const look = (): void => {
      if (ready()) resolve();
      else setTimeout(look, DRAIN_POLL_MS);
    };
    setTimeout(look, DRAIN_POLL_MS);
  });
}

/**
 * Connects one authenticated WebSocket to the router as its own renderer connection. A client that
 * sends binary frames or text that is not JSON is disconnected; the server and every other
 * connection carry on. Oversize frames are refused by `ws` itself (maxPayload, close code 1009).
 */
export function attachApiSocket(socket: WebSocket, core: ConsoleCore, onInternalError: (error: unknown) => void): void {
  const connectionId = randomUUID();
  const connection = core.router.connect(
    {
      send(message: ServerMessage) {
        if (socket.readyState !== socket.OPEN) return;
        const text = serialize(message);
        if (text === undefined) onInternalError(new Error(`Event ${'name' in message ? message.name : ''} could not be serialised`));
        else socket.send(text);
      },
      whenWritable: () => whenDrained(socket),
    },
    core.newSession(connectionId),
  );

  socket.on('message', (data: RawData, isBinary: boolean) => {
    if (isBinary) {
      socket.close(CLOSE_CODES.unsupportedData, 'Only JSON text messages are accepted');
      return;
    }
    let message: unknown;
    try {
      message = JSON.parse(rawText(data));
    } catch {
      socket.close(CLOSE_CODES.invalidPayload, 'A message was not valid JSON');
      return;
    }
    try {
      connection.receive(message);
    } catch (error) {
      onInternalError(error);
    }
  });
  socket.on('error', () => socket.terminate());
  socket.on('close', () => connection.close());
}

function rawText(data: RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  if (Buffer.isBuffer(data)) return data.toString('utf8');
  return Buffer.from(data).toString('utf8');
}

/**
 * A value that JSON cannot carry (a BigInt a driver returned, say) must not leave the caller
 * waiting: the call is answered with `internal` instead. Such an event is dropped.
 */
function serialize(message: ServerMessage): string | undefined {
  try {
    return JSON.stringify(message);
  } catch {
    if (message.kind === 'result') {
      return JSON.stringify({
        kind: 'result',
        callId: message.callId,
        ok: false,
        error: { code: 'internal', message: 'The result could not be sent: it holds a value JSON cannot represent' },
      } satisfies ServerMessage);
    }
    return undefined;
  }
}
