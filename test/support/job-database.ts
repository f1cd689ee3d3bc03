import { inject } from 'vitest';
import pg from 'pg';
import type { Api } from '../../src/shared/contract';
import { createApiClient } from '../../src/shared/contract/client';
import type { ConsoleCore } from '../../src/main/core/console';
import { connectInMemory } from '../../src/main/core/in-memory-transport';

/** A database of its own on the run's PostgreSQL, so `pg_stat_activity` can be read for this suite only. */
export async function createDatabase(name: string): Promise<{ admin: pg.Client; run(sql: string): Promise<void>; drop(): Promise<void> }> {
  const { url } = inject('postgres');
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`drop database if exists ${name} with (force)`);
  await admin.query(`create database ${name}`);
  return {
    admin,
    async run(sql) {
      const client = new pg.Client({ connectionString: url.replace(/\/postgres$/, `/${name}`) });
      await client.connect();
      try {
        await client.query(sql);
      } finally {
        await client.end();
      }
    },
    async drop() {
      await admin.query(`drop database if exists ${name} with (force)`);
      await admin.end();
    },
  };
}

/** The workspace a job suite runs on: the run's PostgreSQL, one database. */
export function postgresWorkspace(name: string, database: string) {
  const postgres = inject('postgres');
  return {
    name,
    environment: 'dev' as const,
    preset: 'murima2025' as const,
    endpoints: {
      postgres: { host: postgres.host, port: postgres.port, database, username: postgres.user, password: postgres.password },
    },
  };
}

/** The typed API over the router in-process, events included, as a renderer would see it. */
export function apiOf(core: ConsoleCore): { api: Api; close(): void } {
  const { transport, close } = connectInMemory(core.router, core.newSession('jobs-test'));
  return { api: createApiClient(transport), close };
}

/** Backends of `database` running a statement that holds `fragment`, as the server lists them. */
export async function activeStatements(admin: pg.Client, database: string, fragment: string): Promise<number> {
  const { rows } = await admin.query<{ n: number }>(
    `select count(*)::int as n from pg_stat_activity
      where datname = $1 and state = 'active' and strpos(query, $2) > 0 and pid <> pg_backend_pid()`,
    [database, fragment],
  );
  return rows[0]?.n ?? 0;
}

/** Polls until `check` holds, a few milliseconds apart, up to `limitMs`. */
export async function until(check: () => boolean | Promise<boolean>, limitMs = 20_000): Promise<void> {
  const end = Date.now() + limitMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`still not true after ${limitMs} ms: ${check.toString()}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
