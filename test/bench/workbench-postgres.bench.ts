import pg from 'pg';
import Cursor from 'pg-cursor';
import { defaultTenantScope } from '@shared/model/tenant-scope';
import { PostgresEndpoint } from '@shared/model/workspace';
import { PostgresStore } from '../../src/main/stores/postgres/store';
import { startPostgres } from '../support/postgres-server';
import { measureInterleaved, writeReport, type BenchCase } from './harness';

/**
 * The workbench's PostgreSQL runner (statement check, scoped READ ONLY transaction, portal read
 * with text values, batches as the consumer pulls) against a raw pg-cursor read of the same rows
 * with the driver in the same run, at several batch sizes: the figure that picks the runner's
 * default batch size, and the runner's cost over the bare driver. BENCH_WB_ROWS shrinks it.
 */
const ROWS = Number(process.env.BENCH_WB_ROWS ?? 200_000);
const ITERATIONS = 5;
const BATCHES = [500, 2000, 5000, 10_000];
const SQL = 'select id, amount, created_at, note, tags, doc from orders order by id';

const TEXT = { getTypeParser: () => (value: string) => value };
/** Short runs one after another, as a fan-out makes them: the runner's fixed cost per run. */
const SHORT_RUNS = 200;
const SHORT_SQL = 'select id, amount, note from orders where id = 42';

/** The raw equivalent of one scoped run: READ ONLY transaction, the scope's two settings, the query. */
async function rawShortRun(pool: pg.Pool): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query('begin read only');
    await client.query("select set_config('app.current_tenant_id', 'bench', true)");
    await client.query('set local search_path to tenant_bench, public');
    await client.query({ text: SHORT_SQL, rowMode: 'array', types: TEXT });
    await client.query('rollback');
  } finally {
    client.release();
  }
}

async function rawRead(pool: pg.Pool, batchSize: number): Promise<number> {
  const client = await pool.connect();
  try {
    await client.query('begin read only');
    await client.query('set local search_path to tenant_bench, public');
    const cursor = client.query(new Cursor<unknown[]>(SQL, [], { rowMode: 'array', types: TEXT }));
    let rows = 0;
    for (;;) {
      const batch = await cursor.read(batchSize);
      rows += batch.length;
      if (batch.length < batchSize) break;
    }
    await cursor.close();
    await client.query('rollback');
    return rows;
  } finally {
    client.release();
  }
}

async function main(): Promise<void> {
  const server = await startPostgres();
  const pool = new pg.Pool({ connectionString: server.url, max: 2 });
  const store = new PostgresStore(
    PostgresEndpoint.parse({ host: server.host, port: server.port, database: server.database, username: server.user, poolSize: 2 }),
    { password: server.password },
  );
  try {
    await pool.query(`
      create schema tenant_bench;
      create table tenant_bench.orders (id int8 primary key, amount numeric(12,2), created_at timestamptz, note text, tags text[], doc jsonb);
      insert into tenant_bench.orders
        select g, g * 1.25, timestamptz '2026-01-01' + g * interval '1 minute', 'order number ' || g, array['a', 'b' || g], jsonb_build_object('n', g, 'ok', g % 2 = 0)
        from generate_series(1, ${ROWS}) g;
      analyze tenant_bench.orders;
    `);
    const scope = defaultTenantScope('bench');
    const cases: BenchCase[] = [];
    for (const batchSize of BATCHES) {
      cases.push({ name: `raw pg-cursor, batch ${batchSize}`, run: () => rawRead(pool, batchSize) });
      cases.push({
        name: `runUser, batch ${batchSize}`,
        run: async () => {
          let rows = 0;
          for await (const part of store.runUser(SQL, scope, { rowLimit: ROWS, write: false, batchSize })) if (part.kind === 'rows') rows += part.rows.length;
          if (rows !== ROWS) throw new Error(`runUser read ${rows} rows, expected ${ROWS}`);
          return rows;
        },
      });
    }
    const results = await measureInterleaved(cases, { iterations: ITERATIONS, warmup: 1, collectGarbage: true });
    for (const result of results) result.extra = { rowsPerSecond: Math.round(ROWS / (result.medianMs / 1000)) };
    const short = await measureInterleaved(
      [
        { name: `raw scoped query × ${SHORT_RUNS}`, run: async () => { for (let i = 0; i < SHORT_RUNS; i++) await rawShortRun(pool); } },
        {
          name: `runUser × ${SHORT_RUNS}`,
          run: async () => {
            for (let i = 0; i < SHORT_RUNS; i++) for await (const part of store.runUser(SHORT_SQL, scope, { rowLimit: 1000, write: false })) void part;
          },
        },
      ],
      { iterations: ITERATIONS, warmup: 1 },
    );
    results.push(...short);
    const summary: Record<string, number> = { rows: ROWS };
    for (const batchSize of BATCHES) {
      const raw = results.find((r) => r.name === `raw pg-cursor, batch ${batchSize}`);
      const ours = results.find((r) => r.name === `runUser, batch ${batchSize}`);
      if (raw && ours) summary[`runUser / raw at ${batchSize} (rate share)`] = Math.round((raw.medianMs / ours.medianMs) * 1000) / 1000;
    }
    const [rawShort, oursShort] = short;
    if (rawShort && oursShort) {
      summary['runUser / raw, short runs (time ratio)'] = Math.round((oursShort.medianMs / rawShort.medianMs) * 1000) / 1000;
      summary['runUser ms per short run'] = Math.round((oursShort.medianMs / SHORT_RUNS) * 1000) / 1000;
    }
    const path = await writeReport({
      bench: 'workbench-postgres',
      at: new Date().toISOString(),
      machine: { node: process.version, platform: process.platform, cpus: (await import('node:os')).availableParallelism() },
      cases: results,
      summary,
    });
    console.log(`wrote ${path}`);
    console.log(summary);
  } finally {
    await store.close();
    await pool.end();
    await server.stop();
  }
}

await main();
