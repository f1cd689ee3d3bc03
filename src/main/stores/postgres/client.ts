import pg from 'pg';
import type { PostgresEndpoint } from '@shared/model/workspace';
import { tlsConnectionOptions } from '../tls';

/**
 * The one place a PostgreSQL connection or pool is made, for the data service, its canceller, the
 * connection test and the audit sink alike. Each names itself in `application_name`, so an
 * administrator reading `pg_stat_activity` sees which part of the console holds a connection.
 */

/** Connection settings of an endpoint with its password and TLS files read. */
export async function postgresClientConfig(
  endpoint: PostgresEndpoint,
  password: string | undefined,
  options: { connectTimeoutMs: number; applicationName: string },
): Promise<pg.ClientConfig> {
  const ssl = await tlsConnectionOptions(endpoint.tls);
  return {
    host: endpoint.host,
    port: endpoint.port,
    database: endpoint.database,
    user: endpoint.username,
    password: password ?? '',
    ssl: ssl ?? false,
    connectionTimeoutMillis: options.connectTimeoutMs,
    application_name: options.applicationName,
  };
}

/**
 * One connection, not connected yet. A socket that breaks after the work is done must not surface
 * as an unhandled 'error' event, so a listener is always there; the caller's own work still sees
 * the failure through its promise.
 */
export function createPostgresClient(config: pg.ClientConfig): pg.Client {
  const client = new pg.Client(config);
  client.on('error', () => undefined);
  return client;
}

/** A pool; `onIdleError` hears an idle pooled connection die (a server restart), which must not crash the process. */
export function createPostgresPool(config: pg.PoolConfig, onIdleError: (error: Error) => void = () => undefined): pg.Pool {
  const pool = new pg.Pool(config);
  pool.on('error', onIdleError);
  return pool;
}
