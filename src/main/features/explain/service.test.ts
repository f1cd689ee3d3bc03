import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AppError } from '@shared/errors';
import { elasticFixture, mongoFixture, postgresFixture } from '@shared/explain/fixtures.test-support';
import { normalisePlan } from '@shared/explain';
import type { Job, JobSummary } from '@shared/model/job';
import type { TenantScope } from '@shared/model/tenant-scope';
import { clientManagement, murima2025, type TenancyPreset } from '@shared/tenancy';
import type { StartRequest } from '../../jobs';
import type { PostgresFace } from '../../stores/postgres/face';
import { FleetPlans } from './fleet-plans';
import { PlanStore } from './plan-store';
import { createExplainService, type ExplainStores } from './service';

const TENANT = '5f1c2a9e-7d34-4b8e-9a61-0c2f3e4d5a6b';
const OTHER = '0f8fad5b-d9cb-469f-a165-70867728950e';
const SCHEMA = 'tenant_5f1c2a9e_7d34_4b8e_9a61_0c2f3e4d5a6b';
const context = { signal: new AbortController().signal, session: { operator: { name: 'Ada' }, role: 'platform_admin' as const } };

type ExplainCall = Parameters<PostgresFace['explain']>;

/** Exactly what the service may use of PostgreSQL, answering with a plan captured from a real server. */
function fakePostgres(answer: { plan: unknown; analyzed: boolean; writes: boolean }): Pick<PostgresFace, 'explain'> & { calls: ExplainCall[] } {
  const calls: ExplainCall[] = [];
  return {
    calls,
    explain: (...call) => {
      calls.push(call);
      return Promise.resolve(answer);
    },
  };
}

/** The jobs room as the service uses it: starts are recorded, `get` answers the job asked for. */
function fakeJobs(jobs: Job[] = []) {
  const started: StartRequest[] = [];
  return {
    started,
    start: async (request: StartRequest): Promise<JobSummary> => {
      started.push(request);
      return { id: 'job_AAAAAAAAAAAAAAAAAAAA', kind: request.kind, workspaceId: request.workspaceId, state: 'queued' } as unknown as JobSummary;
    },
    get: (workspaceId: string, jobId: string): Job => {
      const job = jobs.find((j) => j.id === jobId && j.workspaceId === workspaceId);
      if (!job) throw new AppError('not_found', `no job ${jobId}`);
      return job;
    },
  };
}

function serviceOver(postgres: Pick<PostgresFace, 'explain'> | undefined, preset: TenancyPreset = murima2025, more: Partial<ExplainStores> = {}, jobs = fakeJobs(), roster: string[] = []) {
  const stores: ExplainStores = { preset, ...(postgres && { postgres }), ...more };
  const directory = mkdtempSync(join(tmpdir(), 'tenantscope-explain-unit-'));
  return createExplainService({
    openStores: () => Promise.resolve(stores),
    rosterOf: async () => ({ store: 'postgres', tenantIds: roster, refused: 0, truncated: false }),
    plans: new PlanStore(directory),
    fleets: new FleetPlans(directory),
    jobs,
  });
}

const run = { workspaceId: 'murima-dev', tenantId: TENANT, engine: 'postgres' as const, statement: "select * from cases where status = 'escalated'", analyze: true };

