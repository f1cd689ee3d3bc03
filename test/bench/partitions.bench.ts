import { randomUUID } from 'node:crypto';
import { availableParallelism } from 'node:os';
import pg from 'pg';
import { PostgresEndpoint } from '@shared/model/workspace';
import { murima2025, tenantSchemaName } from '@shared/tenancy';
import { renderSharedSchema } from '@shared/tenancy/postgres-sql';
import { createPartitionsService } from '../../src/main/features/partitions/service';
import { PARENTS_SQL, partitionsSql } from '../../src/main/features/partitions/catalog';
import { premakeKind, type PartitionJobStores } from '../../src/main/features/partitions/jobs';
import { addMonths, boundLiteral, monthOfDate } from '../../src/main/features/partitions/months';
import { PostgresStore } from '../../src/main/stores/postgres/store';
import type { CallContext } from '../../src/main/services/section';
import { startPostgres } from '../support/postgres-server';
import { summarize, writeReport } from './harness';

/**
 * Partitions over PARTITIONS_BENCH_TENANTS (default 10,000) tenant schemas, each with the
 * blueprint's `interactions` cut to three columns, partitioned by month: a default partition and 8
 * monthly ones (80,000 partitions). Baselines in the same run and database: the inventory's catalog
 * statements sent raw over every schema at once, and a raw loop of the premake's DDL (a transaction
 * per tenant with `SET LOCAL lock_timeout`, one CREATE TABLE … PARTITION OF) on other tenants.
 */
const TENANTS = Number(process.env.PARTITIONS_BENCH_TENANTS ?? 10_000);
const PREMAKE_TENANTS = Math.min(1_000, Math.floor(TENANTS / 2));
const BATCH = 50;
const ITERATIONS = 3;
const MONTHS = 8;

const layout = murima2025.layout.postgres!;
const preset = murima2025;
const now = monthOfDate(new Date());
const first = addMonths(now, -(MONTHS - 2));
const last = addMonths(now, 1);
/** The month both premake cases create: the one after the last partition. */
const target = addMonths(now, 2);

const server = await startPostgres();
const DATABASE = 'partitions_bench';
const admin = new pg.Client({ connectionString: server.url });
await admin.connect();
await admin.query(`DROP DATABASE IF EXISTS ${DATABASE} WITH (FORCE)`);
await admin.query(`CREATE DATABASE ${DATABASE}`);
const url = new URL(server.url);
url.pathname = `/${DATABASE}`;
const pool = new pg.Pool({ connectionString: url.toString(), max: 2 });
// Connections the final DROP DATABASE … WITH (FORCE) ends are expected to go.
pool.on('error', () => undefined);
const store = new PostgresStore(PostgresEndpoint.parse({ host: server.host, port: server.port, database: DATABASE, username: server.user, poolSize: 4 }), { password: server.password });
const q = (name: string): string => pg.escapeIdentifier(name);

