import { Redis } from 'ioredis';
import { inject } from 'vitest';
import { RedisEndpoint } from '../../../src/shared/model/workspace';
import { RedisStore, type RedisStoreOptions } from '../../../src/main/stores/redis/store';

export function redisStore(options: RedisStoreOptions = {}, server: { host: string; port: number; password: string } = inject('redis')): RedisStore {
  return new RedisStore(RedisEndpoint.parse({ host: server.host, port: server.port }), { password: server.password }, options);
}

/** A plain driver connection that checks what really happened on the server, outside the store. */
export async function withRedisAdmin<T>(work: (client: Redis) => Promise<T>): Promise<T> {
  const server = inject('redis');
  const client = new Redis({ host: server.host, port: server.port, password: server.password, lazyConnect: true });
  await client.connect();
  try {
    return await work(client);
  } finally {
    client.disconnect();
  }
}
