import { mkdtemp, rm } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { PostgresEndpoint } from '@shared/model/workspace';
import { murima2025, scopeFor, tenantSchemaName } from '@shared/tenancy';
import { quoteIdent } from '@shared/sql/identifiers';
import { JobManager } from '../../src/main/jobs';
import { fleetExplainKind, FLEET_KIND } from '../../src/main/features/explain/fleet-kind';
import { FleetPlans } from '../../src/main/features/explain/fleet-plans';
import { PostgresStore } from '../../src/main/stores/postgres/store';
import { startPostgres } from '../support/postgres-server';
import { pgLayout } from '../integration/tenants-fixtures';
import { measureInterleaved, writeReport } from './harness';

/**
 * Fleet explain over 1,000 tenant schemas (each with the demo's `cases` table, its
 * `(tenant_id, status, priority)` index and 500 rows), as a job through the jobs room, against a
 * raw loop that sends the same scoped EXPLAIN with the driver over the same schemas at the same
 * concurrency: per tenant BEGIN, the tenant setting, SET LOCAL search_path, EXPLAIN, ROLLBACK.
 * The fleet also checks each schema exists, keeps every plan on disk, normalises it and groups the
 * tenants by shape. Target: fleet ≤ 1.2 × raw.
 */
const TENANTS = 1_000;
const BATCH = 100;
const CONCURRENCY = 4;
const ITERATIONS = 5;
const QUERY = "select id, title from cases where tenant_id = current_setting('app.current_tenant_id')::uuid and status = 'escalated' and priority = 'urgent'";
const tenantIds = Array.from({ length: TENANTS }, (_, n) => `be4c0000-0000-4000-8000-${String(n).padStart(12, '0')}`);

const server = await startPostgres();
const dataDir = await mkdtemp(join(tmpdir(), 'tenantscope-fleet-bench-'));
const admin = new pg.Pool({ connectionString: server.url, max: CONCURRENCY });
const store = new PostgresStore(
  PostgresEndpoint.parse({ host: server.host, port: server.port, database: 'postgres', username: server.user, poolSize: CONCURRENCY }),
  { password: server.password },
);
const jobs = await JobManager.open({ directory: join(dataDir, 'jobs'), record: async () => undefined });
try {
  const loadStarted = performance.now();
  for (let i = 0; i < TENANTS; i += BATCH) {
    const script = tenantIds
      .slice(i, i + BATCH)
      .map((id) => {
        const s = quoteIdent(tenantSchemaName(pgLayout, id));
        return `CREATE SCHEMA ${s};
          CREATE TABLE ${s}.cases (id serial PRIMARY KEY, tenant_id uuid NOT NULL, title text NOT NULL, status varchar(50) NOT NULL, priority varchar(20) NOT NULL);
          INSERT INTO ${s}.cases (tenant_id, title, status, priority)
            SELECT '${id}', 'Case ' || n, CASE WHEN n % 100 = 0 THEN 'escalated' ELSE 'open' END, CASE WHEN n % 200 = 0 THEN 'urgent' ELSE 'medium' END
              FROM generate_series(1, 500) n;
          CREATE INDEX idx_cases_status_priority ON ${s}.cases (tenant_id, status, priority);`;
      })
      .join('\n');
    await admin.query(script);
  }
  await admin.query('ANALYZE');
  console.log(`loaded ${TENANTS} tenant schemas in ${((performance.now() - loadStarted) / 1000).toFixed(1)} s`);

  const fleets = new FleetPlans(join(dataDir, 'plans'));
  jobs.register(fleetExplainKind({ fleets, openStores: async () => ({ workspaceId: 'bench', preset: murima2025, postgres: store }) }));
  const session = { operator: { name: 'bench' }, role: 'platform_admin' as const };

  const fleet = (analyze: boolean) => async (): Promise<void> => {
    const job = await jobs.start({ workspaceId: 'bench', kind: FLEET_KIND, params: { statement: QUERY, tenantIds, analyze, concurrency: CONCURRENCY }, session });
    await jobs.settled(job.id);
    const done = jobs.get('bench', job.id);
    if (done.state !== 'succeeded' || done.result?.explained !== TENANTS) throw new Error(`the fleet explain ended ${done.state}: ${JSON.stringify(done.failure ?? done.result)}`);
  };

  const raw = (analyze: boolean) => async (): Promise<void> => {
    const prefix = analyze ? 'EXPLAIN (ANALYZE, BUFFERS, SETTINGS, FORMAT JSON) ' : 'EXPLAIN (SETTINGS, FORMAT JSON) ';
    let next = 0;
    const worker = async (): Promise<void> => {
      const client = await admin.connect();
      try {
        while (next < tenantIds.length) {
          const id = tenantIds[next++] as string;
          await client.query('BEGIN');
          await client.query("select set_config('app.current_tenant_id', $1, true)", [id]);
          await client.query(`SET LOCAL search_path TO ${quoteIdent(tenantSchemaName(pgLayout, id))}, public`);
          const result = await client.query({ text: prefix + QUERY, rowMode: 'array' });
          if (!result.rows[0]) throw new Error('no plan');
          await client.query('ROLLBACK');
        }
      } finally {
        client.release();
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  };

  // The store's own explain, tenant by tenant, with nothing kept: what the fleet costs beyond the store.
  const storeLoop = (analyze: boolean) => async (): Promise<void> => {
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < tenantIds.length) {
        const id = tenantIds[next++] as string;
        await store.explain(QUERY, [], scopeFor(murima2025, id), { analyze, timeoutMs: 60_000 });
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  };

  const cases = await measureInterleaved(
    [
      { name: `fleet explain, ${TENANTS} tenants, EXPLAIN`, run: fleet(false) },
      { name: `raw driver loop, ${TENANTS} tenants, EXPLAIN`, run: raw(false) },
      { name: `PostgresStore.explain loop, ${TENANTS} tenants, EXPLAIN`, run: storeLoop(false) },
      { name: `fleet explain, ${TENANTS} tenants, EXPLAIN ANALYZE`, run: fleet(true) },
      { name: `raw driver loop, ${TENANTS} tenants, EXPLAIN ANALYZE`, run: raw(true) },
      { name: `PostgresStore.explain loop, ${TENANTS} tenants, EXPLAIN ANALYZE`, run: storeLoop(true) },
    ],
    { iterations: ITERATIONS, warmup: 1 },
  );
  const ratio = (a: number, b: number): number => Math.round(((cases[a]?.medianMs ?? NaN) / (cases[b]?.medianMs ?? NaN)) * 1000) / 1000;
  const summary = {
    tenants: TENANTS,
    concurrency: CONCURRENCY,
    'fleet/raw EXPLAIN': ratio(0, 1),
    'store loop/raw EXPLAIN': ratio(2, 1),
    'fleet/raw EXPLAIN ANALYZE': ratio(3, 4),
    'store loop/raw EXPLAIN ANALYZE': ratio(5, 4),
    target: '≤ 1.2',
  };
  const path = await writeReport({
    bench: 'fleet-explain',
    at: new Date().toISOString(),
    machine: { node: process.version, platform: process.platform, cpus: availableParallelism() },
    cases,
    summary,
  });
  console.log(JSON.stringify(summary), `→ ${path}`);
} finally {
  await jobs.close();
  await store.close();
  await admin.end();
  await server.stop();
  await rm(dataDir, { recursive: true, force: true });
}
