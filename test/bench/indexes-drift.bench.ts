import { randomUUID } from 'node:crypto';
import { availableParallelism } from 'node:os';
import pg from 'pg';
import { PostgresEndpoint } from '@shared/model/workspace';
import { murima2025, tenantSchemaName, type PostgresBlueprint, type TenancyPreset } from '@shared/tenancy';
import { renderSharedSchema, renderTenantSchema } from '@shared/tenancy/postgres-sql';
import { createIndexesService, type IndexesStores } from '../../src/main/features/indexes/service';
import { ReferenceCache } from '../../src/main/features/indexes/reference-cache';
import { liveObjectsSql } from '../../src/main/features/indexes/drift-sql';
import { fleetChunkSql } from '../../src/main/features/indexes/catalog';
import { PostgresStore } from '../../src/main/stores/postgres/store';
import type { CallContext } from '../../src/main/services/section';
import { startPostgres } from '../support/postgres-server';
import { summarize, writeReport } from './harness';

/**
 * Drift and the fleet index view over INDEXES_BENCH_TENANTS (default 10,000) tenant schemas.
 * Each schema is the Murima2025 blueprint cut to `cases` and the tables it references, with their
 * indexes, constraints, RLS policies, triggers and tenant guards (the full blueprint at 10,000
 * tenants takes longer to load than the pass takes to measure). 37 tenants miss an index.
 * Baselines, in the same run and database: the raw catalog read drift needs (every object's
 * normalised definition, sent with the driver) and the fleet aggregate as one raw statement.
 */
const TENANTS = Number(process.env.INDEXES_BENCH_TENANTS ?? 10_000);
const BATCH = 100;
const ITERATIONS = 3;
const GAPS = 37;

/** The blueprint restricted to `cases` and every tenant table it references, transitively. */
function cutBlueprint(full: PostgresBlueprint, root: string): PostgresBlueprint {
  const keep = new Set<string>([root]);
  for (let grew = true; grew; ) {
    grew = false;
    for (const table of full.tables.filter((t) => keep.has(t.name))) {
      for (const c of table.constraints) {
        if (c.kind === 'foreign_key' && c.references.schema === 'tenant' && !keep.has(c.references.table)) {
          keep.add(c.references.table);
          grew = true;
        }
      }
    }
  }
  const triggers = full.triggers.filter((t) => keep.has(t.table));
  const functions = full.functions.filter((f) => triggers.some((t) => t.function === f.name));
  return {
    shared: full.shared,
    tables: full.tables.filter((t) => keep.has(t.name) && !t.partitioning),
    indexes: full.indexes.filter((i) => keep.has(i.table)),
    policies: full.policies.filter((p) => keep.has(p.table)),
    functions,
    triggers,
  };
}

const blueprint = cutBlueprint(murima2025.blueprint.postgres!, 'cases');
const layout = murima2025.layout.postgres!;
const preset: TenancyPreset = { ...murima2025, blueprint: { ...murima2025.blueprint, postgres: blueprint } };

const server = await startPostgres();
const DATABASE = 'indexes_bench';
const admin = new pg.Client({ connectionString: server.url });
await admin.connect();
await admin.query(`DROP DATABASE IF EXISTS ${DATABASE} WITH (FORCE)`);
await admin.query(`CREATE DATABASE ${DATABASE}`);
const url = new URL(server.url);
url.pathname = `/${DATABASE}`;
const pool = new pg.Pool({ connectionString: url.toString(), max: 2 });
const store = new PostgresStore(PostgresEndpoint.parse({ host: server.host, port: server.port, database: DATABASE, username: server.user, poolSize: 4 }), { password: server.password });

