import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AppError } from '@shared/errors';
import { postgresFixture } from '@shared/explain/fixtures.test-support';
import type { TenantScope } from '@shared/model/tenant-scope';
import { murima2025 } from '@shared/tenancy';
import type { JobContext } from '../../jobs';
import type { PostgresFace } from '../../stores/postgres/face';
import { FleetParams, fleetExplainKind, type FleetStores } from './fleet-kind';
import { FleetPlans, isFleetPlanId } from './fleet-plans';

const JOB = 'job_FLEETFLEETFLEET00001';
const tenants = Array.from({ length: 12 }, (_, n) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`);

/** PostgreSQL answering per tenant schema: an index scan, a seq scan where the index is missing, or an error. */
function fakePostgres(seqScanIn: Set<string>, failIn: Set<string>, gate?: Promise<void>) {
  const calls: Array<{ sql: string; tenantId: string }> = [];
  let running = 0;
  let mostAtOnce = 0;
  const postgres: FleetStores['postgres'] = {
    explain: async (sql, _params, scope) => {
      const tenantId = (scope as TenantScope).tenantId;
      calls.push({ sql, tenantId });
      running += 1;
      mostAtOnce = Math.max(mostAtOnce, running);
      try {
        await (gate ?? Promise.resolve());
        if (failIn.has(tenantId)) throw new AppError('not_found', 'relation "cases" does not exist');
        return { plan: postgresFixture(seqScanIn.has(tenantId) ? 'seqScan' : 'indexScan'), analyzed: true, writes: false };
      } finally {
        running -= 1;
      }
    },
    query: (async () => ({ columns: [], rows: [[0]], rowCount: 1, command: 'SELECT' })) as Pick<PostgresFace, 'query'>['query'],
  };
  return { postgres, calls, mostAtOnce: () => mostAtOnce };
}

function contextFor(stores: FleetStores, controller = new AbortController()) {
  const progress: Array<[number, number | null, string]> = [];
  const log: string[] = [];
  const context: JobContext<FleetStores> = {
    jobId: JOB,
    signal: controller.signal,
    stores,
    progress: (done, total, phase) => progress.push([done, total, phase]),
    log: (line) => log.push(line),
  };
  return { context, progress, log, controller };
}

describe('fleet explain job', () => {
  it('explains every tenant at the given concurrency, keeps the plans, records failures and groups the rest by shape', async () => {
    const directory = await mkdtemp(join(tmpdir(), 'tenantscope-fleet-'));
    const fleets = new FleetPlans(directory);
    const missing = new Set(tenants.slice(0, 3));
    const broken = new Set([tenants[5]!]);
    const pg = fakePostgres(missing, broken);
    const stores: FleetStores = { workspaceId: 'w', preset: murima2025, postgres: pg.postgres };
    const kind = fleetExplainKind({ fleets, openStores: async () => stores });
    const params = FleetParams.parse({ statement: "select * from cases where status = 'open'", tenantIds: tenants, analyze: true, concurrency: 3, operator: 'Ada' });
    expect(kind.describe(params)).toMatchObject({ tenantIds: tenants, title: expect.stringContaining('12 tenants') });
    const many = Array.from({ length: 1_001 }, (_, n) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`);
    expect(kind.describe(FleetParams.parse({ statement: 'select 1', tenantIds: many, allTenants: true })).tenantIds).toEqual(['*']);
    const { context, progress, log } = contextFor(stores);

    const result = await kind.run(params, context);
    expect(result).toMatchObject({ tenants: 12, explained: 11, failed: 1, shapes: 2, differing: 3 });
    expect(pg.mostAtOnce()).toBe(3);
    expect(new Set(pg.calls.map((call) => call.sql))).toEqual(new Set([`/* tenantscope ${JOB} */ select * from cases where status = 'open'`]));
    expect(progress.at(-1)).toEqual([12, 12, 'explained 12 of 12, 1 failed']);
    expect(log.some((line) => line.startsWith(`${tenants[5]}: not_found`))).toBe(true);

    const grouping = await fleets.grouping('w', JOB);
    expect(grouping?.groups.map((g) => [g.differsFromMost, g.tenantIds.length])).toEqual([[false, 8], [true, 3]]);
    expect(new Set(grouping?.groups[1]?.tenantIds)).toEqual(missing);
    expect(grouping?.groups[1]?.headline).toMatch(/Seq Scan on cases/);
    expect(grouping?.failed).toEqual([{ tenantId: tenants[5], code: 'not_found', message: 'relation "cases" does not exist' }]);
    expect(grouping?.slowest.length).toBeGreaterThan(0);
    // Each group opens its plan, which is the plan of one of its tenants.
    const planId = grouping!.groups[1]!.planId;
    expect(isFleetPlanId(planId)).toBe(true);
    const kept = await fleets.read('w', planId);
    expect(missing.has(kept.record.tenantId!)).toBe(true);
    expect(kept.record).toMatchObject({ operator: 'Ada', fingerprint: 'select * from cases where status = ?' });

    // The grouping survives the console: a new FleetPlans reads the stored one.
    expect(await new FleetPlans(directory).grouping('w', JOB)).toEqual(grouping);
  });

  it('stops starting tenants once cancelled and keeps what was done', async () => {
    const directory = await mkdtemp(join(tmpdir(), 'tenantscope-fleet-'));
    const fleets = new FleetPlans(directory);
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const pg = fakePostgres(new Set(), new Set(), gate);
    const stores: FleetStores = { workspaceId: 'w', preset: murima2025, postgres: pg.postgres };
    const kind = fleetExplainKind({ fleets, openStores: async () => stores });
    const { context, controller } = contextFor(stores);
    const running = kind.run(FleetParams.parse({ statement: 'select 1', tenantIds: tenants, concurrency: 2 }), context);
    while (pg.calls.length < 2) await new Promise((resolve) => setImmediate(resolve));
    controller.abort();
    release();
    await expect(running).rejects.toMatchObject({ code: 'cancelled' });
    expect(pg.calls).toHaveLength(2);
    // The two explains in flight when cancel came were kept, and read back after a restart.
    expect((await new FleetPlans(directory).grouping('w', JOB))?.tenantsExplained).toBe(2);
  });

  it('cancels, after a crash, only the explains that carry the job’s tag', async () => {
    const queries: Array<{ sql: string; params: readonly unknown[] }> = [];
    const stores: FleetStores = {
      workspaceId: 'w',
      preset: murima2025,
      postgres: {
        explain: async () => {
          throw new Error('not called');
        },
        query: (async (sql: string, params: readonly unknown[] = []) => {
          queries.push({ sql, params });
          return { columns: [], rows: [[1]], rowCount: 1, command: 'SELECT' };
        }) as Pick<PostgresFace, 'query'>['query'],
      },
    };
    const kind = fleetExplainKind({ fleets: new FleetPlans(await mkdtemp(join(tmpdir(), 'tenantscope-fleet-'))), openStores: async () => stores });
    const log: string[] = [];
    await kind.afterInterruption!(FleetParams.parse({ statement: 'select 1', tenantIds: tenants }), { jobId: JOB, signal: new AbortController().signal, stores, log: (line) => log.push(line) });
    expect(queries).toHaveLength(1);
    expect(queries[0]?.sql).toMatch(/pg_cancel_backend/);
    expect(queries[0]?.params).toEqual([`/* tenantscope ${JOB} */`]);
    expect(log).toEqual(['cancelled 1 explain(s) still running on PostgreSQL.']);
  });
});
