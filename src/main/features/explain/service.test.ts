import { describe, expect, it } from 'vitest';
import { AppError } from '@shared/errors';
import { postgresFixture } from '@shared/explain/fixtures.test-support';
import type { TenantScope } from '@shared/model/tenant-scope';
import { clientManagement, murima2025, type TenancyPreset } from '@shared/tenancy';
import type { PostgresFace } from '../../stores/postgres/face';
import { createExplainService, type ExplainStores } from './service';

const TENANT = '5f1c2a9e-7d34-4b8e-9a61-0c2f3e4d5a6b';
const SCHEMA = 'tenant_5f1c2a9e_7d34_4b8e_9a61_0c2f3e4d5a6b';
const context = { signal: new AbortController().signal };

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

function serviceOver(postgres: Pick<PostgresFace, 'explain'> | undefined, preset: TenancyPreset = murima2025) {
  const stores: ExplainStores = { preset, ...(postgres && { postgres }) };
  return createExplainService({ openStores: () => Promise.resolve(stores) });
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
});
