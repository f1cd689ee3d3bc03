import { execFile } from 'node:child_process';
import { cp, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { backups } from '../../src/shared/contract/backups';
import { BundleManifest } from '../../src/shared/model/backup';
import { until } from '../support/job-database';
import { indexesWorld, schemaOf, type IndexesWorld } from './indexes-fixtures';

const run = promisify(execFile);
const DATABASE = 'backups_it';
const PG_BIN = '/usr/lib/postgresql/15/bin';

/** Exact row counts of every ordinary table of a schema, as the database has them now. */
async function countsOf(pool: pg.Pool, schema: string): Promise<Record<string, number>> {
  const tables = await pool.query<{ relname: string }>(
    "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = $1 AND c.relkind = 'r' ORDER BY 1",
    [schema],
  );
  const counts: Record<string, number> = {};
  for (const { relname } of tables.rows) {
    const { rows } = await pool.query<{ n: string }>(`SELECT count(*) AS n FROM ONLY ${pg.escapeIdentifier(schema)}.${pg.escapeIdentifier(relname)}`);
    counts[relname] = Number(rows[0]?.n);
  }
  return counts;
}

const bareSchema = (tenantId: string): string => `tenant_${tenantId.replaceAll('-', '_')}`;

describe('tenant bundles on a real PostgreSQL', () => {
  let world: IndexesWorld;
  let tenant: string;
  let other: string;
  let bundleFolder: string;
  let firstBundle: string;
  let manifest: BundleManifest;

  beforeAll(async () => {
    world = await indexesWorld(DATABASE, 3);
    [tenant, other] = world.tenants as [string, string];
    bundleFolder = await mkdtemp(join(tmpdir(), 'tenantscope-bundles-'));
    await world.api.backups.setBackupFolder({ workspaceId: world.workspaceId, folder: bundleFolder });
  }, 300_000);

  afterAll(async () => {
    await world?.close();
    if (bundleFolder) await rm(bundleFolder, { recursive: true, force: true });
  });

  it('backs up a tenant: counts from its snapshot, SHA-256 of every file, the manifest last; pg_restore --list holds that schema only', async () => {
    const before = await countsOf(world.pool, bareSchema(tenant));
    const progress: Array<{ done: number; total: number | null; phase: string }> = [];
    const stop = world.api.on('jobs.progress', (event) => progress.push(event.progress));
    const job = await world.api.backups.backupTenant({ workspaceId: world.workspaceId, tenantId: tenant, justification: 'BK-1 Monday copy' });
    const done = await world.settled(job.id);
    stop();
    expect(done.failure).toBeUndefined();
    // Progress is pg_dump's own: tables done of the schema's tables, counted from the catalog first,
    // one step per "dumping contents of table" line (events are paced; the log keeps every step).
    const tables = Object.keys(before).length;
    const steps = done.log.filter((l) => l.line.startsWith('postgres: table ')).map((l) => l.line);
    expect(steps).toHaveLength(tables);
    expect(steps[0]).toMatch(new RegExp(`^postgres: table 1 of ${tables}: ${bareSchema(tenant)}\\.`));
    expect(steps.at(-1)).toContain(`table ${tables} of ${tables}`);
    expect(progress.length).toBeGreaterThan(0);
    expect(done.progress.phase).toBe('manifest written');
    expect(done.failure).toBeUndefined();
    expect(done.state).toBe('succeeded');
    // Progress came from pg_dump's own verbose lines, table by table.
    expect(done.log.some((l) => l.line.includes('pg_dump --verbose --format=custom'))).toBe(true);
    firstBundle = String(done.result?.bundleId);
    const read = await world.api.backups.bundle({ workspaceId: world.workspaceId, bundleId: firstBundle });
    expect(backups.methods.bundle.result.safeParse(read).success).toBe(true);
    expect(read.entry.status).toBe('complete');
    manifest = BundleManifest.parse(read.manifest);
    const part = manifest.parts[0];
    expect(part?.counts).toEqual(before);
    expect(Object.values(before).some((n) => n > 0)).toBe(true);
    expect(part?.files.map((f) => f.path)).toEqual(['postgres/tenant.dump']);
    expect(manifest).toMatchObject({ tenantId: tenant, stores: ['postgres'], justification: 'BK-1 Monday copy', jobId: job.id });
    const dump = join(bundleFolder, world.workspaceId, firstBundle, 'postgres', 'tenant.dump');
    const { stdout } = await run(join(PG_BIN, 'pg_restore'), ['--list', dump]);
    const entries = stdout.split('\n').filter((l) => /^\d+;/.test(l));
    expect(entries.length).toBeGreaterThan(10);
    for (const entry of entries.filter((l) => /\b(TABLE|INDEX|SEQUENCE|CONSTRAINT|TRIGGER|POLICY)\b/.test(l))) {
      expect(entry).toContain(bareSchema(tenant));
      expect(entry).not.toContain(bareSchema(other));
    }
    // The manifest was written last: its file is the newest of the bundle.
    const names = await readdir(join(bundleFolder, world.workspaceId, firstBundle));
    expect(names.sort()).toEqual(['manifest.json', 'postgres']);
  });

  it('after the data changes, restores into a new schema whose counts are the manifest’s, and leaves the live tenant as it is now', async () => {
    const live = bareSchema(tenant);
    await world.pool.query(`DELETE FROM ${schemaOf(tenant)}.tasks WHERE id IN (SELECT id FROM ${schemaOf(tenant)}.tasks LIMIT 3)`);
    const changed = await countsOf(world.pool, live);
    expect(changed.tasks).toBe((manifest.parts[0]?.counts.tasks ?? 0) - 3);
    const target = `restored_${live}`.slice(0, 63);
    const job = await world.api.backups.restore({ workspaceId: world.workspaceId, bundleId: firstBundle, mode: 'rename', targetName: target });
    const done = await world.settled(job.id);
    expect(done.failure).toBeUndefined();
    expect(done.result).toMatchObject({ mode: 'rename', targets: { postgres: target } });
    expect(await countsOf(world.pool, target)).toEqual(manifest.parts[0]?.counts);
    expect(await countsOf(world.pool, live)).toEqual(changed);
    // Sequences came along under the new name: the next id continues after the restored rows.
    const { rows } = await world.pool.query<{ d: string | null }>(
      `SELECT pg_get_expr(d.adbin, d.adrelid) AS d FROM pg_attrdef d JOIN pg_class c ON c.oid = d.adrelid JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = $1`,
      [target],
    );
    for (const { d } of rows) expect(String(d)).not.toContain(`${live}.`);
    // A second restore under the same name is refused: nothing is written over an existing schema.
    const again = await world.api.backups.restore({ workspaceId: world.workspaceId, bundleId: firstBundle, mode: 'rename', targetName: target });
    const refused = await world.settled(again.id);
    expect(refused.failure?.code).toBe('conflict');
    await world.pool.query(`DROP SCHEMA ${pg.escapeIdentifier(target)} CASCADE`);
  });

  it('a statement refused mid-restore fails the job with the server’s reason and leaves nothing behind', async () => {
    // Another session creates the target schema first and commits while the restore waits for it.
    const rival = await world.pool.connect();
    try {
      await rival.query('BEGIN');
      await rival.query('CREATE SCHEMA race_target');
      const job = await world.api.backups.restore({ workspaceId: world.workspaceId, bundleId: firstBundle, mode: 'rename', targetName: 'race_target' });
      await until(async () => {
        const { rows } = await world.pool.query("SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name LIKE 'tenantscope-restore-%' AND wait_event_type = 'Lock'");
        return (rows[0]?.n ?? 0) > 0;
      }, 30_000);
      await rival.query('COMMIT');
      const done = await world.settled(job.id);
      expect(done.state).toBe('failed');
      expect(done.failure?.code).toBe('conflict');
      expect(done.failure?.message).toContain('(race_target) already exists');
      const { rows } = await world.pool.query("SELECT count(*)::int AS n FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'race_target'");
      expect(rows[0]?.n).toBe(0);
    } finally {
      rival.release();
      await world.pool.query('DROP SCHEMA IF EXISTS race_target CASCADE');
    }
  });

  it('verifies a good bundle, then catches a flipped byte and names the file', async () => {
    const good = await world.settled((await world.api.backups.verify({ workspaceId: world.workspaceId, bundleId: firstBundle })).id);
    expect(good.failure).toBeUndefined();
    expect(good.log.some((l) => l.line.includes('restored into scratch tsverify_'))).toBe(true);
    expect((await world.api.backups.bundle({ workspaceId: world.workspaceId, bundleId: firstBundle })).entry.status).toBe('verified');
    const { rows: scratch } = await world.pool.query("SELECT nspname FROM pg_namespace WHERE nspname LIKE 'tsverify\\_%'");
    expect(scratch).toEqual([]);

    // A copy of the bundle with one byte flipped in the middle of its dump.
    const copyId = firstBundle.replace(/-[a-z0-9]+$/, '-f11pd0');
    const workspaceFolder = join(bundleFolder, world.workspaceId);
    await cp(join(workspaceFolder, firstBundle), join(workspaceFolder, copyId), { recursive: true });
    await rm(join(workspaceFolder, copyId, 'verification.json'));
    const dump = join(workspaceFolder, copyId, 'postgres', 'tenant.dump');
    const bytes = await readFile(dump);
    bytes[Math.floor(bytes.length / 2)] = (bytes[Math.floor(bytes.length / 2)] ?? 0) ^ 0x01;
    await writeFile(dump, bytes);
    const bad = await world.settled((await world.api.backups.verify({ workspaceId: world.workspaceId, bundleId: copyId })).id);
    expect(bad.state).toBe('failed');
    expect(bad.failure?.code).toBe('conflict');
    expect(bad.failure?.message).toContain('postgres/tenant.dump: SHA-256 differs');
    const entry = (await world.api.backups.bundle({ workspaceId: world.workspaceId, bundleId: copyId })).entry;
    expect(entry.status).toBe('verify_failed');
    expect(entry.verification?.problems).toEqual(['postgres/tenant.dump: SHA-256 differs from the manifest (the file was changed or damaged)']);
    // A damaged bundle is never restored.
    const restore = await world.settled((await world.api.backups.restore({ workspaceId: world.workspaceId, bundleId: copyId, mode: 'rename', targetName: 'never_restored' })).id);
    expect(restore.failure?.message).toContain('postgres/tenant.dump');
    await rm(join(workspaceFolder, copyId), { recursive: true });
  });

  it('a cancelled backup leaves no bundle marked complete', async () => {
    // A lock held on one of the tenant's tables keeps the backup waiting mid-way (counts and pg_dump alike).
    const holder = await world.pool.connect();
    try {
      await holder.query('BEGIN');
      await holder.query(`LOCK TABLE ${schemaOf(other)}.cases IN ACCESS EXCLUSIVE MODE`);
      const job = await world.api.backups.backupTenant({ workspaceId: world.workspaceId, tenantId: other });
      await until(async () => {
        const { rows } = await world.pool.query("SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = $1 AND wait_event_type = 'Lock'", [`tenantscope-${job.id}`]);
        return (rows[0]?.n ?? 0) > 0;
      }, 60_000);
      await world.api.jobs.cancel({ workspaceId: world.workspaceId, jobId: job.id });
      const done = await world.settled(job.id);
      expect(done.state).toBe('cancelled');
      const bundleId = String((done.params as { bundleId: string }).bundleId);
      const catalog = await world.api.backups.catalog({ workspaceId: world.workspaceId });
      expect(catalog.bundles.filter((b) => b.tenantId === other && b.status !== 'incomplete')).toEqual([]);
      expect(catalog.bundles.find((b) => b.bundleId === bundleId)).toBeUndefined();
      expect(done.log.some((l) => l.line.includes('The partial bundle was removed'))).toBe(true);
    } finally {
      await holder.query('ROLLBACK');
      holder.release();
    }
    // No pg_dump of the cancelled job is left on the server.
    await until(async () => {
      const { rows } = await world.pool.query("SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name LIKE 'tenantscope-job_%'");
      return rows[0]?.n === 0;
    });
  });

  it('a cancelled restore over the live tenant leaves it as it was', async () => {
    const live = bareSchema(tenant);
    const before = await countsOf(world.pool, live);
    // A reader of the live schema holds the swap at its very end, after every row was loaded.
    const reader = await world.pool.connect();
    try {
      await reader.query('BEGIN');
      await reader.query(`SELECT 1 FROM ${schemaOf(tenant)}.tasks LIMIT 1`);
      const job = await world.api.backups.restore({ workspaceId: world.workspaceId, bundleId: firstBundle, mode: 'replace', confirm: tenant });
      await until(async () => {
        const { rows } = await world.pool.query("SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name LIKE 'tenantscope-restore-%' AND wait_event_type = 'Lock'");
        return (rows[0]?.n ?? 0) > 0;
      }, 30_000);
      await world.api.jobs.cancel({ workspaceId: world.workspaceId, jobId: job.id });
      expect((await world.settled(job.id)).state).toBe('cancelled');
    } finally {
      await reader.query('ROLLBACK');
      reader.release();
    }
    expect(await countsOf(world.pool, live)).toEqual(before);
    const { rows } = await world.pool.query('SELECT nspname FROM pg_namespace WHERE nspname LIKE $1', [`${live.slice(0, 48)}\\_%`]);
    expect(rows).toEqual([]);
  });

  it('replaces the live tenant only with the typed tenant id, swapping the bundle in', async () => {
    const live = bareSchema(tenant);
    await expect(world.api.backups.restore({ workspaceId: world.workspaceId, bundleId: firstBundle, mode: 'replace', confirm: 'not-the-tenant' })).rejects.toMatchObject({ code: 'invalid_argument' });
    await expect(world.api.backups.restore({ workspaceId: world.workspaceId, bundleId: firstBundle, mode: 'replace' })).rejects.toMatchObject({ code: 'invalid_argument' });
    expect((await countsOf(world.pool, live)).tasks).toBe((manifest.parts[0]?.counts.tasks ?? 0) - 3);
    // A view elsewhere on the tenant's table would be dropped with the old schema: refused, nothing changed.
    await world.pool.query(`CREATE VIEW public.tasks_report AS SELECT count(*) AS n FROM ${schemaOf(tenant)}.tasks`);
    const refused = await world.settled((await world.api.backups.restore({ workspaceId: world.workspaceId, bundleId: firstBundle, mode: 'replace', confirm: tenant })).id);
    expect(refused.failure?.code).toBe('conflict');
    expect(refused.failure?.message).toContain('public.tasks_report (view)');
    expect((await countsOf(world.pool, live)).tasks).toBe((manifest.parts[0]?.counts.tasks ?? 0) - 3);
    await world.pool.query('DROP VIEW public.tasks_report');
    const done = await world.settled((await world.api.backups.restore({ workspaceId: world.workspaceId, bundleId: firstBundle, mode: 'replace', confirm: tenant })).id);
    expect(done.failure).toBeUndefined();
    expect(await countsOf(world.pool, live)).toEqual(manifest.parts[0]?.counts);
    const { rows } = await world.pool.query('SELECT nspname FROM pg_namespace WHERE nspname LIKE $1', [`${live.slice(0, 48)}\\_%`]);
    expect(rows).toEqual([]);
  });

  it('refuses hostile tenant ids and target names before anything runs, and support altogether', async () => {
    const workspaceId = world.workspaceId;
    await expect(world.api.backups.backupTenant({ workspaceId, tenantId: `x"; DROP SCHEMA public; --` })).rejects.toMatchObject({ code: 'invalid_argument' });
    await expect(world.api.backups.backupTenant({ workspaceId, tenantId: 'not-a-uuid' })).rejects.toMatchObject({ code: 'invalid_argument' });
    for (const targetName of ['x"; DROP TABLE cases; --', 'pg_catalog', 'Tenant', '../etc', 'a'.repeat(64)]) {
      await expect(world.api.backups.restore({ workspaceId, bundleId: firstBundle, mode: 'rename', targetName })).rejects.toMatchObject({ code: 'invalid_argument' });
    }
    await expect(world.api.backups.bundle({ workspaceId, bundleId: '../../etc' })).rejects.toMatchObject({ code: 'invalid_argument' });
    await expect(world.api.backups.setBackupFolder({ workspaceId, folder: 'relative/folder' })).rejects.toMatchObject({ code: 'invalid_argument' });
    await expect(world.api.backups.setBackupFolder({ workspaceId, folder: '/dev/null/bundles' })).rejects.toMatchObject({ code: 'invalid_argument' });
    await world.api.access.setOperator({ workspaceId, name: 'Sam', email: 'sam@example.com', role: 'support' });
    try {
      await expect(world.api.backups.backupTenant({ workspaceId, tenantId: tenant })).rejects.toMatchObject({ code: 'forbidden' });
      await expect(world.api.backups.restore({ workspaceId, bundleId: firstBundle, mode: 'rename', targetName: 'support_copy' })).rejects.toMatchObject({ code: 'forbidden' });
      await expect(world.api.backups.verify({ workspaceId, bundleId: firstBundle })).rejects.toMatchObject({ code: 'forbidden' });
      await expect(world.api.backups.dumpDatabase({ workspaceId })).rejects.toMatchObject({ code: 'forbidden' });
      await expect(world.api.backups.setLegalHold({ workspaceId, bundleId: firstBundle, hold: true, reason: 'support tries' })).rejects.toMatchObject({ code: 'forbidden' });
    } finally {
      await world.api.access.setOperator({ workspaceId, name: 'Ada', email: 'ada@example.com', role: 'platform_admin' });
    }
  });

  it('retention keeps the newest bundle of recent days and weeks, deletes the rest after a dry run, and never a held one', async () => {
    const workspaceFolder = join(bundleFolder, world.workspaceId);
    // Copies of a real bundle, re-dated, for a tenant of their own: newest first, ISO weeks noted.
    const ghost = '00000000-0000-4000-8000-00000000beef';
    const dates = {
      a: '2026-11-30T12:00:00Z', // Mon, W49
      b: '2026-11-30T08:00:00Z', // same day, older: expired … but held
      c: '2026-11-29T12:00:00Z', // Sun, W48
      d: '2026-11-28T12:00:00Z', // Sat, W48
      e: '2026-11-27T12:00:00Z', // Fri, W48: days used up, week already kept → expired
      f: '2026-11-20T12:00:00Z', // W47: kept as weekly
      g: '2026-11-13T12:00:00Z', // W46: weeks used up → expired
      h: '2026-11-06T12:00:00Z', // W45: expired … but held
    };
    const ids: Record<string, string> = {};
    for (const [key, at] of Object.entries(dates)) {
      const id = `${at.replace(/[-:]/g, '')}-${ghost}-${key}${key}${key}${key}`;
      ids[key] = id;
      await cp(join(workspaceFolder, firstBundle), join(workspaceFolder, id), { recursive: true });
      await rm(join(workspaceFolder, id, 'verification.json'), { force: true });
      const copy = { ...manifest, bundleId: id, tenantId: ghost, startedAt: new Date(at).toISOString(), endedAt: new Date(at).toISOString() };
      await writeFile(join(workspaceFolder, id, 'manifest.json'), JSON.stringify(copy));
    }
    // An incomplete bundle of the same tenant, older than all: retention leaves it to a person.
    const incomplete = `20261101T120000Z-${ghost}-iiii`;
    await cp(join(workspaceFolder, firstBundle), join(workspaceFolder, incomplete), { recursive: true });
    await rm(join(workspaceFolder, incomplete, 'manifest.json'));
    for (const key of ['b', 'h']) {
      await world.api.backups.setLegalHold({ workspaceId: world.workspaceId, bundleId: ids[key] as string, hold: true, reason: 'LEGAL-7 litigation hold' });
    }
    const ofGhost = (list: Array<{ bundleId: string; reason: string; tenantId: string | null }>) =>
      Object.fromEntries(list.filter((d) => d.tenantId === ghost).map((d) => [Object.entries(ids).find(([, id]) => id === d.bundleId)?.[0] ?? d.bundleId, d.reason]));

    const dry = await world.api.backups.retention({ workspaceId: world.workspaceId, keepDaily: 3, keepWeekly: 3 });
    expect(dry.dryRun).toBe(true);
    expect(ofGhost(dry.deleted)).toEqual({ e: 'expired', g: 'expired' });
    expect(ofGhost(dry.kept)).toEqual({ a: 'daily', c: 'daily', d: 'daily', f: 'weekly', b: 'held', h: 'held', [incomplete]: 'incomplete' });
    expect(dry.freedBytes).toBeGreaterThan(0);
    // A dry run deletes nothing.
    for (const id of Object.values(ids)) expect((await readdir(workspaceFolder)).includes(id)).toBe(true);

    const done = await world.api.backups.retention({ workspaceId: world.workspaceId, keepDaily: 3, keepWeekly: 3, dryRun: false });
    expect(ofGhost(done.deleted)).toEqual({ e: 'expired', g: 'expired' });
    const left = await readdir(workspaceFolder);
    expect(left).not.toContain(ids.e);
    expect(left).not.toContain(ids.g);
    for (const key of ['a', 'b', 'c', 'd', 'f', 'h']) expect(left).toContain(ids[key]);
    expect(left).toContain(incomplete);
    // Keeping nothing at all still keeps what is held (and the incomplete one).
    const none = await world.api.backups.retention({ workspaceId: world.workspaceId, keepDaily: 0, keepWeekly: 0, dryRun: false });
    expect(Object.keys(ofGhost(none.deleted)).sort()).toEqual(['a', 'c', 'd', 'f']);
    const after = (await world.api.backups.catalog({ workspaceId: world.workspaceId })).bundles.filter((b) => b.tenantId === ghost);
    expect(after.map((b) => [b.bundleId, b.status, b.legalHold?.reason ?? null])).toEqual([
      [ids.b, 'complete', 'LEGAL-7 litigation hold'],
      [ids.h, 'complete', 'LEGAL-7 litigation hold'],
      [incomplete, 'incomplete', null],
    ]);
    // Lifting a hold makes the bundle ordinary again; then it goes like any other.
    await world.api.backups.setLegalHold({ workspaceId: world.workspaceId, bundleId: ids.h as string, hold: false, reason: 'LEGAL-7 closed' });
    const lifted = await world.api.backups.retention({ workspaceId: world.workspaceId, keepDaily: 0, keepWeekly: 0, dryRun: false });
    expect(Object.keys(ofGhost(lifted.deleted))).toEqual(['h']);
    for (const id of [ids.b, incomplete]) await rm(join(workspaceFolder, id as string), { recursive: true, force: true });
  });

  it('on prod: a backup needs no unlock, a restore does, and then writes through the unlock', async () => {
    const server = inject('postgres');
    const { id: prodId } = await world.api.workspaces.create({
      workspace: {
        name: 'Backups prod',
        environment: 'prod',
        preset: 'murima2025',
        endpoints: { postgres: { host: server.host, port: server.port, database: DATABASE, username: server.user, password: server.password } },
      },
    });
    await world.api.backups.setBackupFolder({ workspaceId: prodId, folder: bundleFolder });
    const settledIn = async (jobId: string) => {
      await until(() => world.states.some((j) => j.id === jobId && ['succeeded', 'failed', 'cancelled'].includes(j.state)), 60_000);
      return world.api.jobs.get({ workspaceId: prodId, jobId });
    };
    const backup = await settledIn((await world.api.backups.backupTenant({ workspaceId: prodId, tenantId: other })).id);
    expect(backup.failure).toBeUndefined();
    const bundleId = String(backup.result?.bundleId);
    const restore = () => world.api.backups.restore({ workspaceId: prodId, bundleId, mode: 'rename', targetName: 'prod_copy' });
    await expect(restore()).rejects.toMatchObject({ code: 'read_only', details: { reasonNeeded: { scope: 'prod-unlock', workspaceId: prodId } } });
    await expect(world.api.backups.verify({ workspaceId: prodId, bundleId })).rejects.toMatchObject({ code: 'read_only' });
    await world.api.access.justify({ workspaceId: prodId, scope: 'prod-unlock', reason: 'INC-9: restore the tenant as it was on Monday' });
    const done = await settledIn((await restore()).id);
    expect(done.failure).toBeUndefined();
    expect(done.log.some((l) => l.line.includes('Writes under the prod unlock'))).toBe(true);
    expect(await countsOf(world.pool, 'prod_copy')).toEqual(await countsOf(world.pool, bareSchema(other)));
    await world.pool.query('DROP SCHEMA prod_copy CASCADE');
    await world.api.workspaces.remove({ id: prodId, confirmName: 'Backups prod' });
  });

  it('audits each backup job once with its outcome', async () => {
    const { entries } = await world.api.audit.query({ workspaceId: world.workspaceId, action: 'jobs.backups.', limit: 500 });
    const perJob = new Map<string, number>();
    for (const entry of entries) {
      const jobId = String((entry.details as { jobId?: string } | undefined)?.jobId);
      perJob.set(jobId, (perJob.get(jobId) ?? 0) + 1);
    }
    expect([...perJob.values()].every((n) => n === 1)).toBe(true);
    const kinds = new Set(entries.map((e) => `${e.action} ${e.outcome}`));
    for (const kind of ['jobs.backups.tenant-bundle allowed', 'jobs.backups.tenant-bundle failed', 'jobs.backups.restore allowed', 'jobs.backups.restore failed', 'jobs.backups.verify allowed', 'jobs.backups.verify failed']) {
      expect(kinds).toContain(kind);
    }
  });

  it('writes the directory format with parallel workers, one digest per file, and verifies it', async () => {
    const done = await world.settled((await world.api.backups.backupTenant({ workspaceId: world.workspaceId, tenantId: other, pgFormat: 'directory', jobs: 2 })).id);
    expect(done.failure).toBeUndefined();
    const bundleId = String(done.result?.bundleId);
    const read = await world.api.backups.bundle({ workspaceId: world.workspaceId, bundleId });
    const files = read.manifest?.parts[0]?.files.map((f) => f.path) ?? [];
    expect(files).toContain('postgres/tenant/toc.dat');
    expect(files.filter((f) => /^postgres\/tenant\/\d+\.dat\.gz$/.test(f)).length).toBeGreaterThan(3);
    expect(read.manifest?.parts[0]?.format).toBe('pg_dump directory');
    expect(read.manifest?.parts[0]?.counts).toEqual(await countsOf(world.pool, bareSchema(other)));
    const verified = await world.settled((await world.api.backups.verify({ workspaceId: world.workspaceId, bundleId })).id);
    expect(verified.failure).toBeUndefined();
  });

  it('dumps the whole database with a digest of its file', async () => {
    const done = await world.settled((await world.api.backups.dumpDatabase({ workspaceId: world.workspaceId, justification: 'BK-2 before the upgrade' })).id);
    expect(done.failure).toBeUndefined();
    const folder = String(done.result?.folder);
    const record = JSON.parse(await readFile(join(folder, 'dump.json'), 'utf8')) as { files: Array<{ path: string; sha256: string }> };
    expect(record.files.map((f) => f.path)).toEqual(['database.dump']);
    const { stdout } = await run(join(PG_BIN, 'pg_restore'), ['--list', join(folder, 'database.dump')]);
    expect(stdout).toContain(bareSchema(tenant));
    expect(stdout).toContain(bareSchema(other));
    // The whole-database dump is not a tenant bundle: the catalog does not list it.
    expect((await world.api.backups.catalog({ workspaceId: world.workspaceId })).bundles.every((b) => b.tenantId !== null)).toBe(true);
  });
});