describe('explain service', () => {
  it('explains in the preset’s tenant scope and suggests the index with the tenant key first, in the tenant’s schema', async () => {
    const document = postgresFixture('seqScan');
    const postgres = fakePostgres({ plan: document, analyzed: true, writes: false });
    const result = await serviceOver(postgres).run(run, context);

    expect(postgres.calls).toHaveLength(1);
    const [statement, params, scope, options] = postgres.calls[0]!;
    expect(statement).toBe(run.statement);
    expect(params).toEqual([]);
    expect((scope as TenantScope).postgres).toEqual({ schema: SCHEMA, setting: 'app.current_tenant_id', tenantColumn: 'tenant_id' });
    expect(options).toMatchObject({ analyze: true, analyzeWrites: false, timeoutMs: 60_000 });

    expect(result.plan).toMatchObject({ engine: 'postgres', analyzed: true, root: { operation: 'Seq Scan', target: 'cases' } });
    const seqScan = result.tips.find((tip) => tip.rule === 'pg.seq-scan');
    expect(seqScan?.fix?.text).toMatch(new RegExp(`CREATE INDEX .* ON "?${SCHEMA}"?\\."?cases"? \\(\\s*"?tenant_id"?`, 'i'));
    expect(result.badges?.[result.plan.root.id]?.map((b) => b.kind)).toContain('time');
    expect(result.raw).toBe(document);
    expect(result.planId).toMatch(/^plan_/);
  });

  it('passes the call’s timeout and asks for a plain plan when analyze is off', async () => {
    const postgres = fakePostgres({ plan: postgresFixture('plainExplain'), analyzed: false, writes: false });
    const result = await serviceOver(postgres).run({ ...run, analyze: false, timeoutMs: 1500 }, context);
    expect(postgres.calls[0]?.[3]).toMatchObject({ analyze: false, timeoutMs: 1500 });
    expect(result.plan.analyzed).toBe(false);
    expect(result.plan.notes ?? []).not.toContainEqual(expect.stringContaining('This statement writes'));
  });

  it('says why a write asked for with analyze shows estimates, and analyses writes only through analyzeWrite', async () => {
    const estimate = fakePostgres({ plan: postgresFixture('plainExplain'), analyzed: false, writes: true });
    const told = await serviceOver(estimate).run({ ...run, statement: 'delete from cases' }, context);
    expect(estimate.calls[0]?.[3]).toMatchObject({ analyze: true, analyzeWrites: false });
    expect(told.plan.notes).toContainEqual(expect.stringContaining('This statement writes, so ANALYZE was not run'));

    const analysed = fakePostgres({ plan: postgresFixture('seqScan'), analyzed: true, writes: true });
    const { analyze: _analyze, ...writeArgs } = run;
    await serviceOver(analysed).analyzeWrite({ ...writeArgs, statement: 'delete from cases' }, context);
    expect(analysed.calls[0]?.[3]).toMatchObject({ analyze: true, analyzeWrites: true });
  });

  it('refuses a hostile tenant id before PostgreSQL is asked anything', async () => {
    const postgres = fakePostgres({ plan: postgresFixture('seqScan'), analyzed: true, writes: false });
    const service = serviceOver(postgres);
    for (const tenantId of ['x"; drop schema public cascade; --', '../other', `${TENANT}\n`]) {
      await expect(service.run({ ...run, tenantId }, context)).rejects.toMatchObject({ code: 'invalid_argument' });
    }
    expect(postgres.calls).toHaveLength(0);
  });

  it('refuses a preset without PostgreSQL tenants and a workspace without a PostgreSQL endpoint', async () => {
    const postgres = fakePostgres({ plan: postgresFixture('seqScan'), analyzed: true, writes: false });
    await expect(serviceOver(postgres, clientManagement).run({ ...run, tenantId: '652f1c2e9b1d4a0012ab34cd' }, context)).rejects.toMatchObject({ code: 'invalid_argument' });
    await expect(serviceOver(undefined).run(run, context)).rejects.toMatchObject({ code: 'unreachable' });
    expect(postgres.calls).toHaveLength(0);
  });

  it('reads a pasted plan with tips by the given tenant key, and names where a truncated one broke', async () => {
    const service = serviceOver(undefined);
    const pasted = JSON.stringify(postgresFixture('seqScan'));
    const result = await service.parse({ text: pasted, tenantKey: 'org_id' }, context);
    expect(result.plan.root.operation).toBe('Seq Scan');
    expect(result.tips.find((tip) => tip.rule === 'pg.seq-scan')?.fix?.text).toMatch(/\(\s*"?org_id"?/);

    const failure = await service.parse({ text: pasted.slice(0, 200) }, context).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(AppError);
    expect(failure).toMatchObject({ code: 'invalid_argument', message: expect.stringMatching(/line \d+/) });
  });

  it('keeps every run: history by fingerprint finds the same query with other literals, by tenant one tenant’s, and plan reads one back', async () => {
    const postgres = fakePostgres({ plan: postgresFixture('seqScan'), analyzed: true, writes: false });
    const service = serviceOver(postgres);
    const first = await service.run(run, context);
    const second = await service.run({ ...run, statement: "SELECT *  FROM cases WHERE status = 'open'" }, context);
    await service.run({ ...run, tenantId: OTHER, statement: 'select count(*) from cases' }, context);

    const same = await service.history({ workspaceId: run.workspaceId, fingerprint: run.statement, limit: 100 }, context);
    expect(same.plans.map((p) => p.id)).toEqual([second.planId, first.planId]);
    expect(same.plans[0]).toMatchObject({ operator: 'Ada', tenantId: TENANT, engine: 'postgres', analyzed: true, fingerprint: 'select * from cases where status = ?', headline: 'Seq Scan on cases' });
    // The record's fingerprint finds the same plans as the statement did.
    expect((await service.history({ workspaceId: run.workspaceId, fingerprint: same.plans[0]!.fingerprint, limit: 100 }, context)).plans).toHaveLength(2);
    expect((await service.history({ workspaceId: run.workspaceId, tenantId: OTHER, limit: 100 }, context)).plans.map((p) => p.statement)).toEqual(['select count(*) from cases']);
    expect((await service.history({ workspaceId: run.workspaceId, limit: 1 }, context)).plans).toHaveLength(1);

    const back = await service.plan({ workspaceId: run.workspaceId, planId: first.planId! }, context);
    expect(back.record.id).toBe(first.planId);
    expect(back.plan).toEqual(first.plan);
    expect(back.tips.map((t) => t.rule)).toEqual(first.tips.map((t) => t.rule));
    expect(back.tips.find((tip) => tip.rule === 'pg.seq-scan')?.fix?.text).toContain(SCHEMA);
    expect(back.badges).toEqual(first.badges);
    await expect(service.plan({ workspaceId: 'elsewhere', planId: first.planId! }, context)).rejects.toMatchObject({ code: 'not_found' });
  });

  it('keeps the note that a write was not analysed with the plan', async () => {
    const service = serviceOver(fakePostgres({ plan: postgresFixture('plainExplain'), analyzed: false, writes: true }));
    const told = await service.run({ ...run, statement: 'delete from cases' }, context);
    const back = await service.plan({ workspaceId: run.workspaceId, planId: told.planId! }, context);
    expect(back.plan.notes).toContainEqual(expect.stringContaining('This statement writes'));
  });

  it('explains a MongoDB find on the tenant database’s collection in the tenant’s scope, and keeps it', async () => {
    const calls: unknown[][] = [];
    const explainer = {
      explainUser: async (...call: unknown[]) => {
        calls.push(call);
        return mongoFixture('findCollscan');
      },
    };
    const service = serviceOver(undefined, murima2025, { mongo: { explainer, database: 'murima2025' } });
    const args = { ...run, engine: 'mongo' as const, statement: '{"status": "open"}', collection: 'case_notes', operation: 'find' as const };
    const result = await service.run(args, context);
    const [target, request, scope] = calls[0] as [unknown, unknown, TenantScope];
    expect(target).toEqual({ database: 'murima2025', collection: 'case_notes' });
    expect(request).toEqual({ operation: 'find', text: '{"status": "open"}' });
    expect(scope.tenantId).toBe(TENANT);
    expect(result.plan.engine).toBe('mongo');
    expect(result.tips.map((t) => t.rule)).toContain('mongo.collscan');
    const [record] = (await service.history({ workspaceId: run.workspaceId, limit: 10 }, context)).plans;
    expect(record).toMatchObject({ engine: 'mongo', fingerprint: 'find case_notes {"status":"?"}' });
    expect((await service.plan({ workspaceId: run.workspaceId, planId: result.planId! }, context)).plan.engine).toBe('mongo');
  });

  it('profiles an Elasticsearch search on the named index in the tenant’s scope', async () => {
    const calls: unknown[][] = [];
    const elastic = {
      profileUser: async (...call: unknown[]) => {
        calls.push(call);
        return elasticFixture('profileWildcard');
      },
    };
    const service = serviceOver(undefined, murima2025, { elastic });
    const result = await service.run({ ...run, engine: 'elastic', statement: '{"query": {"wildcard": {"title": "*x"}}}', index: 'cases-*' }, context);
    expect(calls[0]?.[0]).toBe('cases-*');
    expect((calls[0]?.[2] as TenantScope).elastic?.indexPattern).toBe(`tenant-${TENANT}-*`);
    expect(result.plan.engine).toBe('elastic');
    expect(result.planId).toBeDefined();
  });

  it('asks each engine for what it needs: collection and operation for MongoDB, index for Elasticsearch; writes are analysed on PostgreSQL only', async () => {
    const explainer = { explainUser: async () => mongoFixture('findCollscan') };
    const service = serviceOver(undefined, murima2025, { mongo: { explainer, database: 'murima2025' }, elastic: { profileUser: async () => elasticFixture('profileMatch') } });
    await expect(service.run({ ...run, engine: 'mongo', statement: '{}', operation: 'find' }, context)).rejects.toMatchObject({ code: 'invalid_argument', message: expect.stringMatching(/collection/) });
    await expect(service.run({ ...run, engine: 'mongo', statement: '{}', collection: 'cases' }, context)).rejects.toMatchObject({ code: 'invalid_argument', message: expect.stringMatching(/find or aggregate/) });
    await expect(service.run({ ...run, engine: 'elastic', statement: '{}' }, context)).rejects.toMatchObject({ code: 'invalid_argument', message: expect.stringMatching(/index/) });
    const { analyze: _analyze, ...writeArgs } = run;
    await expect(service.analyzeWrite({ ...writeArgs, engine: 'mongo', statement: '{}', collection: 'cases', operation: 'find' }, context)).rejects.toMatchObject({ code: 'invalid_argument' });
    // A workspace whose store cannot explain says so.
    await expect(serviceOver(undefined).run({ ...run, engine: 'elastic', statement: '{}', index: 'cases' }, context)).rejects.toMatchObject({ code: 'unreachable' });
  });

  it('starts a fleet explain as a job naming every tenant: the roster’s for all tenants, the given ones checked first', async () => {
    const jobs = fakeJobs();
    const service = serviceOver(fakePostgres({ plan: postgresFixture('seqScan'), analyzed: true, writes: false }), murima2025, {}, jobs, [TENANT, OTHER]);
    await service.fleet({ workspaceId: 'w', engine: 'postgres', statement: 'select 1', allTenants: true, analyze: false, concurrency: 4 }, context);
    expect(jobs.started[0]).toMatchObject({ workspaceId: 'w', kind: 'explain.fleet', params: { tenantIds: [TENANT, OTHER], allTenants: true, operator: 'Ada' } });

    await service.fleet({ workspaceId: 'w', engine: 'postgres', statement: 'select 1', tenantIds: [TENANT, TENANT], analyze: true, concurrency: 2 }, context);
    expect(jobs.started[1]?.params).toMatchObject({ tenantIds: [TENANT], allTenants: false, analyze: true, concurrency: 2 });

    await expect(service.fleet({ workspaceId: 'w', engine: 'postgres', statement: 'select 1', tenantIds: ['not-a-uuid'], analyze: false, concurrency: 1 }, context)).rejects.toMatchObject({ code: 'invalid_argument' });
    const empty = serviceOver(fakePostgres({ plan: postgresFixture('seqScan'), analyzed: true, writes: false }), murima2025, {}, fakeJobs(), []);
    await expect(empty.fleet({ workspaceId: 'w', engine: 'postgres', statement: 'select 1', allTenants: true, analyze: false, concurrency: 1 }, context)).rejects.toMatchObject({ code: 'not_found' });
    expect(jobs.started).toHaveLength(2);
  });

  it('answers fleetResult only for a fleet explain', async () => {
    const other = { id: 'job_BBBBBBBBBBBBBBBBBBBB', workspaceId: 'w', kind: 'demo.sleep', state: 'succeeded', params: {} } as unknown as Job;
    const queued = { id: 'job_CCCCCCCCCCCCCCCCCCCC', workspaceId: 'w', kind: 'explain.fleet', state: 'queued', params: { statement: 'select 1', tenantIds: [TENANT] } } as unknown as Job;
    const pruned = { ...queued, id: 'job_DDDDDDDDDDDDDDDDDDDD', state: 'succeeded' } as Job;
    const service = serviceOver(undefined, murima2025, {}, fakeJobs([other, queued, pruned]));
    await expect(service.fleetResult({ workspaceId: 'w', jobId: pruned.id }, context)).rejects.toMatchObject({ code: 'not_found', message: expect.stringMatching(/no longer kept/) });
    await expect(service.fleetResult({ workspaceId: 'w', jobId: other.id }, context)).rejects.toMatchObject({ code: 'not_found' });
    expect(await service.fleetResult({ workspaceId: 'w', jobId: queued.id }, context)).toEqual({
      jobId: queued.id, state: 'queued', statement: 'select 1', tenantsAsked: 1, tenantsExplained: 0, groups: [], slowest: [], failed: [],
    });
  });
});

describe('the plan as it crosses to the renderer', () => {
  it('carries the engine document once: not on the plan, not on its nodes', async () => {
    const { explainedPlan } = await import('./service');
    const document = postgresFixture('manyPartitions');
    const plan = normalisePlan(document);
    const explained = explainedPlan(plan, document, { tenantKey: 'tenant_id' });
    expect(explained.raw).toBe(document);
    expect(explained.plan.raw).toBeUndefined();
    expect(explained.plan.root.children).toHaveLength(2000);
    expect(explained.plan.root.children.every((node) => node.raw === undefined)).toBe(true);
    // The advisor read the full plan before it was slimmed; the caller's plan is left as it was.
    expect(explained.tips.length).toBeGreaterThan(0);
    expect(plan.root.children[0]!.raw).toBeDefined();
    const wire = JSON.stringify(explained).length;
    const once = JSON.stringify(document).length;
    // Before: the document three times over plus the normalised fields (about 4.2× the document).
    expect(wire).toBeLessThan(once * 2.5);
    expect(JSON.stringify({ ...explained, plan }).length).toBeGreaterThan(once * 3);
  });
});
