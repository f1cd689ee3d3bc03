import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { EventPayload } from '../../src/shared/contract';
import type { FleetExplainResult } from '../../src/shared/contract/explain';
import type { JobSummary } from '../../src/shared/model/job';
import { createConsole, type ConsoleCore } from '../../src/main/core/console';
import { activeStatements, apiOf, createDatabase, postgresWorkspace, until } from '../support/job-database';

/**
 * Fleet explain through the console on a real PostgreSQL: 50 Murima2025-like tenant schemas, each
 * with the demo's `cases` table and its `(tenant_id, status, priority)` index and the same rows, so
 * every tenant gets the same plan until the index is dropped in three of them.
 */
const DATABASE = 'explain_fleet_it';
const TENANTS = Array.from({ length: 50 }, (_, n) => `7e57f1ee-0000-4000-8000-${String(n).padStart(12, '0')}`);
const WITHOUT_INDEX = [TENANTS[4]!, TENANTS[17]!, TENANTS[38]!];
const schemaOf = (id: string): string => `tenant_${id.replaceAll('-', '_')}`;
const QUERY = "select id, title from cases where tenant_id = current_setting('app.current_tenant_id')::uuid and status = 'escalated' and priority = 'urgent'";

function tenantSql(id: string): string {
  const schema = `"${schemaOf(id)}"`;
  return `
    create schema ${schema};
    create table ${schema}.cases (id serial primary key, tenant_id uuid not null, title text not null, status varchar(50) not null, priority varchar(20) not null, created_at timestamptz not null default now());
    insert into ${schema}.cases (tenant_id, title, status, priority)
      select '${id}', 'Case ' || n, case when n % 100 = 0 then 'escalated' when n % 3 = 0 then 'closed' else 'open' end,
             case when n % 200 = 0 then 'urgent' else 'medium' end
        from generate_series(1, 3000) n;
    create index idx_cases_status_priority on ${schema}.cases (tenant_id, status, priority);
    analyze ${schema}.cases;`;
}

