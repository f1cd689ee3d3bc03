import type { MongoClient } from 'mongodb';
import type { MongoEndpoint } from '@shared/model/workspace';
import type { ProbeAttempt } from '../probe-attempt';
import { createMongoClient } from './client';
import { toMongoError } from './errors';

/** Connects once, runs `buildInfo` on admin, closes. */
export function probeMongo(endpoint: MongoEndpoint, password: string | undefined, timeoutMs: number): ProbeAttempt {
  const server = `MongoDB at ${endpoint.hosts}`;
  let client: MongoClient | undefined;
  let aborted = false;
  const run = async (): Promise<{ serverVersion: string; latencyMs: number }> => {
    // Server selection must give up before the probe's deadline, so its reason (refused, TLS) is reported.
    const created = await createMongoClient(endpoint, password, Math.max(100, Math.floor(timeoutMs * 0.8)), { maxPoolSize: 1 });
    if (aborted) {
      await created.close().catch(() => undefined);
      throw new Error('aborted');
    }
    client = created;
    try {
      await created.connect();
      const started = performance.now();
      const info = await created.db('admin').command({ buildInfo: 1 }, { timeoutMS: timeoutMs });
      const latencyMs = Math.round((performance.now() - started) * 100) / 100;
      return { serverVersion: typeof info.version === 'string' ? info.version : 'unknown', latencyMs };
    } catch (error) {
      throw toMongoError(error, server);
    } finally {
      await created.close().catch(() => undefined);
    }
  };
  return {
    result: run(),
    abort() {
      aborted = true;
      void client?.close().catch(() => undefined);
    },
  };
}
