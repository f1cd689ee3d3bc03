import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MongoClient } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { murima2025 } from '@shared/tenancy';
import { FleetPlans } from '../../src/main/features/explain/fleet-plans';
import { PlanStore } from '../../src/main/features/explain/plan-store';
import { createExplainService, type ExplainService, type MongoExplainer } from '../../src/main/features/explain/service';
import { MongoStore } from '../../src/main/stores/mongo/store';
import { announceSkip, mongoSkipReason, mongoUrl } from '../support/external-stores';
import { mongoEndpointFrom } from '../support/mongo-endpoint';

/** explainUser lands on the MongoDB store with the workbench; until then this suite says so. */
const explainerOf = (store: MongoStore): MongoExplainer | undefined =>
  typeof (store as unknown as Partial<MongoExplainer>).explainUser === 'function' ? (store as unknown as MongoExplainer) : undefined;
const probe = mongoUrl ? explainerOf(new MongoStore(mongoEndpointFrom(mongoUrl).endpoint, {})) : undefined;
const skipReason = mongoSkipReason ?? (probe ? undefined : 'the MongoDB store has no explainUser yet');
announceSkip('Explain of MongoDB finds in the tenant’s collection', skipReason);

/**
 * A Murima2025 tenant's `tenant_<id>_case_notes`: explain('executionStats') of a find runs on the
 * tenant's own collection, is a COLLSCAN without an index and an IXSCAN with the tenant-first one,
 * and both plans are kept under one fingerprint.
 */
describe.skipIf(skipReason !== undefined)('Explain of MongoDB finds in the tenant’s collection', () => {
  const tenant = randomUUID();
  const database = `tenantscope_explain_it_${process.pid}`;
  let admin: MongoClient;
  let store: MongoStore;
  let service: ExplainService;
  let dataDir: string;
  const context = { signal: new AbortController().signal, session: { operator: { name: 'Ada' }, role: 'platform_admin' as const } };
  const find = (status: string) => ({ workspaceId: 'w', tenantId: tenant, engine: 'mongo' as const, statement: JSON.stringify({ status }), collection: 'case_notes', operation: 'find' as const, analyze: true });

  beforeAll(async () => {
    admin = new MongoClient(mongoUrl ?? '');
    await admin.connect();
    await admin.db(database).collection(`tenant_${tenant}_case_notes`).insertMany(
      Array.from({ length: 500 }, (_, n) => ({ tenant_id: tenant, status: n % 50 === 0 ? 'open' : 'closed', n })),
    );
    const { endpoint, password } = mongoEndpointFrom(mongoUrl ?? '');
    store = new MongoStore(endpoint, { password });
    await store.connect();
    dataDir = await mkdtemp(join(tmpdir(), 'tenantscope-explain-mongo-'));
    const explainer = explainerOf(store) as MongoExplainer;
    service = createExplainService({
      openStores: async () => ({ preset: murima2025, mongo: { explainer, database } }),
      rosterOf: async () => ({ store: 'mongo', tenantIds: [tenant], refused: 0, truncated: false }),
      plans: new PlanStore(join(dataDir, 'plans')),
      fleets: new FleetPlans(join(dataDir, 'plans')),
      jobs: { start: async () => Promise.reject(new Error('no jobs here')), get: () => { throw new Error('no jobs here'); } },
    });
  }, 60_000);

  afterAll(async () => {
    await admin?.db(database).dropDatabase();
    await admin?.close();
    await store?.close();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it('finds a COLLSCAN, then an IXSCAN once the tenant-first index exists, and keeps both under one fingerprint', async () => {
    const before = await service.run(find('open'), context);
    expect(before.plan.engine).toBe('mongo');
    expect(JSON.stringify(before.plan.root)).toContain('COLLSCAN');
    expect(before.tips.map((tip) => tip.rule)).toContain('mongo.collscan');

    await admin.db(database).collection(`tenant_${tenant}_case_notes`).createIndex({ tenant_id: 1, status: 1 });
    const after = await service.run(find('closed'), context);
    expect(JSON.stringify(after.plan.root)).toContain('IXSCAN');

    const { plans } = await service.history({ workspaceId: 'w', fingerprint: 'find case_notes {"status":"?"}', limit: 10 }, context);
    expect(plans.map((p) => p.id)).toEqual([after.planId, before.planId]);
  });
});
