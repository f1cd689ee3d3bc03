import pg from 'pg';
import { inject } from 'vitest';
import { PostgresEndpoint } from '../../../src/shared/model/workspace';
import { PostgresStore, type PostgresStoreOptions } from '../../../src/main/stores/postgres/store';

/** The run's throwaway PostgreSQL as a workspace endpoint. */
export function postgresEndpoint(poolSize = 5): PostgresEndpoint {
  const server = inject('postgres');
  return PostgresEndpoint.parse({ host: server.host, port: server.port, database: server.database, username: server.user, poolSize });
}

export function postgresStore(options: PostgresStoreOptions = {}, poolSize = 5): PostgresStore {
  return new PostgresStore(postgresEndpoint(poolSize), { password: inject('postgres').password }, options);
}

/** A plain driver connection that checks what really happened on the server, outside the store. */
export async function withAdmin<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: inject('postgres').url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

export async function waitFor(check: () => Promise<boolean>, timeoutMs: number, intervalMs = 25): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return true;
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

export async function errorOf(work: Promise<unknown>): Promise<{ code?: string; message: string }> {
  try {
    await work;
  } catch (error) {
    const code = typeof error === 'object' && error !== null && 'code' in error ? String((error as { code: unknown }).code) : undefined;
    return { code, message: error instanceof Error ? error.message : String(error) };
  }
  throw new Error('expected the operation to fail, and it succeeded');
}
