import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inject } from 'vitest';
import type pg from 'pg';
import type { Api, EventPayload } from '../../src/shared/contract';
import type { RowBatch, TenantRunStatus } from '../../src/shared/model/workbench';
import type { ConsoleCore, ConsoleOptions } from '../../src/main/core/console';
import { createConsole } from '../../src/main/core/console';
import { apiOf } from '../support/job-database';
import { createScratchDatabase } from './tenants-fixtures';

/** Murima2025 tenant ids (lower-case UUIDs) and their schemas, numbered from 1. */
export const tenantOf = (n: number): string => `0a1b2c3d-0000-4000-8000-${String(n).padStart(12, '0')}`;
export const schemaOf = (tenantId: string): string => `tenant_${tenantId.replaceAll('-', '_')}`;

/**
 * One PostgreSQL database with `count` tenant schemas: tenant n has n tickets (an empty status
 * for every fifth, NULL for every seventh), and the first tenant a `users` table with emails.
 */
export async function tenantDatabase(name: string, count: number): Promise<{ pool: pg.Pool; drop(): Promise<void>; tenants: string[] }> {
  const db = await createScratchDatabase(inject('postgres').url, name);
  const tenants = Array.from({ length: count }, (_, i) => tenantOf(i + 1));
  const statements = tenants.map((tenant, i) => {
    const schema = schemaOf(tenant);
    return `create schema "${schema}";
      create table "${schema}".tickets (id int primary key, tenant_id uuid not null, status text, note text);
      insert into "${schema}".tickets select g, '${tenant}', case when g % 5 = 0 then '' when g % 7 = 0 then null else 'open' end, 'n' || g
        from generate_series(1, ${i + 1}) g;`;
  });
  for (let i = 0; i < statements.length; i += 25) await db.pool.query(statements.slice(i, i + 25).join('\n'));
  const first = schemaOf(tenants[0] as string);
  await db.pool.query(`create table "${first}".users (id int primary key, name text, email text);
    insert into "${first}".users values (1, 'Ann', 'ann@example.com'), (2, 'Bob', 'bob@example.org');`);
  return { ...db, tenants };
}

export interface Harness {
  core: ConsoleCore;
  api: Api;
  dataDir: string;
  batches: RowBatch[];
  tenantStatuses: TenantRunStatus[];
  close(): Promise<void>;
}

/** A console on a data folder of its own, with a renderer connected in memory that records the workbench's events. */
export async function openConsole(options: Partial<ConsoleOptions> = {}, dataDir?: string): Promise<Harness> {
  const folder = dataDir ?? (await mkdtemp(join(tmpdir(), 'tenantscope-workbench-it-')));
  const core = await createConsole({ dataDir: folder, mode: 'web', version: 'test', ...options });
  const connection = apiOf(core);
  const batches: RowBatch[] = [];
  const tenantStatuses: TenantRunStatus[] = [];
  connection.api.on('workbench.batch', (batch: EventPayload<'workbench.batch'>) => batches.push(batch));
  connection.api.on('workbench.tenant', (status: EventPayload<'workbench.tenant'>) => tenantStatuses.push(status));
  return {
    core,
    api: connection.api,
    dataDir: folder,
    batches,
    tenantStatuses,
    close: async () => {
      connection.close();
      await core.close();
    },
  };
}

export const removeDataDir = (dataDir: string): Promise<void> => rm(dataDir, { recursive: true, force: true });

/** The rows of one run's batches, as row arrays in column order (columns only grow). */
export function rowsOf(batches: readonly RowBatch[], runId: string): unknown[][] {
  const rows: unknown[][] = [];
  for (const batch of batches.filter((b) => b.runId === runId).sort((a, b) => a.seq - b.seq)) {
    for (let r = 0; r < batch.rows; r += 1) rows.push(batch.values.map((column) => column[r]));
  }
  return rows;
}

/** The workspace endpoints of the run's PostgreSQL (one database) and Redis. */
export function endpointsOf(database: string, redisDb?: number) {
  const postgres = inject('postgres');
  const redis = inject('redis');
  return {
    postgres: { host: postgres.host, port: postgres.port, database, username: postgres.user, password: postgres.password },
    ...(redisDb !== undefined && { redis: { host: redis.host, port: redis.port, db: redisDb, ...(redis.password ? { password: redis.password } : {}) } }),
  };
}
