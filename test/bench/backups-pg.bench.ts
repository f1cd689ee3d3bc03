import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { PostgresEndpoint } from '@shared/model/workspace';
import { murima2025 } from '@shared/tenancy';
import { seedDemoPlatform } from '../../src/main/demo/seed';
import { bundleKind } from '../../src/main/features/backups/bundle-job';
import { newBundleId } from '../../src/main/features/backups/bundle-files';
import { postgresBackupPart } from '../../src/main/features/backups/parts/postgres';
import { restoreKind, verifyKind } from '../../src/main/features/backups/restore-jobs';
import type { BackupStores } from '../../src/main/features/backups/stores';
import { PostgresStore } from '../../src/main/stores/postgres/store';
import { addTenantSchemas } from '../integration/backups-fixtures';
import { startPostgres } from '../support/postgres-server';
import { measureInterleaved, summarize, writeReport } from './harness';

/**
 * One tenant's bundle and restore against the bare pg_dump / pg_restore of the same schema, in the
 * same run and database: BACKUPS_BENCH_TENANTS (default 1,000) tenant schemas of the whole
 * Murima2025 blueprint, where pg_dump spends most of its time reading catalogs. Target ≤ 1.05×.
 * Also the verify pass (digests, scratch restore, counts, drop) against the raw restore it performs.
 *
 * The bare restore restores the schema under its own name (pg_restore cannot rename), so the live
 * schema is moved aside first and back afterwards, outside the timing; the console restores under
 * a new name through its SQL rename, and the new schema is dropped outside the timing.
 */
const TENANTS = Number(process.env.BACKUPS_BENCH_TENANTS ?? 1_000);
const ITERATIONS = Number(process.env.BACKUPS_BENCH_ITERATIONS ?? 7);
const DATABASE = 'backups_bench';
const run = promisify(execFile);

const server = await startPostgres();
const bin = server.binDir || '/usr/lib/postgresql/15/bin';
const admin = new pg.Client({ connectionString: server.url });
await admin.connect();
await admin.query(`DROP DATABASE IF EXISTS ${DATABASE} WITH (FORCE)`);
await admin.query(`CREATE DATABASE ${DATABASE}`);
const url = new URL(server.url);
url.pathname = `/${DATABASE}`;
const pool = new pg.Pool({ connectionString: url.toString(), max: 2 });
// DROP DATABASE … WITH (FORCE) at the end ends idle connections: that is expected, not a crash.
pool.on('error', () => undefined);
const store = new PostgresStore(PostgresEndpoint.parse({ host: server.host, port: server.port, database: DATABASE, username: server.user }), { password: server.password });
const folder = await mkdtemp(join(tmpdir(), 'tenantscope-backups-bench-'));
const env = { ...process.env, PGHOST: server.host, PGPORT: String(server.port), PGUSER: server.user, PGPASSWORD: server.password, PGDATABASE: DATABASE };