try {
  const loadStarted = performance.now();
  for (const statement of renderSharedSchema(blueprint)) await pool.query(statement.text, statement.values);
  const ids = Array.from({ length: TENANTS }, () => randomUUID()).sort();
  const month = '2026-01';
  for (let i = 0; i < TENANTS; i += BATCH) {
    const batch = ids.slice(i, i + BATCH);
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      for (const id of batch) {
        const sql = renderTenantSchema(blueprint, layout, id, { firstMonth: month, lastMonth: month });
        await client.query([...sql.skeleton, ...sql.ddl].join(';\n'));
        for (const guard of sql.guards) await client.query(guard.text, guard.values);
      }
      await client.query(
        `INSERT INTO public.tenants (id, slug, name, schema_name)
         SELECT id, 't-' || left(id::text, 8) || '-' || ord, 'Tenant ' || ord, 'tenant_' || replace(id::text, '-', '_')
           FROM unnest($1::uuid[]) WITH ORDINALITY AS u(id, ord)`,
        [batch],
      );
      await client.query('COMMIT');
    } finally {
      // A session that created thousands of relations keeps their catalog caches: retire it.
      client.release(true);
    }
    if ((i / BATCH) % 10 === 0) console.log(`  ${i + batch.length} of ${TENANTS} tenant schemas`);
  }
  const gapTenants = ids.filter((_, i) => i % Math.floor(TENANTS / GAPS) === 0).slice(0, GAPS);
  await pool.query(gapTenants.map((id) => `DROP INDEX ${pg.escapeIdentifier(tenantSchemaName(layout, id))}.idx_cases_status_priority`).join(';\n'));
  await pool.query('VACUUM ANALYZE');
  const loadMs = performance.now() - loadStarted;
  console.log(`loaded ${TENANTS} tenant schemas in ${(loadMs / 1000).toFixed(1)} s`);

  const stores: IndexesStores = { preset, postgres: store };
  const service = createIndexesService({
    openStores: async () => stores,
    startJob: async () => {
      throw new Error('no jobs in this benchmark');
    },
    references: new ReferenceCache(),
  });
  const context = (onFleet?: () => void): CallContext => ({
    signal: new AbortController().signal,
    session: { connectionId: 'bench', operator: { name: 'bench' }, role: 'platform_admin' },
    emit: (name) => {
      if (name === 'indexes.fleetRows') onFleet?.();
    },
  });

  const raw = new pg.Client({ connectionString: url.toString() });
  await raw.connect();
  const liveSql = liveObjectsSql(layout, true);
  const fleetSql = fleetChunkSql(layout, true);
  let rawObjects = 0;
  const rawLive = async (): Promise<number> => {
    const t0 = performance.now();
    const result = await raw.query({ text: liveSql, values: [layout.schemaPrefix, null, null, null], rowMode: 'array' });
    rawObjects = result.rowCount ?? 0;
    return performance.now() - t0;
  };
  const rawFleet = async (): Promise<number> => {
    const t0 = performance.now();
    await raw.query({ text: fleetSql, values: [layout.schemaPrefix, null, null, null, null], rowMode: 'array' });
    return performance.now() - t0;
  };
  let groups = 0;
  let gapCount = 0;
  const drift = async (): Promise<number> => {
    const t0 = performance.now();
    const report = await service.drift({ workspaceId: 'bench', allTenants: true }, context());
    groups = report.groups.length;
    gapCount = report.groups[0]?.tenantCount ?? 0;
    return performance.now() - t0;
  };
  let fleetRows = 0;
  const fleet = async (): Promise<{ firstMs: number; fullMs: number }> => {
    let firstMs = Number.NaN;
    const t0 = performance.now();
    const view = await service.fleet({ workspaceId: 'bench', chunkSize: 1_000 }, context(() => {
      if (Number.isNaN(firstMs)) firstMs = performance.now() - t0;
    }));
    fleetRows = view.rows.length;
    return { firstMs, fullMs: performance.now() - t0 };
  };

  // The first drift builds the blueprint's reference (a rolled-back transaction of DDL); later ones reuse it.
  const coldDriftMs = await drift();
  await rawLive();
  await rawFleet();
  const samples = { raw: [] as number[], drift: [] as number[], rawFleet: [] as number[], first: [] as number[], full: [] as number[] };
  for (let i = 0; i < ITERATIONS; i++) {
    samples.raw.push(await rawLive());
    samples.drift.push(await drift());
    samples.rawFleet.push(await rawFleet());
    const f = await fleet();
    samples.first.push(f.firstMs);
    samples.full.push(f.fullMs);
  }
  await raw.end();

  const cases = [
    summarize('raw catalog read drift needs (pg driver, every object’s normalised definition)', samples.raw, { rows: rawObjects }),
    summarize('indexes.drift, all tenants (reference cached)', samples.drift, { groups, tenantsInLargestGroup: gapCount }),
    summarize('raw fleet aggregate, one statement over every schema', samples.rawFleet),
    summarize('indexes.fleet: first rows (first chunk of 1,000 schemas)', samples.first),
    summarize('indexes.fleet: full view', samples.full, { logicalIndexes: fleetRows }),
  ];
  const median = (prefix: string): number => cases.find((c) => c.name.startsWith(prefix))?.medianMs ?? Number.NaN;
  const ratio = median('indexes.drift') / median('raw catalog read');
  await writeReport({
    bench: 'indexes-drift',
    at: new Date().toISOString(),
    machine: { node: process.version, platform: process.platform, cpus: availableParallelism() },
    cases,
    summary: {
      tenants: TENANTS,
      blueprintTables: blueprint.tables.length,
      blueprintIndexes: blueprint.indexes.length,
      loadSeconds: Math.round(loadMs / 100) / 10,
      'first drift, building the reference (ms)': Math.round(coldDriftMs),
      'drift vs raw catalog read (median ratio)': Math.round(ratio * 100) / 100,
      'target drift ≤ 2× raw': ratio <= 2 ? 'met' : 'missed',
      'fleet full view vs raw aggregate (median ratio)': Math.round((median('indexes.fleet: full') / median('raw fleet')) * 100) / 100,
    },
  });
} finally {
  await store.close();
  await pool.end();
  await admin.query(`DROP DATABASE IF EXISTS ${DATABASE} WITH (FORCE)`);
  await admin.end();
  await server.stop();
}
