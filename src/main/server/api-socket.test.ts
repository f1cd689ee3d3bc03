import { describe, expect, it } from 'vitest';
import { SOCKET_HIGH_WATER_BYTES, whenDrained } from './api-socket';

/** A socket whose queue the test fills and empties by hand. */
const fakeSocket = (bufferedAmount: number): { bufferedAmount: number; readyState: 0 | 1 | 2 | 3; OPEN: 1 } => ({ bufferedAmount, readyState: 1, OPEN: 1 });

describe('whenDrained: a streaming call waits for the WebSocket queue', () => {
  it('resolves at once while less than the high-water mark is queued', async () => {
    const order: string[] = [];
    await whenDrained(fakeSocket(SOCKET_HIGH_WATER_BYTES - 1)).then(() => order.push('resolved'));
    expect(order).toEqual(['resolved']);
  });

  it('waits while the queue is full and resolves once it has drained', async () => {
    const socket = fakeSocket(SOCKET_HIGH_WATER_BYTES + 1);
    const order: string[] = [];
    const waiting = whenDrained(socket).then(() => order.push('resolved'));
    await new Promise((resolve) => setTimeout(resolve, 20));
    order.push('still full');
    socket.bufferedAmount = 10;
    await waiting;
    expect(order).toEqual(['still full', 'resolved']);
  });

  it('stops waiting when the socket closes, so an aborted call is not held by a queue that never drains', async () => {
    const socket = fakeSocket(SOCKET_HIGH_WATER_BYTES * 2);
    const waiting = whenDrained(socket);
    socket.readyState = 3;
    await expect(waiting).resolves.toBeUndefined();
  });
});
