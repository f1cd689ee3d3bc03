import { randomUUID } from 'node:crypto';
import { MongoClient } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MongoEndpoint } from '@shared/model/workspace';
import { murima2025 } from '@shared/tenancy';
import { createMongoIndexes, mongoBuildKind, type IndexesMongo } from '../../src/main/features/indexes/mongo';
import { MongoStore } from '../../src/main/stores/mongo/store';
import { announceSkip, mongoSkipReason, mongoUrl } from '../support/external-stores';

announceSkip('MongoDB indexes: createIndexes options, $indexStats, hide and drift', mongoSkipReason);

/**
 * A Murima2025 tenant's `tenant_<id>_ai_results_cache` on a real MongoDB: a TTL that differs from
 * the blueprint is found by definition, `createIndexes` takes every option the contract offers,
 * hide and unhide flip the flag the server keeps, and `$indexStats` counts a use.
 */
describe.skipIf(!mongoUrl)('MongoDB indexes: createIndexes options, $indexStats, hide and drift', () => {
  const tenant = randomUUID();
  const database = `tenantscope_indexes_it_${process.pid}`;
  const collection = `tenant_${tenant}_ai_results_cache`;
  let admin: MongoClient;
  let store: MongoStore;
  let mongo: IndexesMongo;
  const signal = new AbortController().signal;
  const indexes = () => createMongoIndexes({ openStores: async () => ({ preset: murima2025, mongo }), startJob: async () => Promise.reject(new Error('no jobs here')) });

  beforeAll(async () => {
    admin = new MongoClient(mongoUrl ?? '');
    await admin.connect();
    const docs = admin.db(database).collection(collection);
    await docs.insertMany([
      { tenant_id: tenant, service_type: 'summary', input_hash: 'a', title: 'Refund for a double charge', status: 'done', expires_at: new Date() },
      { tenant_id: tenant, service_type: 'summary', input_hash: 'b', title: 'Password reset', status: 'open', expires_at: new Date() },
    ]);
    await docs.createIndex({ expires_at: 1 }, { name: 'expires_at_1', expireAfterSeconds: 3600 });
    const parsed = new URL(mongoUrl ?? '');
    store = new MongoStore(
      MongoEndpoint.parse({ hosts: parsed.host, srv: parsed.protocol === 'mongodb+srv:', ...(parsed.username ? { username: decodeURIComponent(parsed.username), authSource: 'admin' } : {}) }),
      { password: parsed.password ? decodeURIComponent(parsed.password) : undefined },
    );
    await store.connect();
    mongo = { face: store, database };
  });

  afterAll(async () => {
    await admin?.db(database).dropDatabase();
    await Promise.all([store?.close(), admin?.close()]);
  });

  it('finds the TTL that differs from the blueprint and the missing unique index', async () => {
    const view = await indexes().collection({ workspaceId: 'w', tenantId: tenant, collection: 'ai_results_cache' }, { signal });
    expect(view.collection).toBe(collection);
    expect(view.drift).toEqual(
      expect.arrayContaining([
        { name: 'expires_at_1', change: 'different', differences: ['TTL 3600 instead of 0'] },
        { name: 'tenant_id_1_service_type_1_input_hash_1', change: 'missing', differences: [] },
      ]),
    );
  });

  it('builds with compound, unique, partial, collation and hidden options, and a text index with weights', async () => {
    const kind = mongoBuildKind(async () => ({ preset: murima2025, mongo }));
    const phases: string[] = [];
    const context = { jobId: 'job_indexesmongotest0001', signal, stores: { preset: murima2025, mongo }, progress: (_d: number, _t: number | null, phase: string) => phases.push(phase), log: () => undefined };
    await kind.run(
      kind.params.parse({
        tenantId: tenant,
        collection: 'ai_results_cache',
        index: { name: 'by_status', key: [['tenant_id', 1], ['status', -1]], unique: true, partialFilterExpression: { status: { $exists: true } }, collation: { locale: 'en', strength: 2 }, hidden: true },
      }),
      context,
    );
    await kind.run(kind.params.parse({ tenantId: tenant, collection: 'ai_results_cache', index: { name: 'by_title', key: [['title', 'text']], weights: { title: 7 }, defaultLanguage: 'english' } }), context);
    expect(phases.at(-1)).toBe('done');
    const listed = await admin.db(database).collection(collection).listIndexes().toArray();
    expect(listed.find((i) => i.name === 'by_status')).toMatchObject({ key: { tenant_id: 1, status: -1 }, unique: true, hidden: true, partialFilterExpression: { status: { $exists: true } }, collation: { locale: 'en', strength: 2 } });
    expect(listed.find((i) => i.name === 'by_title')).toMatchObject({ weights: { title: 7 }, default_language: 'english' });
  });

  it('unhides and hides an index, and $indexStats counts a use', async () => {
    const service = indexes();
    await service.hide({ workspaceId: 'w', tenantId: tenant, collection: 'ai_results_cache', index: 'by_status', hidden: false }, { signal });
    let listed = await admin.db(database).collection(collection).listIndexes().toArray();
    expect(listed.find((i) => i.name === 'by_status')?.hidden ?? false).toBe(false);
    await admin.db(database).collection(collection).find({ tenant_id: tenant, status: 'open' }).collation({ locale: 'en', strength: 2 }).hint('by_status').toArray();
    const view = await service.collection({ workspaceId: 'w', tenantId: tenant, collection: 'ai_results_cache' }, { signal });
    expect(view.indexes.find((i) => i.name === 'by_status')?.accesses.reduce((sum, a) => sum + a.ops, 0)).toBeGreaterThan(0);
    await service.hide({ workspaceId: 'w', tenantId: tenant, collection: 'ai_results_cache', index: 'by_status', hidden: true }, { signal });
    listed = await admin.db(database).collection(collection).listIndexes().toArray();
    expect(listed.find((i) => i.name === 'by_status')?.hidden).toBe(true);
    // Hidden, it may be dropped; a visible one may not.
    await expect(service.drop({ workspaceId: 'w', tenantId: tenant, collection: 'ai_results_cache', index: 'by_title' }, { signal })).rejects.toMatchObject({ code: 'conflict' });
    await service.drop({ workspaceId: 'w', tenantId: tenant, collection: 'ai_results_cache', index: 'by_status' }, { signal });
    listed = await admin.db(database).collection(collection).listIndexes().toArray();
    expect(listed.map((i) => i.name)).not.toContain('by_status');
    expect(listed.map((i) => i.name)).toContain('by_title');
  });

  it('makes one fleet row of an index across tenant-prefixed collections, with sizes summed and accesses split by tenant', async () => {
    const others = [randomUUID(), randomUUID()];
    for (const id of others) {
      const docs = admin.db(database).collection(`tenant_${id}_ai_results_cache`);
      await docs.insertOne({ tenant_id: id, service_type: 'summary', input_hash: 'x', expires_at: new Date() });
      await docs.createIndex({ expires_at: 1 }, { name: 'expires_at_1', expireAfterSeconds: 0 });
    }
    // Only the first of the two is queried through the index.
    await admin.db(database).collection(`tenant_${others[0]}_ai_results_cache`).find({ expires_at: { $gt: new Date(0) } }).hint('expires_at_1').toArray();
    const view = await indexes().fleet({ workspaceId: 'w' }, { signal });
    expect(view.tenantCollections).toBe(3);
    const ttl = view.rows.find((r) => r.collection === 'ai_results_cache' && r.name === 'expires_at_1');
    expect(ttl).toMatchObject({ layout: 'per-tenant', prescribed: true, collections: 3 });
    const sizes = await Promise.all(
      [tenant, ...others].map(async (id) => ((await admin.db(database).collection(`tenant_${id}_ai_results_cache`).aggregate([{ $collStats: { storageStats: {} } }]).toArray())[0]?.storageStats as { indexSizes: Record<string, number> }).indexSizes.expires_at_1 ?? 0),
    );
    expect(ttl?.sizeBytes).toBe(sizes.reduce((a, b) => a + b, 0));
    expect(ttl?.topTenants.map((t) => t.tenantId)).toContain(others[0]);
    expect(ttl?.topTenants.map((t) => t.tenantId)).not.toContain(others[1]);
    expect((ttl?.usedIn ?? 0) + (ttl?.neverUsedIn ?? 0)).toBe(3);
  });
});
