import { describe, expect, it } from 'vitest';
import { clientManagement, murima2025, tenantCollectionName, type MongoIndex } from '@shared/tenancy';
import { fromExtendedJson } from '../stores/mongo/extended-json';
import { generateClientManagementTenant } from './client-management-seed';
import { mongoForDemo, mongoIndexSpec } from './mongo-adapter';
import { demoWindow, seedDemoPlatform } from './seed';

const murimaIndex = (collection: string, name: string): MongoIndex =>
  murima2025.blueprint.mongo!.collections.find((c) => c.name === collection)!.indexes.find((i) => i.name === name)!;

/** Stands in for MongoStore: records what the adapter sends it. Real inserts run where MONGO_URL is set. */
function recorder() {
  const inserts: Array<{ database: string; collection: string; documents: ReadonlyArray<Record<string, unknown>> }> = [];
  const indexes: Array<{ database: string; collection: string; specs: unknown[] }> = [];
  const store = {
    insertExtendedJson: async (target: { database: string; collection: string }, documents: ReadonlyArray<Record<string, unknown>>) => {
      inserts.push({ ...target, documents });
      return { insertedCount: documents.length };
    },
    createIndexes: async (target: { database: string; collection: string }, specs: readonly unknown[]) => {
      indexes.push({ ...target, specs: [...specs] });
      return [];
    },
  };
  return { inserts, indexes, store };
}

describe('blueprint MongoDB indexes as driver index descriptions', () => {
  it('a TTL index keeps expireAfterSeconds 0 on its date field', () => {
    const spec = mongoIndexSpec(murimaIndex('ai_results_cache', 'expires_at_1'));
    expect(spec).toEqual({ name: 'expires_at_1', key: new Map([['expires_at', 1]]), expireAfterSeconds: 0 });
  });

  it('a unique compound index keeps its key order and uniqueness', () => {
    const spec = mongoIndexSpec(murimaIndex('ai_results_cache', 'tenant_id_1_service_type_1_input_hash_1'));
    expect([...(spec.key as Map<string, unknown>)]).toEqual([['tenant_id', 1], ['service_type', 1], ['input_hash', 1]]);
    expect(spec.unique).toBe(true);
    expect(spec).not.toHaveProperty('expireAfterSeconds');
  });

  it('keeps key order even for field names a plain object would reorder', () => {
    const spec = mongoIndexSpec({ name: 'odd', key: [['b', 1], ['10', -1], ['2', 1]], source: 'test' });
    expect([...(spec.key as Map<string, unknown>)].map(([field]) => field)).toEqual(['b', '10', '2']);
  });

  it('a text index carries its language and weights under the server’s option names', () => {
    const spec = mongoIndexSpec(murimaIndex('case_notes', 'text_index'));
    expect(spec).toEqual({ name: 'text_index', key: new Map([['content', 'text']]), default_language: 'english', weights: { content: 1 } });
  });

  it('a tenant-prefixed compound text index keeps the equality prefix first', () => {
    const clients = clientManagement.blueprint.mongo!.collections.find((c) => c.name === 'clients')!;
    const spec = mongoIndexSpec(clients.indexes.find((i) => i.name === 'clients_text')!);
    expect([...(spec.key as Map<string, unknown>)][0]).toEqual(['tenantId', 1]);
    expect([...(spec.key as Map<string, unknown>)].slice(1).every(([, v]) => v === 'text')).toBe(true);
  });

  it('a partial filter is read as Extended JSON: dates and ObjectIds become driver values', () => {
    const spec = mongoIndexSpec({
      name: 'open_recent',
      key: [['tenantId', 1], ['createdAt', -1]],
      partialFilterExpression: { status: 'open', createdAt: { $gte: { $date: '2025-01-01T00:00:00.000Z' } }, owner: { $oid: '64b7f0c2a1b2c3d4e5f60718' } },
      source: 'test',
    });
    const filter = spec.partialFilterExpression as { status: string; createdAt: { $gte: unknown }; owner: { toHexString(): string } };
    expect(filter.status).toBe('open');
    expect(filter.createdAt.$gte).toEqual(new Date('2025-01-01T00:00:00.000Z'));
    expect(filter.owner.toHexString()).toBe('64b7f0c2a1b2c3d4e5f60718');
  });
});

