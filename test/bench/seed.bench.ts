import { availableParallelism } from 'node:os';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { PostgresEndpoint } from '@shared/model/workspace';
import { murima2025 } from '@shared/tenancy';
import { PostgresStore } from '../../src/main/stores/postgres/store';
import { copyLine } from '../../src/main/stores/postgres/copy-format';
import { demoWindow, SEED_CONNECTION_MAX_USES, seedDemoPlatform } from '../../src/main/demo/seed';
import { generateMurimaTenant } from '../../src/main/demo/murima-tenant';
import { startPostgres } from '../support/postgres-server';
import { summarize, writeReport } from './harness';

/**
 * Demo seeding throughput. Each iteration seeds SMALL tenants into a fresh database through the
 * stores (DDL, partitions, staging COPY, triggers) and then, in the same run and database, empties
 * those tenant tables and loads exactly the same rows with a plain COPY per table through the
 * driver: the gap between the two is what the seeder adds over raw loading. A larger run gives
 * the wall time at LARGE tenants (SEED_BENCH_TENANTS=10000 for the full-size platform, ~15 min).
 */
const SMALL = 50;
const LARGE = Number(process.env.SEED_BENCH_TENANTS ?? 1000);
const ITERATIONS = 3;
const SEED = 'bench';
const UNTIL = '2025-06';
const window = demoWindow(UNTIL);
const blueprint = murima2025.blueprint.postgres!;
const layout = murima2025.layout.postgres!;
const jsonbColumns = new Map(blueprint.tables.map((t) => [t.name, new Set(t.columns.filter((c) => c.type === 'jsonb').map((c) => c.name))]));

const server = await startPostgres();
const admin = new pg.Client({ connectionString: server.url });
await admin.connect();

async function freshDatabase(name: string): Promise<{ url: string; store: PostgresStore }> {
  await admin.query(`DROP DATABASE IF EXISTS ${pg.escapeIdentifier(name)} WITH (FORCE)`);
  await admin.query(`CREATE DATABASE ${pg.escapeIdentifier(name)}`);
  const url = new URL(server.url);
  url.pathname = `/${name}`;
  const endpoint = PostgresEndpoint.parse({ host: server.host, port: server.port, database: name, username: server.user, poolSize: 5 });
  return { url: url.toString(), store: new PostgresStore(endpoint, { password: server.password }, { connectionMaxUses: SEED_CONNECTION_MAX_USES }) };
}

/** The generated rows of SMALL tenants, encoded for COPY (jsonb arrays as JSON text). */
function copyBatches(count: number): Array<{ schema: string; table: string; columns: string[]; lines: string[] }> {
  const out: Array<{ schema: string; table: string; columns: string[]; lines: string[] }> = [];
  for (let i = 0; i < count; i++) {
    const tenant = generateMurimaTenant(SEED, i, window, layout);
    for (const rows of tenant.tables) {
      const json = jsonbColumns.get(rows.table)!;
      const lines = rows.rows.map((row, index) =>
        copyLine(row.map((v, c) => (json.has(rows.columns[c]!) && v !== null && typeof v === 'object' ? JSON.stringify(v) : v)), rows.columns.length, index),
      );
      if (lines.length > 0) out.push({ schema: tenant.schema, table: rows.table, columns: rows.columns, lines });
    }
  }
  return out;
}


try {
  const seedMs: number[] = [];
  const rawMs: number[] = [];
  let rows = 0;
  const batches = copyBatches(SMALL);
  const rawRows = batches.reduce((n, b) => n + b.lines.length, 0);
  for (let i = 0; i < ITERATIONS; i++) {
    const db = await freshDatabase(`seed_bench_${i}`);
    const started = performance.now();
    const summary = await seedDemoPlatform({ postgres: db.store }, { preset: 'murima2025', tenants: SMALL, seed: SEED, until: UNTIL });
    seedMs.push(performance.now() - started);
    rows = summary.postgres!.rows;
    await db.store.close();

    const client = new pg.Client({ connectionString: db.url });
    await client.connect();
    const schemas = [...new Set(batches.map((b) => b.schema))];
    await client.query(`TRUNCATE ${schemas.flatMap((s) => blueprint.tables.map((t) => `${pg.escapeIdentifier(s)}.${pg.escapeIdentifier(t.name)}`)).join(', ')}`);
    const rawStarted = performance.now();
    for (const batch of batches) {
      const sql = `COPY ${pg.escapeIdentifier(batch.schema)}.${pg.escapeIdentifier(batch.table)} (${batch.columns.map((c) => pg.escapeIdentifier(c)).join(', ')}) FROM STDIN`;
      await pipeline(Readable.from(batch.lines), client.query(copyFrom(sql)));
    }
    rawMs.push(performance.now() - rawStarted);
    await client.end();
    await admin.query(`DROP DATABASE ${pg.escapeIdentifier(`seed_bench_${i}`)} WITH (FORCE)`);
    console.log(`iteration ${i + 1}: seed ${seedMs.at(-1)!.toFixed(0)} ms, raw COPY ${rawMs.at(-1)!.toFixed(0)} ms`);
  }
  if (rows !== rawRows) throw new Error(`The seeder loaded ${rows} rows, the raw COPY ${rawRows}: not the same rows.`);
  const perSecond = (ms: number[]): number => Math.round(rows / (median(ms) / 1000));

  const large = await freshDatabase('seed_bench_large');
  const largeStarted = performance.now();
  const largeSummary = await seedDemoPlatform({ postgres: large.store }, { preset: 'murima2025', tenants: LARGE, seed: SEED, until: UNTIL });
  const largeMs = performance.now() - largeStarted;
  await large.store.close();
  await admin.query('DROP DATABASE seed_bench_large WITH (FORCE)');

  const cases = [
    summarize(`seed ${SMALL} tenants (DDL, partitions, staging COPY, triggers)`, seedMs, { rows, rowsPerSecond: perSecond(seedMs) }),
    summarize(`raw COPY of the same ${rawRows} rows into the same tables`, rawMs, { rows: rawRows, rowsPerSecond: perSecond(rawMs) }),
    summarize(`seed ${LARGE} tenants, wall time`, [largeMs], { rows: largeSummary.postgres!.rows, rowsPerSecond: Math.round(largeSummary.postgres!.rows / (largeMs / 1000)) }),
  ];
  const path = await writeReport({
    bench: 'seed',
    at: new Date().toISOString(),
    machine: { node: process.version, platform: process.platform, cpus: availableParallelism() },
    cases,
    summary: {
      seedRowsPerSecond: perSecond(seedMs),
      rawCopyRowsPerSecond: perSecond(rawMs),
      seedVsRawCopy: `${(median(seedMs) / median(rawMs)).toFixed(1)}× the raw COPY time (the seeder also builds every schema)`,
      msPerTenantLarge: Math.round(largeMs / LARGE),
    },
  });
  console.log(`wrote ${path}`);
} finally {
  await admin.end();
  await server.stop();
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length % 2 ? sorted[(sorted.length - 1) / 2]! : (sorted[sorted.length / 2 - 1]! + sorted[sorted.length / 2]!) / 2;
}
