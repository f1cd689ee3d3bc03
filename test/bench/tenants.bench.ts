import { randomUUID } from 'node:crypto';
import { availableParallelism } from 'node:os';
import { Redis } from 'ioredis';
import pg from 'pg';
import { murima2025, tenantIdPattern, tenantSchemaName } from '@shared/tenancy';
import { quoteIdent } from '@shared/sql/identifiers';
import { createTenantsService, type TenantsCallContext } from '../../src/main/features/tenants/service';
import { listPostgresTenants, tenantCatalogSql } from '../../src/main/features/tenants/postgres-tenants';
import { startPostgres } from '../support/postgres-server';
import { startRedis } from '../support/redis-server';
import { createRegistry, pgLayout, postgresReader, redisReader } from '../integration/tenants-fixtures';
import { summarize, writeReport } from './harness';

/**
 * The tenant list at 10,000 tenants: 10,000 `tenant_<id>` schemas of three small tables each plus
 * their registry rows in PostgreSQL, and ten Redis keys per tenant. Measures the time to the first
 * tenant rows (the PostgreSQL answer streamed as an event) and to the fully merged list, against
 * the single raw catalog query sent with the driver in the same run.
 */
const TENANTS = 10_000;
const KEYS_PER_TENANT = 10;
const BATCH = 250;
const ITERATIONS = 7;


const postgres = await startPostgres();
const redisServer = await startRedis();
const pool = new pg.Pool({ connectionString: postgres.url, max: 4 });
const redis = new Redis(redisServer.url);
try {
  const loadStarted = performance.now();
  await createRegistry(pool);
  const ids = Array.from({ length: TENANTS }, () => randomUUID());
  for (let i = 0; i < TENANTS; i += BATCH) {
    const batch = ids.slice(i, i + BATCH);
    const script = batch
      .map((id) => {
        const s = quoteIdent(tenantSchemaName(pgLayout, id));
        return (
          `CREATE SCHEMA ${s}; CREATE TABLE ${s}.users (id int PRIMARY KEY, name text); ` +
          `CREATE TABLE ${s}.cases (id int PRIMARY KEY, title text); CREATE TABLE ${s}.notes (id int, body text); ` +
          `INSERT INTO ${s}.users VALUES (1, 'a'), (2, 'b');`
        );
      })
      .join('\n');
    await pool.query(script);
    await pool.query(
      `INSERT INTO public.tenants (id, slug, name, schema_name)
       SELECT id, 't-' || left(id::text, 8) || '-' || ord, 'Tenant ' || ord, 'tenant_' || replace(id::text, '-', '_')
         FROM unnest($1::uuid[]) WITH ORDINALITY AS u(id, ord)`,
      [batch],
    );
    const pipeline = redis.pipeline();
    for (const id of batch) {
      for (let k = 0; k < KEYS_PER_TENANT; k++) pipeline.set(`${id}:session:s${k}`, 'x', 'EX', 86_400);
    }
    await pipeline.exec();
  }
  const loadMs = performance.now() - loadStarted;
  console.log(`loaded ${TENANTS} tenant schemas and ${TENANTS * KEYS_PER_TENANT} keys in ${(loadMs / 1000).toFixed(1)} s`);

  const raw = new pg.Client({ connectionString: postgres.url });
  await raw.connect();
  const columns = murima2025.blueprint.postgres!.shared.find((t) => t.name === pgLayout.registry.table)!.columns.map((c) => c.name);
  const sql = tenantCatalogSql(pgLayout, columns, false);
  const params = [pgLayout.schemaPrefix];
  let rawRows = 0;
  const rawQuery = async (): Promise<number> => {
    const t0 = performance.now();
    const result = await raw.query({ text: sql, values: params, rowMode: 'array' });
    rawRows = result.rowCount ?? 0;
    return performance.now() - t0;
  };

  const stores = { preset: murima2025, postgres: postgresReader(pool), redis: redisReader(redis) };
  const service = createTenantsService({ openStores: async () => stores, storeTimeoutMs: 60_000 });
  const idPattern = tenantIdPattern(murima2025);
  const postgresPart = async (): Promise<number> => {
    const t0 = performance.now();
    await listPostgresTenants(stores.postgres, pgLayout, { idPattern });
    return performance.now() - t0;
  };

  /** First rows: the PostgreSQL answer (registry names and statuses), streamed as an event. */
  async function timedList(refreshRedis: boolean): Promise<{ firstMs: number; mergedMs: number; tenants: number }> {
    let firstMs = Number.NaN;
    const t0 = performance.now();
    const context: TenantsCallContext = {
      signal: new AbortController().signal,
      emit: (name, payload) => {
        const event = payload as { store?: string; rows?: unknown[] };
        if (name === 'tenants.footprints' && event.store === 'postgres' && (event.rows?.length ?? 0) > 0) firstMs = performance.now() - t0;
      },
    };
    const list = await service.list({ workspaceId: 'bench', refreshRedis }, context);
    return { firstMs, mergedMs: performance.now() - t0, tenants: list.tenants.length };
  }

  // Every case runs once per round, in turn, so a busy moment of the machine hits all of them alike.
  const rawSamples: number[] = [];
  const pgSamples: number[] = [];
  const cold = { first: [] as number[], merged: [] as number[] };
  const warm = { first: [] as number[], merged: [] as number[] };
  let listed = 0;
  await rawQuery();
  await timedList(true);
  for (let i = 0; i < ITERATIONS; i++) {
    rawSamples.push(await rawQuery());
    pgSamples.push(await postgresPart());
    const c = await timedList(true);
    cold.first.push(c.firstMs);
    cold.merged.push(c.mergedMs);
    const w = await timedList(false);
    warm.first.push(w.firstMs);
    warm.merged.push(w.mergedMs);
    listed = w.tenants;
  }
  await raw.end();

  const cases = [
    summarize('raw catalog query (pg driver, same SQL)', rawSamples, { rows: rawRows }),
    summarize('PostgreSQL part alone (column lookup + catalog query + rows)', pgSamples),
    summarize('tenants.list: first tenant rows (PostgreSQL event)', warm.first),
    summarize('tenants.list: fully merged, Redis map cached', warm.merged, { tenants: listed }),
    summarize('tenants.list: first tenant rows (PostgreSQL event), Redis map rebuilt alongside', cold.first),
    summarize('tenants.list: fully merged, Redis map rebuilt (100k keys)', cold.merged, { tenants: listed }),
  ];
  const median = (name: string): number => cases.find((c) => c.name.startsWith(name))?.medianMs ?? Number.NaN;
  await writeReport({
    bench: 'tenants',
    at: new Date().toISOString(),
    machine: { node: process.version, platform: process.platform, cpus: availableParallelism() },
    cases,
    summary: {
      tenants: TENANTS,
      redisKeys: TENANTS * KEYS_PER_TENANT,
      loadSeconds: Math.round(loadMs / 100) / 10,
      'first rows vs raw query (median ratio)': Math.round((median('tenants.list: first tenant rows (PostgreSQL') / median('raw catalog')) * 100) / 100,
      'target first rows < 1000 ms': median('tenants.list: first tenant rows (PostgreSQL') < 1000 ? 'met' : 'missed',
      'target fully merged < 3000 ms (Redis map rebuilt)': median('tenants.list: fully merged, Redis map rebuilt') < 3000 ? 'met' : 'missed',
    },
  });
} finally {
  await pool.end();
  redis.disconnect();
  await Promise.all([postgres.stop(), redisServer.stop()]);
}
