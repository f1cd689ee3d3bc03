import { describe, expect, inject, it } from 'vitest';
import { createConnection } from 'node:net';
import { startRedis } from '../support/redis-server';

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection(port, '127.0.0.1');
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('error', () => resolve(false));
  });
}

describe('throwaway test servers', () => {
  it('provides a PostgreSQL and a Redis listening on loopback', async () => {
    expect(await canConnect(inject('postgres').port)).toBe(true);
    expect(await canConnect(inject('redis').port)).toBe(true);
  });

  it('kills and restarts a Redis on the same port', async () => {
    const redis = await startRedis();
    try {
      await redis.kill();
      expect(await canConnect(redis.port)).toBe(false);
      await redis.restart();
      expect(await canConnect(redis.port)).toBe(true);
    } finally {
      await redis.stop();
    }
  });
});
