import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { contract } from '@shared/contract';
import type { ExplainedPlan } from '@shared/contract/explain';
import { AppError } from '@shared/errors';
import { walkPlan, type PlanNode } from '@shared/explain';
import type { Session } from '@shared/model/session';
import type { WorkspaceView } from '@shared/model/workspace';
import { createConsole, type ConsoleCore } from '../../src/main/core/console';
import { createScratchDatabase } from './tenants-fixtures';

/**
 * Explain through the console's router, as the workbench calls it, against a real PostgreSQL with
 * two Murima2025-style tenant schemas: only tenant A has a `tickets` table.
 */
const DATABASE = 'explain_it';
const TENANT_A = '0a1b2c3d-0000-4000-8000-00000000000a';
const TENANT_B = '0a1b2c3d-0000-4000-8000-00000000000b';
const SCHEMA_A = 'tenant_0a1b2c3d_0000_4000_8000_00000000000a';
const SCHEMA_B = 'tenant_0a1b2c3d_0000_4000_8000_00000000000b';

describe('explain through the console router', () => {
  let core: ConsoleCore;
  let dataDir: string;
  let db: { pool: pg.Pool; drop(): Promise<void> };
  let session: Session;
  let dev: string;
  let prod: string;
  const call = <T>(method: string, args: unknown): Promise<T> => core.router.invoke(method, args, session) as Promise<T>;
  const failureOf = (work: Promise<unknown>): Promise<AppError> =>
    work.then(
      () => {
        throw new Error('expected a refusal');
      },
      (error: unknown) => error as AppError,
    );
  const ticketCount = async (): Promise<number> => (await db.pool.query<{ n: number }>(`select count(*)::int as n from "${SCHEMA_A}".tickets`)).rows[0]!.n;
  const nodesOf = (plan: ExplainedPlan['plan']): PlanNode[] => {
    const nodes: PlanNode[] = [];
    walkPlan(plan.root, (node) => nodes.push(node));
    return nodes;
  };
  const explainArgs = (workspaceId: string, statement: string, tenantId = TENANT_A) => ({ workspaceId, tenantId, engine: 'postgres', statement });

  beforeAll(async () => {
    const server = inject('postgres');
    db = await createScratchDatabase(server.url, DATABASE);
    await db.pool.query(`
      create schema "${SCHEMA_A}"; create schema "${SCHEMA_B}";
      create table "${SCHEMA_A}".tickets (id serial primary key, tenant_id uuid not null, status text not null);
      insert into "${SCHEMA_A}".tickets (tenant_id, status) select '${TENANT_A}', case when n % 50 = 0 then 'open' else 'closed' end from generate_series(1, 20000) n;
      analyze "${SCHEMA_A}".tickets;`);
    dataDir = await mkdtemp(join(tmpdir(), 'tenantscope-explain-'));
    core = await createConsole({ dataDir, mode: 'web', version: 'test' });
    session = core.newSession('renderer-1');
    const endpoints = { postgres: { host: server.host, port: server.port, database: DATABASE, username: server.user, password: server.password } };
    dev = (await call<WorkspaceView>('workspaces.create', { workspace: { name: 'Explain dev', environment: 'dev', preset: 'murima2025', endpoints } })).id;
    prod = (await call<WorkspaceView>('workspaces.create', { workspace: { name: 'Explain prod', environment: 'prod', preset: 'murima2025', endpoints } })).id;
  }, 120_000);

  afterAll(async () => {
    await core?.close();
    await db?.drop();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it('runs EXPLAIN ANALYZE in the tenant’s schema: the plan names the tenant’s table, which no other tenant has', async () => {
    const result = contract.explain.run.result.parse(await call('explain.run', explainArgs(dev, "select * from tickets where status = 'open'")));
    expect(result.plan.analyzed).toBe(true);
    // Without VERBOSE the server names no schema; the 400 open rows are tenant A's own.
    expect(nodesOf(result.plan).find((node) => node.target === 'tickets')).toMatchObject({ operation: 'Seq Scan', rowsActual: 400 });
    expect(result.tips.find((tip) => tip.rule === 'pg.seq-scan')?.fix?.text).toContain(`ON "${SCHEMA_A}"."tickets" ("tenant_id", "status")`);

    const elsewhere = await failureOf(call('explain.run', explainArgs(dev, "select * from tickets where status = 'open'", TENANT_B)));
    expect(elsewhere.code).toBe('not_found');
    expect(elsewhere.message).toMatch(/tickets/);
  });

  it('shows a write’s estimated plan unless its ANALYZE is asked for, and then runs it in a transaction that is rolled back', async () => {
    const before = await ticketCount();
    const insert = explainArgs(dev, "insert into tickets (tenant_id, status) select tenant_id, 'copy' from tickets");
    const estimated = contract.explain.run.result.parse(await call('explain.run', insert));
    expect(estimated.plan.analyzed).toBe(false);
    expect(estimated.plan.notes).toContainEqual(expect.stringContaining('This statement writes'));

    // A CTE holding a DELETE is a write too, as the server plans it.
    const cte = contract.explain.run.result.parse(await call('explain.run', explainArgs(dev, 'with gone as (delete from tickets returning id) select count(*) from gone')));
    expect(cte.plan.analyzed).toBe(false);

    const analysed = contract.explain.analyzeWrite.result.parse(await call('explain.analyzeWrite', insert));
    expect(analysed.plan.analyzed).toBe(true);
    expect(analysed.plan.root.operation).toMatch(/Insert/);
    expect(nodesOf(analysed.plan).find((node) => node.operation === 'Seq Scan')?.rowsActual).toBe(before);
    expect(await ticketCount()).toBe(before);
  });

  it('analyses a write on prod only under an unlock, rolled back; reads stay READ ONLY', async () => {
    const before = await ticketCount();
    const remove = explainArgs(prod, 'delete from tickets');
    expect(await failureOf(call('explain.analyzeWrite', remove))).toMatchObject({ code: 'read_only' });
    await call('access.justify', { workspaceId: prod, scope: 'prod-unlock', reason: 'CHG-7: measure the cleanup delete' });
    const analysed = contract.explain.analyzeWrite.result.parse(await call('explain.analyzeWrite', remove));
    expect(analysed.plan.root.operation).toMatch(/Delete/);
    expect(nodesOf(analysed.plan).find((node) => node.operation === 'Seq Scan')?.rowsActual).toBe(before);
    expect(await ticketCount()).toBe(before);
    // Reads are still explained, with ANALYZE, in prod's READ ONLY transaction.
    const read = contract.explain.run.result.parse(await call('explain.run', explainArgs(prod, 'select count(*) from tickets')));
    expect(read.plan.analyzed).toBe(true);
    expect(await ticketCount()).toBe(before);
  });

  it('refuses support the ANALYZE of a write by policy, while its plain plan stays open to a justified tenant', async () => {
    await call('access.setOperator', { workspaceId: dev, name: 'Sam', email: 'sam@example.com', role: 'support' });
    try {
      await call('access.justify', { workspaceId: dev, scope: 'tenant', tenantId: TENANT_A, reason: 'SUP-3: slow ticket list' });
      expect(await failureOf(call('explain.analyzeWrite', explainArgs(dev, 'delete from tickets')))).toMatchObject({ code: 'forbidden' });
      const plan = contract.explain.run.result.parse(await call('explain.run', explainArgs(dev, 'delete from tickets')));
      expect(plan.plan.analyzed).toBe(false);
    } finally {
      await call('access.setOperator', { workspaceId: dev, name: 'Ada', email: 'ada@example.com', role: 'platform_admin' });
    }
  });

  it('gives a statement that does not parse invalid_argument with the server’s message and its position in the statement', async () => {
    const statement = 'select id\nfrom tickets\nwhere status = = 1';
    const failure = await failureOf(call('explain.run', explainArgs(dev, statement)));
    expect(failure.code).toBe('invalid_argument');
    expect(failure.message).toMatch(/syntax error at or near "="/);
    expect(failure.message).toContain('line 3, column 16');
    expect(failure.details).toMatchObject({ sqlState: '42601', position: String(statement.lastIndexOf('=') + 1) });

    const two = await failureOf(call('explain.run', explainArgs(dev, 'select 1; select 2')));
    expect(two.code).toBe('invalid_argument');
    // One statement with its closing semicolon, as an editor holds it, is fine.
    expect((await call<ExplainedPlan>('explain.run', explainArgs(dev, 'select count(*) from tickets;'))).plan.analyzed).toBe(true);
  });

  it('refuses a hostile tenant id before anything reaches PostgreSQL', async () => {
    for (const tenantId of [`${TENANT_A}"; drop schema public cascade; --`, '../public', '']) {
      expect(await failureOf(call('explain.run', explainArgs(dev, 'select 1', tenantId)))).toMatchObject({ code: 'invalid_argument' });
    }
    expect(await ticketCount()).toBeGreaterThan(0);
  });

  it('keeps each plan: two runs of one query with other literals are listed by its fingerprint, newest first, and read back', async () => {
    const first = contract.explain.run.result.parse(await call('explain.run', explainArgs(dev, "select * from tickets where status = 'open'")));
    const second = contract.explain.run.result.parse(await call('explain.run', explainArgs(dev, "SELECT *\n  FROM tickets WHERE status = 'closed'")));
    await call('explain.run', explainArgs(dev, 'select count(*) from tickets'));
    expect(first.planId).toBeDefined();
    expect(second.planId).not.toBe(first.planId);

    const history = contract.explain.history.result.parse(
      await call('explain.history', { workspaceId: dev, fingerprint: "select * from tickets where status = 'resolved'", tenantId: TENANT_A }),
    );
    expect(history.plans.slice(0, 2).map((p) => p.id)).toEqual([second.planId, first.planId]);
    expect(history.plans.every((p) => p.fingerprint === 'select * from tickets where status = ?')).toBe(true);
    expect(history.plans[0]).toMatchObject({ tenantId: TENANT_A, engine: 'postgres', analyzed: true, headline: 'Seq Scan on tickets' });
    expect(history.plans[0]!.totalTimeMs).toBeGreaterThan(0);

    for (const run of [first, second]) {
      const back = contract.explain.plan.result.parse(await call('explain.plan', { workspaceId: dev, planId: run.planId }));
      expect(back.record.id).toBe(run.planId);
      expect(back.plan.root).toMatchObject({ operation: run.plan.root.operation, rowsActual: run.plan.root.rowsActual });
      expect(back.tips).toEqual(run.tips);
    }
    // The selective query's tip, read back, still names the tenant's schema and the tenant key first.
    const kept = contract.explain.plan.result.parse(await call('explain.plan', { workspaceId: dev, planId: first.planId }));
    expect(kept.tips.find((tip) => tip.rule === 'pg.seq-scan')?.fix?.text).toContain(`ON "${SCHEMA_A}"."tickets" ("tenant_id", "status")`);
    // Another workspace keeps its own plans.
    expect(await failureOf(call('explain.plan', { workspaceId: prod, planId: first.planId }))).toMatchObject({ code: 'not_found' });
  });
});
