import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it, vi } from 'vitest';
import { contract } from '@shared/contract';
import { PostgresEndpoint } from '@shared/model/workspace';
import { createConsole, type ConsoleCore } from '../../src/main/core/console';
import { seedDemoPlatform } from '../../src/main/demo/seed';
import { PostgresStore } from '../../src/main/stores/postgres/store';
import { apiOf, until } from '../support/job-database';
import { createScratchDatabase } from './tenants-fixtures';
import { scopeFor } from '@shared/tenancy';

const DATABASE = 'prod_unlock_it';
const UNLOCK_TTL_MINUTES = 5;

/**
 * A prod workspace over a scratch database seeded as the Murima2025 demo, driven through the
 * console's router as a renderer drives it: an audited prod unlock makes write-class work possible
 * on a second, writable set of stores, while every read path stays READ ONLY.
 */
describe('an audited prod unlock gives write-class work writable stores, and nothing else', () => {
  const server = inject('postgres');
  let core: ConsoleCore;
  let dataDir: string;
  let db: { pool: pg.Pool; drop(): Promise<void> };
  let connection: ReturnType<typeof apiOf>;
  let workspaceId: string;
  let tenants: string[];
  const api = () => connection.api;
  const schemaOf = (tenantId: string): string => `tenant_${tenantId.replaceAll('-', '_')}`;
  const caseCount = async (tenantId: string): Promise<number> =>
    (await db.pool.query<{ n: number }>(`select count(*)::int as n from ${pg.escapeIdentifier(schemaOf(tenantId))}.cases`)).rows[0]!.n;
  const indexValid = async (tenantId: string, index: string): Promise<boolean | undefined> => {
    const { rows } = await db.pool.query<{ valid: boolean }>(
      `select x.indisvalid as valid from pg_index x join pg_class i on i.oid = x.indexrelid join pg_namespace n on n.oid = i.relnamespace
        where n.nspname = $1 and i.relname = $2`,
      [schemaOf(tenantId), index],
    );
    return rows[0]?.valid;
  };
  const settled = async (jobId: string) => {
    await until(async () => ['succeeded', 'failed', 'cancelled'].includes((await api().jobs.get({ workspaceId, jobId })).state), 60_000);
    return api().jobs.get({ workspaceId, jobId });
  };
  const unlock = () => api().access.justify({ workspaceId, scope: 'prod-unlock', reason: 'CHG-42: add the title index the support queue needs', minutes: UNLOCK_TTL_MINUTES });
  /** Moves the justification store's clock (Date) past the unlock's end; timers keep running. */
  const pastTheUnlock = (): void => {
    vi.useFakeTimers({ toFake: ['Date'], shouldAdvanceTime: true });
    vi.setSystemTime(Date.now() + (UNLOCK_TTL_MINUTES + 1) * 60_000);
  };
  /** The refusal a call ends with, as the caller receives it (code, message, details). */
  const errorOf = (work: Promise<unknown>): Promise<{ code?: string; message?: string; details?: unknown }> =>
    work.then(
      () => {
        throw new Error('expected a refusal');
      },
      (error: unknown) => error as { code?: string; message?: string; details?: unknown },
    );
  const deleteAll = (tenantId: string) => ({ workspaceId, tenantId, engine: 'postgres' as const, statement: 'delete from cases' });

  beforeAll(async () => {
    db = await createScratchDatabase(server.url, DATABASE);
    const seeder = new PostgresStore(PostgresEndpoint.parse({ host: server.host, port: server.port, database: DATABASE, username: server.user }), { password: server.password });
    const seeded = await seedDemoPlatform({ postgres: seeder }, { preset: 'murima2025', tenants: 3, seed: DATABASE, months: 1 });
    await seeder.close();
    tenants = [...seeded.tenantIds].sort();
    dataDir = await mkdtemp(join(tmpdir(), 'tenantscope-prod-unlock-'));
    core = await createConsole({ dataDir, mode: 'web', version: 'test' });
    connection = apiOf(core);
    const endpoints = { postgres: { host: server.host, port: server.port, database: DATABASE, username: server.user, password: server.password } };
    ({ id: workspaceId } = await api().workspaces.create({ workspace: { name: 'Prod unlock', environment: 'prod', preset: 'murima2025', endpoints } }));
  }, 300_000);

  afterEach(() => {
    vi.useRealTimers();
  });

  afterAll(async () => {
    connection?.close();
    await core?.close();
    await db?.drop();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it('analyses a write only after an unlock, always rolled back, and refuses it again once the unlock has expired', async () => {
    const tenant = tenants[0]!;
    const before = await caseCount(tenant);
    expect(before).toBeGreaterThan(0);
    expect(await errorOf(api().explain.analyzeWrite(deleteAll(tenant)))).toMatchObject({ code: 'read_only', details: { reasonNeeded: { scope: 'prod-unlock', workspaceId } } });

    await unlock();
    const analysed = contract.explain.analyzeWrite.result.parse(await api().explain.analyzeWrite(deleteAll(tenant)));
    expect(analysed.plan.analyzed).toBe(true);
    expect(analysed.plan.root.operation).toMatch(/Delete/);
    expect(await caseCount(tenant)).toBe(before);

    pastTheUnlock();
    expect(await errorOf(api().explain.analyzeWrite(deleteAll(tenant)))).toMatchObject({ code: 'read_only', details: { reasonNeeded: { scope: 'prod-unlock' } } });
    expect(await caseCount(tenant)).toBe(before);
  });

  it('keeps every read path READ ONLY while prod is unlocked: the shared stores refuse an INSERT, a read method runs no write', async () => {
    const tenant = tenants[0]!;
    await unlock();
    const read = await core.registry.open(workspaceId);
    expect(read.postgres?.readOnly).toBe(true);
    const scope = scopeFor(read.preset, tenant);
    expect(await errorOf(read.postgres!.query("insert into cases (title) values ('sneaky')", [], scope))).toMatchObject({ code: 'read_only' });
    expect(await errorOf(read.postgres!.execute(`create index sneaky on ${pg.escapeIdentifier(schemaOf(tenant))}.cases (title)`))).toMatchObject({ code: 'read_only' });

    // explain.run is a read: a write is only planned there, never executed, unlocked or not.
    const before = await caseCount(tenant);
    const planned = contract.explain.run.result.parse(await api().explain.run({ ...deleteAll(tenant), analyze: true }));
    expect(planned.plan.analyzed).toBe(false);
    expect(await caseCount(tenant)).toBe(before);
    expect(await indexValid(tenant, 'sneaky')).toBeUndefined();

    // The writable set is a second set of connections, never the one readers share.
    const operator = { operator: { name: 'someone else' }, role: 'platform_admin' as const };
    expect(await errorOf(core.registry.openWritable(workspaceId, operator))).toMatchObject({ code: 'read_only' });
    expect((await core.registry.open(workspaceId)).postgres).toBe(read.postgres);
  });

  it('runs a workbench write on prod only under an unlock; the same statement through workbench.run stays READ ONLY', async () => {
    const tenant = tenants[2]!;
    const table = `${pg.escapeIdentifier(schemaOf(tenant))}.cases`;
    const titleOfFirst = async (): Promise<string> => (await db.pool.query<{ title: string }>(`select title from ${table} order by id limit 1`)).rows[0]!.title;
    const rename = { target: { engine: 'postgres' as const }, text: 'update cases set title = $$renamed under CHG-44$$ where id = (select id from cases order by id limit 1)' };
    const original = await titleOfFirst();
    let runs = 0;
    const args = () => ({ workspaceId, tenantId: tenant, runId: `run_produnlock${++runs}`, query: rename });
    pastTheUnlock();
    expect(await errorOf(api().workbench.runWrite(args()))).toMatchObject({ code: 'read_only', details: { reasonNeeded: { scope: 'prod-unlock' } } });
    vi.useRealTimers();

    await unlock();
    expect(await errorOf(api().workbench.run(args()))).toMatchObject({ code: 'read_only' });
    expect(await titleOfFirst()).toBe(original);
    await api().workbench.runWrite(args());
    expect(await titleOfFirst()).toBe('renamed under CHG-44');
  });

  it('builds (and drops) an index in a prod tenant only under an unlock, and records the unlock with the job', async () => {
    const tenant = tenants[1]!;
    const definition = { table: 'cases', name: 'idx_cases_title_unlocked', keys: [{ column: 'title' }] };
    pastTheUnlock();
    expect(await errorOf(api().indexes.build({ workspaceId, tenantId: tenant, definition }))).toMatchObject({ code: 'read_only' });
    vi.useRealTimers();

    const given = await unlock();
    const job = await api().indexes.build({ workspaceId, tenantId: tenant, definition });
    const done = await settled(job.id);
    expect(done.state).toBe('succeeded');
    expect(await indexValid(tenant, 'idx_cases_title_unlocked')).toBe(true);
    expect(done.params).toMatchObject({ unlock: { id: given.id, workspaceId, role: 'platform_admin' } });
    expect(done.log.some((l) => l.line.includes(`Writes under the prod unlock ${given.id}`))).toBe(true);
    // Readers still share the read-only set.
    expect((await core.registry.open(workspaceId)).postgres?.readOnly).toBe(true);
    // A drop runs on the service's own writable session, under the same unlock.
    await api().indexes.drop({ workspaceId, tenantId: tenant, index: 'idx_cases_title_unlocked', confirmName: 'idx_cases_title_unlocked' });
    expect(await indexValid(tenant, 'idx_cases_title_unlocked')).toBeUndefined();
  });

  it('stops a job when its unlock expires mid-run: the tenant in flight finishes, the next one is never touched', async () => {
    const [first, second] = [tenants[0]!, tenants[2]!];
    const definition = { table: 'tasks', name: 'idx_tasks_title_unlocked', keys: [{ column: 'title' }] };
    await unlock();
    await api().access.justify({ workspaceId, scope: 'cross-tenant', reason: 'CHG-43: the same index in two tenants' });
    // An open write on the first tenant's table: CREATE INDEX CONCURRENTLY waits for it.
    const writer = await db.pool.connect();
    try {
      await writer.query('BEGIN');
      await writer.query(`update ${pg.escapeIdentifier(schemaOf(first))}.tasks set title = title where id in (select id from ${pg.escapeIdentifier(schemaOf(first))}.tasks limit 1)`);
      const job = await api().indexes.build({ workspaceId, tenantIds: [first, second], definition });
      await until(async () => (await api().jobs.get({ workspaceId, jobId: job.id })).progress.phase.includes('waiting for writers'));
      pastTheUnlock();
      await writer.query('COMMIT');
      const done = await settled(job.id);
      expect(done.state).toBe('failed');
      expect(done.failure?.code).toBe('read_only');
      expect(done.log.some((l) => l.line.startsWith('Stopped: the prod unlock'))).toBe(true);
    } finally {
      await writer.query('ROLLBACK').catch(() => undefined);
      writer.release();
    }
    expect(await indexValid(first, 'idx_tasks_title_unlocked')).toBe(true);
    expect(await indexValid(second, 'idx_tasks_title_unlocked')).toBeUndefined();
  });
});