try {
  const loadStarted = performance.now();
  for (const statement of renderSharedSchema(murima2025.blueprint.postgres!)) await pool.query(statement.text, statement.values);
  const ids = Array.from({ length: TENANTS }, () => randomUUID()).sort();
  for (let i = 0; i < TENANTS; i += BATCH) {
    const batch = ids.slice(i, i + BATCH);
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      for (const id of batch) {
        const schema = tenantSchemaName(layout, id);
        await client.query(
          `CREATE SCHEMA ${q(schema)};
           CREATE TABLE ${q(schema)}.interactions (id uuid NOT NULL, tenant_id uuid NOT NULL, "timestamp" timestamptz NOT NULL) PARTITION BY RANGE ("timestamp");
           CREATE TABLE ${q(schema)}.interactions_default PARTITION OF ${q(schema)}.interactions DEFAULT`,
        );
        await client.query('SELECT public.create_monthly_partitions($1, $2, $3::date, $4::date)', [schema, 'interactions', `${first}-01`, `${last}-01`]);
      }
      await client.query('COMMIT');
    } finally {
      // A session that created thousands of relations keeps their catalog caches: retire it.
      client.release(true);
    }
    if ((i / BATCH) % 40 === 0) console.log(`  ${i + batch.length} of ${TENANTS} tenant schemas`);
  }
  await pool.query('VACUUM ANALYZE');
  const loadMs = performance.now() - loadStarted;
  console.log(`loaded ${TENANTS} tenant schemas (${TENANTS * MONTHS} monthly partitions) in ${(loadMs / 1000).toFixed(1)} s`);

  const service = createPartitionsService({
    openStores: async () => ({ preset, postgres: store }),
    startJob: async () => {
      throw new Error('no jobs through the service in this benchmark');
    },
  });
  const context: CallContext = { signal: new AbortController().signal, session: { connectionId: 'bench', operator: { name: 'bench' }, role: 'platform_admin' }, emit: () => undefined };

  const raw = new pg.Client({ connectionString: url.toString() });
  await raw.connect();
  const sql = partitionsSql(true);
  let rawRows = 0;
  // The same catalog reads sent raw and unchunked: every parent, then every parent's partitions at once.
  const rawInventory = async (): Promise<number> => {
    const t0 = performance.now();
    const parents = await raw.query({ text: PARENTS_SQL, values: [layout.schemaPrefix, null], rowMode: 'array' });
    const rows = parents.rows as unknown[][];
    const result = await raw.query({ text: sql, values: [rows.map((p) => p[2]), rows.map((p) => p[3]), rows.map((p) => p[1])], rowMode: 'array' });
    rawRows = result.rowCount ?? 0;
    return performance.now() - t0;
  };
  let fleetRows = 0;
  let partitionCount = 0;
  const fleet = async (): Promise<number> => {
    const t0 = performance.now();
    const view = await service.fleet({ workspaceId: 'bench', keepAhead: 4, chunkSize: 1_000 }, context);
    fleetRows = view.rows.length;
    partitionCount = view.rows.reduce((s, r) => s + r.partitions, 0);
    return performance.now() - t0;
  };

  // Premake: the job's runner on tenants [0, N), the raw loop on [N, 2N); the month made is dropped after each sample.
  const jobTenants = ids.slice(0, PREMAKE_TENANTS);
  const rawTenants = ids.slice(PREMAKE_TENANTS, 2 * PREMAKE_TENANTS);
  const stores: PartitionJobStores = { workspaceId: 'bench', preset, postgres: store };
  const kind = premakeKind(async () => stores);
  let created = 0;
  const premakeJob = async (): Promise<number> => {
    const t0 = performance.now();
    const result = await kind.run(
      { tenantIds: jobTenants, keepAhead: 2, lockTimeoutMs: 2_000, pauseMs: 0 },
      { jobId: 'job_benchbenchbenchbench', signal: new AbortController().signal, stores, progress: () => undefined, log: () => undefined },
    );
    created = Number((result as { created?: number } | undefined)?.created ?? 0);
    return performance.now() - t0;
  };
  const createSql = (schema: string): string =>
    `CREATE TABLE ${q(schema)}.${q(`interactions_y${target.slice(0, 4)}m${target.slice(5)}`)} PARTITION OF ${q(schema)}.interactions ` +
    `FOR VALUES FROM ('${boundLiteral(target)}') TO ('${boundLiteral(addMonths(target, 1))}')`;
  const premakeRaw = async (): Promise<number> => {
    const t0 = performance.now();
    for (const id of rawTenants) {
      await raw.query('BEGIN');
      await raw.query("SELECT pg_catalog.set_config('lock_timeout', '2000ms', true)");
      await raw.query(createSql(tenantSchemaName(layout, id)));
      await raw.query('COMMIT');
    }
    return performance.now() - t0;
  };
  const dropTarget = async (tenants: string[]): Promise<void> => {
    const name = `interactions_y${target.slice(0, 4)}m${target.slice(5)}`;
    for (let i = 0; i < tenants.length; i += 200) {
      await pool.query(tenants.slice(i, i + 200).map((id) => `DROP TABLE IF EXISTS ${q(tenantSchemaName(layout, id))}.${q(name)}`).join(';\n'));
    }
  };

  await rawInventory();
  await fleet();
  const samples = { raw: [] as number[], fleet: [] as number[], premakeRaw: [] as number[], premakeJob: [] as number[] };
  for (let i = 0; i < ITERATIONS; i++) {
    samples.raw.push(await rawInventory());
    samples.fleet.push(await fleet());
    samples.premakeRaw.push(await premakeRaw());
    samples.premakeJob.push(await premakeJob());
    await dropTarget([...jobTenants, ...rawTenants]);
  }
  await raw.end();

  const cases = [
    summarize('raw catalog statements over every schema at once (pg driver)', samples.raw, { rows: rawRows }),
    summarize('partitions.fleet, chunks of 1,000 schemas', samples.fleet, { tenants: fleetRows, partitions: partitionCount }),
    summarize(`raw loop: one month's CREATE TABLE … PARTITION OF in ${PREMAKE_TENANTS} tenants`, samples.premakeRaw),
    summarize(`partitions.premake job runner: one month in ${PREMAKE_TENANTS} tenants`, samples.premakeJob, { created }),
  ];
  const median = (prefix: string): number => cases.find((c) => c.name.startsWith(prefix))?.medianMs ?? Number.NaN;
  const inventoryRatio = median('partitions.fleet') / median('raw catalog');
  const premakeRatio = median('partitions.premake') / median('raw loop');
  await writeReport({
    bench: 'partitions',
    at: new Date().toISOString(),
    machine: { node: process.version, platform: process.platform, cpus: availableParallelism() },
    cases,
    summary: {
      tenants: TENANTS,
      partitions: TENANTS * MONTHS,
      loadSeconds: Math.round(loadMs / 100) / 10,
      'inventory vs raw catalog statements (median ratio)': Math.round(inventoryRatio * 100) / 100,
      'target inventory ≤ 2× raw': inventoryRatio <= 2 ? 'met' : 'missed',
      'premake vs raw DDL loop (median ratio)': Math.round(premakeRatio * 100) / 100,
      'target premake ≤ 1.1× raw': premakeRatio <= 1.1 ? 'met' : 'missed',
      'locks across tenants': 'none: one transaction per tenant, committed before the next',
    },
  });
} finally {
  await store.close();
  await pool.end();
  await admin.query(`DROP DATABASE IF EXISTS ${DATABASE} WITH (FORCE)`);
  await admin.end();
  await server.stop();
}
