import type { SerializedError } from '../errors';

/**
 * The messages every transport carries (Electron IPC, the web-mode WebSocket, the in-memory pair
 * used in tests). A call is answered exactly once, by a result; cancel refers to its callId.
 */
export interface CallMessage {
  kind: 'call';
  callId: string;
  method: string;
  args: unknown;
}

export interface CancelMessage {
  kind: 'cancel';
  callId: string;
}

export type ClientMessage = CallMessage | CancelMessage;

export type ResultMessage =
  | { kind: 'result'; callId: string; ok: true; value: unknown }
  | { kind: 'result'; callId: string; ok: false; error: SerializedError };

export interface EventMessage {
  kind: 'event';
  name: string;
  payload: unknown;
}

export type ServerMessage = ResultMessage | EventMessage;

/** The largest message either side accepts; anything bigger is refused unread. */
export const MAX_MESSAGE_BYTES = 16 * 1024 * 1024;

/** Both ends of a transport see the other through this: send one way, listen the other. */
export interface Transport<Out, In> {
  send(message: Out): void;
  onMessage(listener: (message: In) => void): () => void;
}

export type ClientTransport = Transport<ClientMessage, ServerMessage>;

/** A transport's server side: one per connected renderer. */
export interface Connection {
  send(message: ServerMessage): void;
  /** Resolves when the connection can take more messages; a connection without a queue leaves it out. */
  whenWritable?(): Promise<void>;
}

export function isClientMessage(value: unknown): value is ClientMessage {
  if (typeof value !== 'object' || value === null) return false;
  const m = value as Record<string, unknown>;
  if (typeof m.callId !== 'string' || m.callId.length === 0 || m.callId.length > 128) return false;
  if (m.kind === 'cancel') return true;
  return m.kind === 'call' && typeof m.method === 'string' && m.method.length <= 128;
}
