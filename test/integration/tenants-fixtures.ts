import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import pg from 'pg';
import { AppError } from '@shared/errors';
import { murima2025, tenantSchemaName, type PostgresLayout } from '@shared/tenancy';
import { renderSharedSchema, renderTenantSchema } from '@shared/tenancy/postgres-sql';
import type { RedisCommand, RedisReader, RedisReply } from '../../src/main/stores/redis/pipe';
import { redisReadsOver, type RedisWalks } from '../../src/main/stores/redis/reads';
import type { PostgresFace, QueryResult } from '../../src/main/stores/postgres/face';

/**
 * Real stores for the tenant browser's tests and benchmarks: a throwaway database on the test
 * PostgreSQL and a Redis database, behind the narrow interfaces the feature declares.
 */

export const pgLayout = murima2025.layout.postgres as PostgresLayout;

/** A fresh database on the test server, so tenant schemas of one suite never meet another's. */
export async function createScratchDatabase(url: string, name: string): Promise<{ pool: pg.Pool; drop(): Promise<void> }> {
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${pg.escapeIdentifier(name)} WITH (FORCE)`);
  await admin.query(`CREATE DATABASE ${pg.escapeIdentifier(name)}`);
  await admin.end();
  const target = new URL(url);
  target.pathname = `/${name}`;
  const pool = new pg.Pool({ connectionString: target.toString(), max: 4 });
  return {
    pool,
    async drop() {
      await pool.end();
      const again = new pg.Client({ connectionString: url });
      await again.connect();
      await again.query(`DROP DATABASE IF EXISTS ${pg.escapeIdentifier(name)} WITH (FORCE)`);
      await again.end();
    },
  };
}

/** `Pick<PostgresStore, 'query'>` over a plain pool: rows as arrays, cancelled by the signal's abort. */
export function postgresReader(pool: pg.Pool): Pick<PostgresFace, 'query'> & { calls: number } {
  const reader = {
    calls: 0,
    async query(sql: string, params: readonly unknown[] = [], _scope?: unknown, options: { signal?: AbortSignal } = {}): Promise<QueryResult> {
      if (options.signal?.aborted) throw new AppError('cancelled', 'The query was cancelled.');
      reader.calls += 1;
      const result = await pool.query({ text: sql, values: [...params], rowMode: 'array' });
      return { columns: result.fields.map((f) => ({ name: f.name, dataTypeId: f.dataTypeID })), rows: result.rows as unknown[][], rowCount: result.rowCount, command: result.command };
    },
  };
  return reader;
}

/**
 * The store's reads (walks, value reads) over a bare ioredis client, one MULTI-less pipeline per
 * round trip, counted; the pipeline itself is there too, for fakes that wrap it.
 */
export function redisReader(client: Redis): RedisReader & RedisWalks & { roundTrips: number } {
  const reader = {
    roundTrips: 0,
    async pipeline(commands: readonly RedisCommand[]): Promise<RedisReply[]> {
      reader.roundTrips += 1;
      const pipeline = client.pipeline();
      for (const [name, ...args] of commands) pipeline.call(name, ...args);
      const replies = (await pipeline.exec()) ?? [];
      return replies.map(([error, value]): RedisReply => [error, value]);
    },
  };
  return Object.assign(reader, redisReadsOver(reader));
}

/** A client on database `db` of the Redis at `url`. */
export function redisClient(url: string, db: number): Redis {
  // ioredis takes the database from the URL's path before its `db` option, and the test server's
  // URL names /0: the path itself must say which database.
  const target = new URL(url);
  target.pathname = `/${db}`;
  return new Redis(target.toString(), { lazyConnect: false, maxRetriesPerRequest: 1 });
}

export async function createRegistry(pool: pg.Pool): Promise<void> {
  for (const statement of renderSharedSchema(murima2025.blueprint.postgres!)) await pool.query(statement.text, statement.values);
}

export function tenantIds(count: number): string[] {
  return Array.from({ length: count }, () => randomUUID());
}

export async function registerTenant(pool: pg.Pool, id: string, name: string, status = 'active'): Promise<void> {
  await pool.query(
    `INSERT INTO public.tenants (id, slug, name, schema_name, status) VALUES ($1, $2, $3, $4, $5)`,
    [id, `t-${id.slice(0, 8)}`, name, tenantSchemaName(pgLayout, id), status],
  );
}

/** One tenant schema exactly as the blueprint prescribes, with monthly partitions from first to last month. */
export async function createBlueprintSchema(pool: pg.Pool, id: string, firstMonth: string, lastMonth: string): Promise<void> {
  const sql = renderTenantSchema(murima2025.blueprint.postgres!, pgLayout, id, { firstMonth, lastMonth });
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query(sql.skeleton.join(';\n'));
    for (const statement of sql.partitions) await client.query(statement.text, statement.values);
    await client.query(sql.ddl.join(';\n'));
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK');
    throw error;
  } finally {
    client.release();
  }
}

export function currentMonth(now = new Date()): string {
  return `${now.getUTCFullYear()}-${String(now.getUTCMonth() + 1).padStart(2, '0')}`;
}

/** Murima2025 key families with their TTLs (seconds; null for none). */
export const FAMILY_KEYS: Array<{ family: string; key: (i: number) => string; ttl: number | null; type: 'hash' | 'string' | 'zset' | 'set' | 'list' }> = [
  { family: 'session', key: (i) => `session:s${i}`, ttl: 86_400, type: 'hash' },
  { family: 'user_permissions', key: (i) => `user:u${i}:permissions`, ttl: 3_600, type: 'hash' },
  { family: 'case', key: (i) => `case:c${i}`, ttl: 1_800, type: 'hash' },
  { family: 'case_viewers', key: (i) => `case:c${i}:viewers`, ttl: 300, type: 'set' },
  { family: 'config', key: (i) => `config:k${i}`, ttl: 3_600, type: 'string' },
  { family: 'rate_limit', key: (i) => `rate_limit:10.0.0.${i}`, ttl: 60, type: 'zset' },
  { family: 'notifications', key: (i) => `notifications:u${i}`, ttl: 2_592_000, type: 'list' },
  { family: 'locks', key: (i) => `locks:r${i}`, ttl: 30, type: 'string' },
];

/** Writes `perFamily[family]` keys of each family for a tenant, plus its online_users set (no TTL). */
export async function writeTenantKeys(client: Redis, tenantId: string, perFamily: number): Promise<number> {
  const pipeline = client.pipeline();
  let written = 0;
  for (const spec of FAMILY_KEYS) {
    for (let i = 0; i < perFamily; i++) {
      const key = `${tenantId}:${spec.key(i)}`;
      switch (spec.type) {
        case 'hash':
          pipeline.hset(key, { user_id: `u${i}`, role: 'agent', last_activity: '2026-11-01T10:00:00Z' });
          break;
        case 'string':
          pipeline.set(key, `value-${i}`);
          break;
        case 'zset':
          pipeline.zadd(key, 1_700_000_000 + i, `call-${i}`);
          break;
        case 'set':
          pipeline.sadd(key, `u${i}`, `u${i + 1}`);
          break;
        case 'list':
          pipeline.rpush(key, `note ${i}`, `note ${i + 1}`);
          break;
      }
      if (spec.ttl !== null) pipeline.expire(key, spec.ttl);
      written += 1;
    }
  }
  pipeline.zadd(`${tenantId}:online_users`, 1_700_000_000, 'u0');
  written += 1;
  await pipeline.exec();
  return written;
}