describe('fleet explain on a real PostgreSQL', () => {
  let dataDir: string;
  let db: Awaited<ReturnType<typeof createDatabase>>;
  let core: ConsoleCore;
  let connection: ReturnType<typeof apiOf>;
  let workspaceId: string;
  let scratch: pg.Client;
  const states: Array<EventPayload<'jobs.state'>['job']> = [];

  const settled = async (jobId: string): Promise<JobSummary> => {
    await until(() => states.some((s) => s.id === jobId && ['succeeded', 'failed', 'cancelled'].includes(s.state)), 60_000);
    return connection.api.jobs.get({ workspaceId, jobId });
  };

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'tenantscope-explain-fleet-'));
    db = await createDatabase(DATABASE);
    await db.run(TENANTS.map(tenantSql).join('\n'));
    scratch = new pg.Client({ connectionString: inject('postgres').url.replace(/\/postgres$/, `/${DATABASE}`) });
    await scratch.connect();
    await db.run(WITHOUT_INDEX.map((id) => `drop index "${schemaOf(id)}".idx_cases_status_priority;`).join('\n'));
    core = await createConsole({ dataDir, mode: 'web', version: 'test' });
    connection = apiOf(core);
    connection.api.on('jobs.state', ({ job }) => states.push(job));
    ({ id: workspaceId } = await connection.api.workspaces.create({ workspace: postgresWorkspace('Fleet', DATABASE) }));
    await connection.api.access.justify({ workspaceId, scope: 'cross-tenant', reason: 'PERF-12: find the tenants without the case index' });
  }, 180_000);

  afterAll(async () => {
    connection?.close();
    await scratch?.end();
    await core?.close();
    await db?.drop();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it('groups all 50 tenants by plan shape: the 3 without the index form their own group, which differs from most', async () => {
    const job = await connection.api.explain.fleet({ workspaceId, engine: 'postgres', statement: QUERY, allTenants: true, concurrency: 4 });
    expect(job.kind).toBe('explain.fleet');
    expect((await settled(job.id)).state).toBe('succeeded');

    const result: FleetExplainResult = await connection.api.explain.fleetResult({ workspaceId, jobId: job.id });
    expect(result).toMatchObject({ state: 'succeeded', tenantsAsked: 50, tenantsExplained: 50, failed: [], slowest: [] });
    expect(result.groups.map((g) => [g.tenantIds.length, g.differsFromMost])).toEqual([[47, false], [3, true]]);
    const [usual, differing] = result.groups as [FleetExplainResult['groups'][number], FleetExplainResult['groups'][number]];
    expect(new Set(differing.tenantIds)).toEqual(new Set(WITHOUT_INDEX));
    expect(usual.headline).toContain('idx_cases_status_priority');
    expect(differing.headline).toMatch(/^Seq Scan on cases/);

    // Each group opens its plan: one of its tenants', with the advisor's tips for that tenant's schema.
    const opened = await connection.api.explain.plan({ workspaceId, planId: differing.planId });
    expect(WITHOUT_INDEX).toContain(opened.record.tenantId);
    expect(opened.plan.root.operation).toBe('Seq Scan');
    expect(opened.record).toMatchObject({ engine: 'postgres', analyzed: false, statement: QUERY });

    // The job's one audit entry names every tenant it explained in.
    const { entries } = await connection.api.audit.query({ workspaceId, action: 'jobs.explain.fleet', limit: 10 });
    const entry = entries.find((e) => e.details.jobId === job.id);
    expect(new Set(entry?.tenantIds)).toEqual(new Set(TENANTS));
  });

  it('shows a write’s estimated plan in every tenant even with analyze, and writes nothing', async () => {
    const tenants = TENANTS.slice(0, 5);
    const rows = async (): Promise<number> => {
      const sql = tenants.map((id) => `select count(*) as n from "${schemaOf(id)}".cases`).join(' union all ');
      const { rows: counts } = await scratch.query<{ n: string }>(sql);
      return counts.reduce((sum, row) => sum + Number(row.n), 0);
    };
    const before = await rows();
    const job = await connection.api.explain.fleet({ workspaceId, engine: 'postgres', statement: 'delete from cases', tenantIds: tenants, analyze: true, concurrency: 2 });
    expect((await settled(job.id)).state).toBe('succeeded');
    const result = await connection.api.explain.fleetResult({ workspaceId, jobId: job.id });
    expect(result.tenantsExplained).toBe(5);
    const plan = await connection.api.explain.plan({ workspaceId, planId: result.groups[0]!.planId });
    expect(plan.plan.analyzed).toBe(false);
    expect(plan.plan.notes).toContainEqual(expect.stringContaining('This statement writes'));
    expect(before).toBe(15_000);
    expect(await rows()).toBe(before);
  });

  it('records a tenant that fails and carries on with the others', async () => {
    const ghost = '7e57f1ee-0000-4000-8000-999999999999';
    const job = await connection.api.explain.fleet({ workspaceId, engine: 'postgres', statement: QUERY, tenantIds: [TENANTS[0]!, ghost, TENANTS[1]!], concurrency: 1 });
    expect((await settled(job.id)).state).toBe('succeeded');
    const result = await connection.api.explain.fleetResult({ workspaceId, jobId: job.id });
    expect(result.tenantsExplained).toBe(2);
    expect(result.failed).toEqual([{ tenantId: ghost, code: 'not_found', message: expect.stringContaining(`has no schema ${schemaOf(ghost)}`) }]);
    expect(result.groups.flatMap((g) => g.tenantIds).sort()).toEqual([TENANTS[0], TENANTS[1]].sort());
  });

  it('stops a cancelled fleet explain: no statement of it is left running and no further tenant is started', async () => {
    const job = await connection.api.explain.fleet({ workspaceId, engine: 'postgres', statement: 'select pg_sleep(30)', allTenants: true, analyze: true, concurrency: 2 });
    await until(() => activeStatements(db.admin, DATABASE, `tenantscope ${job.id}`).then((n) => n === 2), 20_000);
    // The result answers while the job runs, with what is done so far.
    expect(await connection.api.explain.fleetResult({ workspaceId, jobId: job.id })).toMatchObject({ state: 'running', tenantsAsked: 50, tenantsExplained: 0, groups: [] });
    await connection.api.jobs.cancel({ workspaceId, jobId: job.id });
    // The product promise: cancel stops the server's work within a second.
    await until(() => activeStatements(db.admin, DATABASE, `tenantscope ${job.id}`).then((n) => n === 0), 1_000);
    const done = await settled(job.id);
    expect(done.state).toBe('cancelled');
    const result = await connection.api.explain.fleetResult({ workspaceId, jobId: job.id });
    expect(result.state).toBe('cancelled');
    expect(result.tenantsExplained + result.failed.length).toBeLessThan(50);
    expect(await activeStatements(db.admin, DATABASE, `tenantscope ${job.id}`)).toBe(0);
  });

  it('refuses support a fleet explain, which reads across tenants', async () => {
    await connection.api.access.setOperator({ workspaceId, name: 'Sam', email: 'sam@example.com', role: 'support' });
    try {
      await expect(connection.api.explain.fleet({ workspaceId, engine: 'postgres', statement: QUERY, allTenants: true })).rejects.toMatchObject({ code: 'forbidden' });
    } finally {
      await connection.api.access.setOperator({ workspaceId, name: 'Ada', email: 'ada@example.com', role: 'platform_admin' });
    }
  });
});
