import type pg from 'pg';
import type { PostgresEndpoint } from '@shared/model/workspace';
import type { ProbeAttempt } from '../probe-attempt';
import { createPostgresClient, postgresClientConfig } from './client';
import { toPostgresError } from './errors';

/** Connects once with a plain client (no pool), reads `server_version`, closes. */
export function probePostgres(endpoint: PostgresEndpoint, password: string | undefined, timeoutMs: number): ProbeAttempt {
  const server = `PostgreSQL at ${endpoint.host}:${endpoint.port}`;
  let client: pg.Client | undefined;
  let aborted = false;
  const run = async (): Promise<{ serverVersion: string; latencyMs: number }> => {
    const config = await postgresClientConfig(endpoint, password, { connectTimeoutMs: timeoutMs, applicationName: 'Tenantscope connection test' });
    if (aborted) throw new Error('aborted');
    client = createPostgresClient(config);
    try {
      await client.connect();
      const started = performance.now();
      const result = await client.query<{ server_version: string }>('SHOW server_version');
      const latencyMs = Math.round((performance.now() - started) * 100) / 100;
      return { serverVersion: result.rows[0]?.server_version ?? 'unknown', latencyMs };
    } catch (error) {
      throw toPostgresError(error, server);
    } finally {
      await client.end().catch(() => undefined);
    }
  };
  return {
    result: run(),
    abort() {
      aborted = true;
      client?.connection.stream.destroy();
    },
  };
}
