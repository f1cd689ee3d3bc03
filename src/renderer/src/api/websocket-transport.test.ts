import { describe, expect, it } from 'vitest';
import { createApiClient } from '@shared/contract/client';
import { AppError } from '@shared/errors';
import type { ClientMessage } from '@shared/contract/protocol';
import { createWebSocketTransport, type SocketLike } from './websocket-transport';

type Listener = (event: never) => void;

/** A socket the test drives by hand: open, answer, close or fail it. */
class ScriptedSocket implements SocketLike {
  readyState = 0;
  readonly sent: ClientMessage[] = [];
  readonly url: string;
  private readonly listeners = new Map<string, Listener[]>();

  constructor(url: string) {
    this.url = url;
  }

  addEventListener(type: string, listener: Listener): void {
    this.listeners.set(type, [...(this.listeners.get(type) ?? []), listener]);
  }

  send(data: string): void {
    if (this.readyState !== 1) throw new Error('send on a socket that is not open');
    this.sent.push(JSON.parse(data) as ClientMessage);
  }

  close(): void {
    this.fire('close', { code: 1000, reason: '' });
  }

  fire(type: string, event: unknown = {}): void {
    if (type === 'open') this.readyState = 1;
    if (type === 'close' || type === 'error') this.readyState = 3;
    for (const listener of this.listeners.get(type) ?? []) (listener as (e: unknown) => void)(event);
  }

  answer(callId: string, value: unknown): void {
    this.fire('message', { data: JSON.stringify({ kind: 'result', callId, ok: true, value }) });
  }
}

function setup(): { socket: ScriptedSocket; client: ReturnType<typeof createApiClient> } {
  let socket: ScriptedSocket | undefined;
  const transport = createWebSocketTransport(new URL('http://127.0.0.1:9/api'), (url) => (socket = new ScriptedSocket(url)));
  if (!socket) throw new Error('no socket was opened');
  return { socket, client: createApiClient(transport) };
}

const isUnreachable = (error: unknown): boolean => AppError.is(error, 'unreachable');

describe('WebSocket transport', () => {
  it('connects to the ws: form of the API address and sends calls queued before the socket opened', async () => {
    const { socket, client } = setup();
    expect(socket.url).toBe('ws://127.0.0.1:9/api');
    const result = client.system.ping({ echo: 'hi' });
    expect(socket.sent).toEqual([]);
    socket.fire('open');
    expect(socket.sent).toMatchObject([{ kind: 'call', method: 'system.ping', args: { echo: 'hi' } }]);
    socket.answer(socket.sent[0]!.callId, { echo: 'hi', at: 'now' });
    await expect(result).resolves.toEqual({ echo: 'hi', at: 'now' });
  });

  it('fails every pending call with unreachable when the socket closes', async () => {
    const { socket, client } = setup();
    socket.fire('open');
    const first = client.system.ping({});
    const second = client.system.info({});
    socket.fire('close', { code: 1006, reason: '' });
    await expect(first).rejects.toSatisfy(isUnreachable);
    await expect(second).rejects.toSatisfy(isUnreachable);
  });

  it('fails queued calls with unreachable when the socket errors before opening', async () => {
    const { socket, client } = setup();
    const call = client.system.ping({});
    socket.fire('error');
    await expect(call).rejects.toSatisfy(isUnreachable);
    expect(socket.sent).toEqual([]);
  });

  it('answers calls made after the connection was lost with unreachable instead of hanging', async () => {
    const { socket, client } = setup();
    socket.fire('open');
    socket.fire('close', { code: 1001, reason: 'Tenantscope is shutting down' });
    await expect(client.system.ping({})).rejects.toThrow(/shutting down/);
    expect(socket.sent).toEqual([]);
  });

  it('leaves answered calls alone when the socket closes later', async () => {
    const { socket, client } = setup();
    socket.fire('open');
    const call = client.system.ping({});
    socket.answer(socket.sent[0]!.callId, { at: 'now' });
    await expect(call).resolves.toEqual({ at: 'now' });
    socket.fire('close', { code: 1000, reason: '' });
    const later = client.system.ping({});
    await expect(later).rejects.toSatisfy(isUnreachable);
  });

  it('ignores a frame that is not JSON and keeps serving the next answer', async () => {
    const { socket, client } = setup();
    socket.fire('open');
    const call = client.system.ping({});
    socket.fire('message', { data: '{not json' });
    socket.answer(socket.sent[0]!.callId, { at: 'later' });
    await expect(call).resolves.toEqual({ at: 'later' });
  });

  it('sends a cancel and rejects with cancelled, not unreachable, when the caller aborts', async () => {
    const { socket, client } = setup();
    socket.fire('open');
    const controller = new AbortController();
    const call = client.system.ping({}, { signal: controller.signal });
    controller.abort();
    await expect(call).rejects.toSatisfy((e) => AppError.is(e, 'cancelled'));
    expect(socket.sent.map((m) => m.kind)).toEqual(['call', 'cancel']);
    socket.fire('close', { code: 1006, reason: '' });
  });
});