describe('seeding through the MongoDB demo adapter', () => {
  it('inserts in chunks and counts what the store inserted', async () => {
    const { inserts, store } = recorder();
    const documents = Array.from({ length: 12_001 }, (_, i) => ({ n: i }));
    expect(await mongoForDemo(store).insertMany('db', 'c', documents)).toBe(12_001);
    expect(inserts.map((i) => i.documents.length)).toEqual([5000, 5000, 2001]);
    expect(inserts.flatMap((i) => i.documents)).toEqual(documents);
  });

  it('Murima2025: every tenant collection gets the blueprint’s indexes, and the documents go in as Extended JSON', async () => {
    const { inserts, indexes, store } = recorder();
    const summary = await seedDemoPlatform({ mongo: mongoForDemo(store) }, { preset: 'murima2025', tenants: 2, seed: 'mongo-unit', until: '2025-06' });
    const layout = murima2025.layout.mongo!;
    const collections = murima2025.blueprint.mongo!.collections;
    expect(indexes.map((i) => `${i.database}.${i.collection}`).sort()).toEqual(
      summary.tenantIds.flatMap((id) => collections.map((c) => `murima2025.${tenantCollectionName(layout, id, c.name)}`)).sort(),
    );
    const cache = indexes.find((i) => i.collection.endsWith('_ai_results_cache'))!;
    expect(cache.specs).toEqual(collections.find((c) => c.name === 'ai_results_cache')!.indexes.map(mongoIndexSpec));
    expect(inserts.reduce((n, i) => n + i.documents.length, 0)).toBe(summary.mongo!.documents);
    // No Date objects reach the store: every date is written as { $date }.
    const json = JSON.stringify(inserts.flatMap((i) => i.documents));
    expect(json).toContain('{"$date":"');
    expect(inserts.flatMap((i) => i.documents).every((d) => !Object.values(d).some((v) => v instanceof Date))).toBe(true);
    // …and every document is Extended JSON the store can read.
    const read = inserts.flatMap((i) => i.documents).map(fromExtendedJson);
    expect(read.some((d) => Object.values(d).some((v) => v instanceof Date))).toBe(true);
  });

  it('Client Management: indexes in the customer, shared and admin databases, tenant documents with ObjectId tenant ids', async () => {
    const { inserts, indexes, store } = recorder();
    const window = demoWindow('2025-06');
    const summary = await seedDemoPlatform({ mongo: mongoForDemo(store) }, { preset: 'client-management', tenants: 3, seed: 'cm-unit', until: '2025-06' });
    const collections = clientManagement.blueprint.mongo!.collections;
    expect(indexes).toHaveLength(collections.length);
    expect(new Set(indexes.map((i) => i.database))).toEqual(new Set(['insightserenity_customer_dev', 'insightserenity_shared_dev', 'insightserenity_admin_dev']));
    const clients = inserts.filter((i) => i.collection === 'clients').flatMap((i) => i.documents);
    const expected = [0, 1, 2].flatMap((i) => generateClientManagementTenant('cm-unit', i, window).docs.clients!);
    expect(clients).toEqual(expected);
    expect(clients[0]!.tenantId).toEqual({ $oid: summary.tenantIds[0] });
    const read = fromExtendedJson(clients[0]!);
    expect((read.tenantId as { toHexString(): string }).toHexString()).toBe(summary.tenantIds[0]);
    expect(read.createdAt).toBeInstanceOf(Date);
    expect(() => inserts.flatMap((i) => i.documents).forEach(fromExtendedJson)).not.toThrow();
  });
});
