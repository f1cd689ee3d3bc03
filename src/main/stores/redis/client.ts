import { Redis } from 'ioredis';
import type { RedisEndpoint } from '@shared/model/workspace';
import { tlsConnectionOptions } from '../tls';

export interface RedisClientOptions {
  /** How long one connection attempt may take. */
  connectTimeoutMs: number;
  /** What `CLIENT LIST` shows for this connection. */
  connectionName: string;
  /** Delay before ioredis reconnects by itself after attempt `n` (1-based), or null to stay closed. */
  retryStrategy: (attempt: number) => number | null;
}

/**
 * The one place a Redis connection is made, for the store and for the connection test alike, so
 * both connect the same way: lazily (nothing happens until `connect`), TLS from the endpoint, and
 * no offline queue, so a command sent while the socket is down fails at once instead of waiting
 * behind it. Dedicated connections of the command line are `duplicate`s of the store's.
 */
export async function createRedisClient(endpoint: RedisEndpoint, password: string | undefined, options: RedisClientOptions): Promise<Redis> {
  const tls = await tlsConnectionOptions(endpoint.tls);
  return new Redis({
    host: endpoint.host,
    port: endpoint.port,
    db: endpoint.db,
    ...(endpoint.username ? { username: endpoint.username } : {}),
    ...(password ? { password } : {}),
    ...(tls ? { tls } : {}),
    lazyConnect: true,
    connectTimeout: options.connectTimeoutMs,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    connectionName: options.connectionName,
    retryStrategy: options.retryStrategy,
  });
}
