import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventPayload } from '../../src/shared/contract';
import { PostgresEndpoint } from '../../src/shared/model/workspace';
import { createConsole, type ConsoleCore } from '../../src/main/core/console';
import { seedDemoPlatform } from '../../src/main/demo/seed';
import { PostgresStore } from '../../src/main/stores/postgres/store';
import { apiOf, until } from '../support/job-database';
import { startPostgres, type ThrowawayPostgres } from '../support/postgres-server';

const DATABASE = 'backups_crash';

async function countsOf(client: pg.Pool, schema: string): Promise<Record<string, number>> {
  const { rows } = await client.query<{ relname: string }>(
    "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = $1 AND c.relkind = 'r' ORDER BY 1",
    [schema],
  );
  const counts: Record<string, number> = {};
  for (const { relname } of rows) {
    counts[relname] = Number((await client.query<{ n: string }>(`SELECT count(*) AS n FROM ONLY ${pg.escapeIdentifier(schema)}.${pg.escapeIdentifier(relname)}`)).rows[0]?.n);
  }
  return counts;
}

/**
 * A PostgreSQL of its own, stopped at once in the middle of a restore and started again: the job
 * fails with the reason, the tenant's live schema is as it was, and the console keeps serving.
 */
describe('a PostgreSQL server killed mid-restore', () => {
  let server: ThrowawayPostgres;
  let core: ConsoleCore;
  let connection: ReturnType<typeof apiOf>;
  let dataDir: string;
  let pool: pg.Pool;
  let workspaceId: string;
  let tenant: string;
  const states: Array<EventPayload<'jobs.state'>['job']> = [];

  const settled = async (jobId: string) => {
    await until(() => states.some((s) => s.id === jobId && ['succeeded', 'failed', 'cancelled'].includes(s.state)), 60_000);
    return connection.api.jobs.get({ workspaceId, jobId });
  };

  beforeAll(async () => {
    server = await startPostgres();
    const admin = new pg.Client({ connectionString: server.url });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${DATABASE}`);
    await admin.end();
    const store = new PostgresStore(PostgresEndpoint.parse({ host: server.host, port: server.port, database: DATABASE, username: server.user }), { password: server.password });
    const { tenantIds } = await seedDemoPlatform({ postgres: store }, { preset: 'murima2025', tenants: 2, seed: DATABASE, months: 1 });
    await store.close();
    tenant = [...tenantIds].sort()[0] as string;
    pool = new pg.Pool({ connectionString: server.url.replace(/\/postgres$/, `/${DATABASE}`), max: 3 });
    pool.on('error', () => undefined);
    dataDir = await mkdtemp(join(tmpdir(), 'tenantscope-backups-crash-'));
    core = await createConsole({ dataDir, mode: 'web', version: 'test' });
    connection = apiOf(core);
    connection.api.on('jobs.state', ({ job }) => states.push(job));
    workspaceId = (
      await connection.api.workspaces.create({
        workspace: {
          name: 'Crash',
          environment: 'dev',
          preset: 'murima2025',
          endpoints: { postgres: { host: server.host, port: server.port, database: DATABASE, username: server.user, password: server.password } },
        },
      })
    ).id;
    await connection.api.backups.setBackupFolder({ workspaceId, folder: join(dataDir, 'bundles') });
  }, 300_000);

  afterAll(async () => {
    connection?.close();
    await core?.close();
    await pool?.end().catch(() => undefined);
    await server?.stop();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it('fails the restore with the reason and leaves the live tenant untouched', async (context) => {
    if (!server.crash || !server.restart) {
      context.skip('this machine runs the embedded PostgreSQL fallback, which the test cannot stop and start again on the same data');
      return;
    }
    const schema = `tenant_${tenant.replaceAll('-', '_')}`;
    const backup = await settled((await connection.api.backups.backupTenant({ workspaceId, tenantId: tenant })).id);
    expect(backup.failure).toBeUndefined();
    const bundleId = String(backup.result?.bundleId);
    await pool.query(`DELETE FROM ${pg.escapeIdentifier(schema)}.tasks WHERE id IN (SELECT id FROM ${pg.escapeIdentifier(schema)}.tasks LIMIT 2)`);
    const changed = await countsOf(pool, schema);

    // A reader of the live schema holds the swap at its last step (dropping the old schema), after
    // every row of the bundle was loaded: the server is stopped right there.
    const reader = await pool.connect();
    reader.on('error', () => undefined);
    await reader.query('BEGIN');
    await reader.query(`SELECT 1 FROM ${pg.escapeIdentifier(schema)}.tasks LIMIT 1`);
    const job = await connection.api.backups.restore({ workspaceId, bundleId, mode: 'replace', confirm: tenant });
    await until(async () => {
      const { rows } = await pool.query("SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name LIKE 'tenantscope-restore-%' AND wait_event_type = 'Lock'");
      return (rows[0]?.n ?? 0) > 0;
    }, 60_000);
    await server.crash();
    const failed = await settled(job.id);
    reader.release(true);
    expect(failed.state).toBe('failed');
    expect(failed.failure?.code).toBe('unreachable');
    expect(failed.failure?.message).toMatch(/psql failed .*(server closed the connection|terminating connection|connection to server)/);

    // The console keeps serving while the server is down.
    expect((await connection.api.backups.catalog({ workspaceId })).bundles.map((b) => b.bundleId)).toContain(bundleId);

    await server.restart();
    await until(async () => pool.query('SELECT 1').then(() => true, () => false), 30_000);
    expect(await countsOf(pool, schema)).toEqual(changed);
    const { rows: leftovers } = await pool.query('SELECT nspname FROM pg_namespace WHERE nspname LIKE $1', [`${schema.slice(0, 48)}\\_%`]);
    expect(leftovers).toEqual([]);
  });

  it('a server that goes away mid-backup fails the job cleanly: no bundle is left marked complete', async (context) => {
    if (!server.crash || !server.restart) {
      context.skip('this machine runs the embedded PostgreSQL fallback, which the test cannot stop and start again on the same data');
      return;
    }
    const schema = `tenant_${tenant.replaceAll('-', '_')}`;
    // A lock on one of the tenant's tables keeps the backup waiting mid-way; the server stops there.
    const holder = await pool.connect();
    holder.on('error', () => undefined);
    await holder.query('BEGIN');
    await holder.query(`LOCK TABLE ${pg.escapeIdentifier(schema)}.cases IN ACCESS EXCLUSIVE MODE`);
    const job = await connection.api.backups.backupTenant({ workspaceId, tenantId: tenant });
    await until(async () => {
      const { rows } = await pool.query("SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = $1 AND wait_event_type = 'Lock'", [`tenantscope-${job.id}`]);
      return (rows[0]?.n ?? 0) > 0;
    }, 60_000);
    await server.crash();
    const failed = await settled(job.id);
    holder.release(true);
    expect(failed.state).toBe('failed');
    expect(failed.failure?.code).toBe('unreachable');
    const bundleId = String((failed.params as { bundleId: string }).bundleId);
    const catalog = await connection.api.backups.catalog({ workspaceId });
    expect(catalog.bundles.find((b) => b.bundleId === bundleId)).toBeUndefined();
    await server.restart();
    await until(async () => pool.query('SELECT 1').then(() => true, () => false), 30_000);
  });

  it('a missing pg_dump is tool_missing, naming it and how to install it, before anything is written', async () => {
    const emptyBin = await mkdtemp(join(tmpdir(), 'tenantscope-no-pg-bin-'));
    const otherDir = await mkdtemp(join(tmpdir(), 'tenantscope-backups-nobin-'));
    const bare = await createConsole({ dataDir: otherDir, mode: 'web', version: 'test', env: { TENANTSCOPE_PG_BIN: emptyBin } });
    const api = apiOf(bare);
    try {
      const seen: Array<EventPayload<'jobs.state'>['job']> = [];
      api.api.on('jobs.state', ({ job }) => seen.push(job));
      const { id } = await api.api.workspaces.create({
        workspace: { name: 'No tools', environment: 'dev', preset: 'murima2025', endpoints: { postgres: { host: server.host, port: server.port, database: DATABASE, username: server.user, password: server.password } } },
      });
      await until(async () => pool.query('SELECT 1').then(() => true, () => false), 30_000);
      const job = await api.api.backups.backupTenant({ workspaceId: id, tenantId: tenant });
      await until(() => seen.some((s) => s.id === job.id && s.state === 'failed'), 60_000);
      const done = await api.api.jobs.get({ workspaceId: id, jobId: job.id });
      expect(done.failure?.code).toBe('tool_missing');
      expect(done.failure?.message).toContain(`pg_dump was not found in ${emptyBin} (TENANTSCOPE_PG_BIN)`);
      expect(done.failure?.message).toContain('apt-get install postgresql-client-15');
      expect((await api.api.backups.catalog({ workspaceId: id })).bundles).toEqual([]);
    } finally {
      api.close();
      await bare.close();
      await rm(emptyBin, { recursive: true, force: true });
      await rm(otherDir, { recursive: true, force: true });
    }
  });
});
