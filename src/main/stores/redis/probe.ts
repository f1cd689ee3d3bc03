import { Redis } from 'ioredis';
import type { RedisEndpoint } from '@shared/model/workspace';
import type { ProbeAttempt } from '../probe-attempt';
import { tlsConnectionOptions } from '../tls';
import { toRedisError } from './errors';

/** The `redis_version` line of `INFO server`. */
export function redisVersionFromInfo(info: string): string | undefined {
  return /^redis_version:(.+)$/m.exec(info)?.[1]?.trim();
}

/** Connects once without retries or offline queue, reads `INFO server`, disconnects. */
export function probeRedis(endpoint: RedisEndpoint, password: string | undefined, timeoutMs: number): ProbeAttempt {
  const server = `Redis at ${endpoint.host}:${endpoint.port}`;
  let client: Redis | undefined;
  let aborted = false;
  const run = async (): Promise<{ serverVersion: string; latencyMs: number }> => {
    const tls = await tlsConnectionOptions(endpoint.tls);
    if (aborted) throw new Error('aborted');
    client = new Redis({
      host: endpoint.host,
      port: endpoint.port,
      db: endpoint.db,
      ...(endpoint.username ? { username: endpoint.username } : {}),
      ...(password ? { password } : {}),
      ...(tls ? { tls } : {}),
      lazyConnect: true,
      connectTimeout: timeoutMs,
      maxRetriesPerRequest: 0,
      enableOfflineQueue: false,
      retryStrategy: () => null,
      connectionName: 'tenantscope-connection-test',
    });
    let lastError: unknown;
    client.on('error', (error: unknown) => {
      lastError = error;
    });
    try {
      await client.connect();
      const started = performance.now();
      const info = await client.info('server');
      const latencyMs = Math.round((performance.now() - started) * 100) / 100;
      return { serverVersion: redisVersionFromInfo(info) ?? 'unknown', latencyMs };
    } catch (error) {
      // ioredis reports "Connection is closed" when the real reason (refused, WRONGPASS) was an 'error' event.
      throw toRedisError(lastError && /Connection is closed/.test(String(error)) ? lastError : error, server);
    } finally {
      client.disconnect();
    }
  };
  return {
    result: run(),
    abort() {
      aborted = true;
      client?.disconnect();
    },
  };
}
