import type { Redis } from 'ioredis';
import type { RedisEndpoint } from '@shared/model/workspace';
import type { ProbeAttempt } from '../probe-attempt';
import { createRedisClient } from './client';
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
    const created = await createRedisClient(endpoint, password, { connectTimeoutMs: timeoutMs, connectionName: 'tenantscope-connection-test', retryStrategy: () => null });
    client = created;
    if (aborted) throw new Error('aborted');
    let lastError: unknown;
    created.on('error', (error: unknown) => {
      lastError = error;
    });
    try {
      await created.connect();
      const started = performance.now();
      const info = await created.info('server');
      const latencyMs = Math.round((performance.now() - started) * 100) / 100;
      return { serverVersion: redisVersionFromInfo(info) ?? 'unknown', latencyMs };
    } catch (error) {
      // ioredis reports "Connection is closed" when the real reason (refused, WRONGPASS) was an 'error' event.
      throw toRedisError(lastError && /Connection is closed/.test(String(error)) ? lastError : error, server);
    } finally {
      created.disconnect();
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