try {
  const loadStarted = performance.now();
  const { tenantIds } = await seedDemoPlatform({ postgres: store }, { preset: 'murima2025', tenants: 2, seed: DATABASE, months: 3 });
  await addTenantSchemas(pool, TENANTS - 2, { log: console.log });
  await pool.query('VACUUM ANALYZE');
  const loadMs = performance.now() - loadStarted;
  console.log(`loaded ${TENANTS} tenant schemas in ${(loadMs / 1000).toFixed(1)} s`);
  const tenant = [...tenantIds].sort()[0] as string;
  const schema = `tenant_${tenant.replaceAll('-', '_')}`;
  const aside = `${schema.slice(0, 50)}_aside`;

  const stores: BackupStores = {
    workspaceId: 'bench',
    workspace: { name: 'Bench', environment: 'dev' },
    preset: murima2025,
    parts: { postgres: (o) => postgresBackupPart({ postgres: store, preset: murima2025, format: o.pgFormat, jobs: o.jobs, applicationName: o.applicationName }) },
    postgres: store,
  };
  const context = { jobId: 'job_bench', signal: new AbortController().signal, stores, progress: () => undefined, log: () => undefined };
  const workspaceFolder = join(folder, 'bench');
  const operator = { id: 'bench', name: 'bench', role: 'platform_admin' };
  const bundle = bundleKind(async () => stores);
  const restore = restoreKind(async () => stores);
  const verify = verifyKind(async () => stores);

  const rawDumpFile = join(folder, 'raw.dump');
  let lastBundle = '';
  let bundleBytes = 0;
  const cases = await measureInterleaved(
    [
      {
        name: 'bare pg_dump -Fc -n <schema>',
        run: () => run(join(bin, 'pg_dump'), ['--format=custom', `--schema="${schema}"`, `--file=${rawDumpFile}`], { env }),
      },
      {
        name: 'backups.tenant-bundle (preflight, snapshot, counts, pg_dump, SHA-256, manifest)',
        run: async () => {
          if (lastBundle) await rm(join(workspaceFolder, lastBundle), { recursive: true, force: true });
          lastBundle = newBundleId(tenant);
          const result = await bundle.run({ bundleId: lastBundle, tenantId: tenant, folder: workspaceFolder, pgFormat: 'custom', jobs: 2, operator }, context);
          bundleBytes = Number(result?.bytes ?? 0);
        },
      },
    ],
    { iterations: ITERATIONS, warmup: 1 },
  );

  // Restores: each timed run starts from the same database (the previous copy dropped outside the timing).
  const rawRestore = async (): Promise<number> => {
    await pool.query(`ALTER SCHEMA ${pg.escapeIdentifier(schema)} RENAME TO ${pg.escapeIdentifier(aside)}`);
    try {
      const t0 = performance.now();
      await run(join(bin, 'pg_restore'), ['--no-owner', '--single-transaction', `--dbname=${DATABASE}`, rawDumpFile], { env });
      return performance.now() - t0;
    } finally {
      await pool.query(`DROP SCHEMA IF EXISTS ${pg.escapeIdentifier(schema)} CASCADE`);
      await pool.query(`ALTER SCHEMA ${pg.escapeIdentifier(aside)} RENAME TO ${pg.escapeIdentifier(schema)}`);
    }
  };
  // The same restore as a shell pipe, without the console: where the console's own cost starts.
  const rawPipe = async (): Promise<number> => {
    await pool.query(`ALTER SCHEMA ${pg.escapeIdentifier(schema)} RENAME TO ${pg.escapeIdentifier(aside)}`);
    try {
      const t0 = performance.now();
      await run('sh', ['-c', `"${bin}/pg_restore" --no-owner --file=- "${rawDumpFile}" | "${bin}/psql" --no-psqlrc --quiet --set=ON_ERROR_STOP=1 --single-transaction --file=- > /dev/null`], { env });
      return performance.now() - t0;
    } finally {
      await pool.query(`DROP SCHEMA IF EXISTS ${pg.escapeIdentifier(schema)} CASCADE`);
      await pool.query(`ALTER SCHEMA ${pg.escapeIdentifier(aside)} RENAME TO ${pg.escapeIdentifier(schema)}`);
    }
  };
  const consoleRestore = async (): Promise<number> => {
    const t0 = performance.now();
    await restore.run({ bundleId: lastBundle, folder: workspaceFolder, mode: 'rename', targetName: 'bench_restored', replaceExisting: false }, context);
    const ms = performance.now() - t0;
    await pool.query('DROP SCHEMA bench_restored CASCADE');
    return ms;
  };
  const verifyPass = async (): Promise<number> => {
    const t0 = performance.now();
    await verify.run({ bundleId: lastBundle, folder: workspaceFolder }, context);
    return performance.now() - t0;
  };
  await rawRestore();
  await consoleRestore();
  const samples = { raw: [] as number[], pipe: [] as number[], restore: [] as number[], verify: [] as number[] };
  for (let i = 0; i < ITERATIONS; i++) {
    samples.raw.push(await rawRestore());
    samples.pipe.push(await rawPipe());
    samples.restore.push(await consoleRestore());
    samples.verify.push(await verifyPass());
  }
  cases.push(
    summarize('bare pg_restore --single-transaction (schema moved aside)', samples.raw),
    summarize('bare pg_restore -f - | psql --single-transaction (schema moved aside)', samples.pipe),
    summarize('backups.restore under a new name (digests, pg_restore | rename | psql in one transaction, counts)', samples.restore),
    summarize('backups.verify (digests, scratch restore, counts, drop, sidecar)', samples.verify),
  );
  const median = (prefix: string): number => cases.find((c) => c.name.startsWith(prefix))?.medianMs ?? Number.NaN;
  const backupRatio = median('backups.tenant-bundle') / median('bare pg_dump');
  const restoreRatio = median('backups.restore') / median('bare pg_restore');
  const verifyRatio = median('backups.verify') / median('bare pg_restore');
  const rounded = (n: number): number => Math.round(n * 100) / 100;
  await writeReport({
    bench: 'backups-pg',
    at: new Date().toISOString(),
    machine: { node: process.version, platform: process.platform, cpus: availableParallelism() },
    cases,
    summary: {
      tenants: TENANTS,
      loadSeconds: Math.round(loadMs / 100) / 10,
      bundleBytes,
      'bundle vs bare pg_dump (median ratio)': rounded(backupRatio),
      'restore vs bare pg_restore (median ratio)': rounded(restoreRatio),
      'target backup and restore ≤ 1.05×': backupRatio <= 1.05 && restoreRatio <= 1.05 ? 'met' : 'missed',
      'verify vs the raw restore it performs (median ratio)': rounded(verifyRatio),
      'restore vs the bare pipe it runs (median ratio)': rounded(median('backups.restore') / median('bare pg_restore -f -')),
    },
  });
} finally {
  await store.close();
  await pool.end();
  await admin.query(`DROP DATABASE IF EXISTS ${DATABASE} WITH (FORCE)`);
  await admin.end();
  await server.stop();
  await rm(folder, { recursive: true, force: true });
}
