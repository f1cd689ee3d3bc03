import { describe, expect, it } from 'vitest';
import { murima2025 } from '@shared/tenancy';
import { createMongoIndexes, indexDescription, mongoIndexDifferences, tenantCollection, type IndexesMongo } from './mongo';

const tenant = '0f8fad5b-d9cb-469f-a165-70867728950e';

describe('MongoDB indexes by definition', () => {
  it('finds a TTL, key order and text weights that differ from the blueprint', () => {
    const ttl = { name: 'expires_at_1', key: [['expires_at', 1]] as Array<[string, 1]>, expireAfterSeconds: 86_400, source: 'x' };
    expect(mongoIndexDifferences(ttl, { key: [['expires_at', 1]], options: { expireAfterSeconds: 3600 } })).toEqual(['TTL 3600 instead of 86400']);
    const compound = { name: 'c', key: [['tenant_id', 1], ['status', 1]] as Array<[string, 1]>, source: 'x' };
    expect(mongoIndexDifferences(compound, { key: [['status', 1], ['tenant_id', 1]], options: {} })).toEqual(['key']);
    const text = { name: 't', key: [['title', 'text']] as Array<[string, 'text']>, weights: { title: 10 }, source: 'x' };
    expect(mongoIndexDifferences(text, { key: [['_fts', 'text'], ['_ftsx', 1]], options: { weights: { title: 1 } } })).toEqual(['weights']);
  });

  it('turns the contract’s spec into createIndexes options', () => {
    expect(
      indexDescription({ name: 'n', key: [['tenant_id', 1], ['title', 'text']], weights: { title: 5 }, defaultLanguage: 'english', collation: { locale: 'en', strength: 2 }, hidden: true, partialFilterExpression: { active: true } }),
    ).toEqual({ key: { tenant_id: 1, title: 'text' }, name: 'n', weights: { title: 5 }, default_language: 'english', collation: { locale: 'en', strength: 2 }, hidden: true, partialFilterExpression: { active: true } });
  });

  it('resolves a logical collection to the tenant’s own and refuses another tenant’s', () => {
    expect(tenantCollection(murima2025, 'db', tenant, 'ai_results_cache')).toEqual({ database: 'db', collection: `tenant_${tenant}_ai_results_cache` });
    expect(() => tenantCollection(murima2025, 'db', tenant, 'tenant_11111111-1111-4111-8111-111111111111_notes')).toThrow(/not a collection of tenant/);
  });

  it('lists indexes with $indexStats per node and drift against the blueprint', async () => {
    const calls: string[] = [];
    const face: IndexesMongo['face'] = {
      listIndexes: async (target) => {
        calls.push(`listIndexes ${target.collection}`);
        return [
          { v: 2, key: { _id: 1 }, name: '_id_' },
          { v: 2, key: { expires_at: 1 }, name: 'expires_at_1', expireAfterSeconds: 3600 },
          { v: 2, key: { note: 1 }, name: 'note_1', hidden: true },
        ];
      },
      aggregate: async (target, pipeline) => {
        calls.push(`aggregate ${target.collection} ${JSON.stringify(pipeline)}`);
        return [{ name: 'expires_at_1', host: 'm1:27017', accesses: { ops: 4, since: new Date('2026-12-01T00:00:00Z') } }];
      },
      createIndexes: async () => [],
      setIndexHidden: async () => undefined,
      dropIndex: async (target, name) => {
        calls.push(`dropIndex ${target.collection} ${name}`);
      },
      indexBuilds: async () => [],
      listCollectionNames: async () => [],
      indexUsage: async () => [],
    };
    const service = createMongoIndexes({ openStores: async () => ({ preset: murima2025, mongo: { face, database: 'db' } }), startJob: async () => { throw new Error('no jobs'); } });
    const view = await service.collection({ workspaceId: 'w', tenantId: tenant, collection: 'ai_results_cache' }, { signal: new AbortController().signal });
    expect(calls).toEqual([`listIndexes tenant_${tenant}_ai_results_cache`, `aggregate tenant_${tenant}_ai_results_cache [{"$indexStats":{}}]`]);
    expect(view.indexes.find((i) => i.name === 'expires_at_1')).toMatchObject({ prescribed: true, accesses: [{ host: 'm1:27017', ops: 4, since: '2026-12-01T00:00:00.000Z' }] });
    expect(view.indexes.find((i) => i.name === 'note_1')).toMatchObject({ hidden: true, prescribed: false });
    expect(view.drift).toEqual([
      { name: 'tenant_id_1_created_at_-1', change: 'missing', differences: [] },
      { name: 'tenant_id_1_service_type_1_input_hash_1', change: 'missing', differences: [] },
      { name: 'expires_at_1', change: 'different', differences: ['TTL 3600 instead of 0'] },
      { name: 'note_1', change: 'extra', differences: [] },
    ]);

    // A drop comes after the hide: a visible index is refused, a hidden one dropped, _id never.
    calls.length = 0;
    const drop = (index: string) => service.drop({ workspaceId: 'w', tenantId: tenant, collection: 'ai_results_cache', index }, { signal: new AbortController().signal });
    await expect(drop('expires_at_1')).rejects.toMatchObject({ code: 'conflict', message: expect.stringContaining('Hide expires_at_1 first') });
    await expect(drop('_id_')).rejects.toMatchObject({ code: 'invalid_argument' });
    await expect(drop('no_such')).rejects.toMatchObject({ code: 'not_found' });
    expect(await drop('note_1')).toEqual({ collection: `tenant_${tenant}_ai_results_cache`, index: 'note_1' });
    expect(calls.filter((c) => c.startsWith('dropIndex'))).toEqual([`dropIndex tenant_${tenant}_ai_results_cache note_1`]);
  });

  it('reads the fleet from every collection of the tenant database but the system ones, and groups it', async () => {
    const asked: string[][] = [];
    const face: IndexesMongo['face'] = {
      listIndexes: async () => [],
      aggregate: async () => [],
      createIndexes: async () => [],
      setIndexHidden: async () => undefined,
      dropIndex: async () => undefined,
      indexBuilds: async () => [],
      listCollectionNames: async () => [`tenant_${tenant}_case_notes`, 'system.views', 'tenant_11111111-1111-4111-8111-111111111111_case_notes'],
      indexUsage: async (_database, collections) => {
        asked.push([...collections]);
        return collections.map((collection, n) => ({
          collection,
          indexes: [{ name: 'tenant_id_1_case_id_1', key: [['tenant_id', 1], ['case_id', 1]], options: {}, sizeBytes: 4096, accesses: [{ host: 'm1:27017', shard: null, ops: n * 3, since: null }] }],
        }));
      },
    };
    const service = createMongoIndexes({ openStores: async () => ({ preset: murima2025, mongo: { face, database: 'db' } }), startJob: async () => { throw new Error('no jobs'); } });
    const view = await service.fleet({ workspaceId: 'w' }, { signal: new AbortController().signal });
    expect(asked).toEqual([[`tenant_${tenant}_case_notes`, 'tenant_11111111-1111-4111-8111-111111111111_case_notes']]);
    expect(view).toMatchObject({ database: 'db', collectionsRead: 2, tenantCollections: 2 });
    expect(view.rows).toEqual([expect.objectContaining({ collection: 'case_notes', collections: 2, sizeBytes: 8192, accesses: 3, usedIn: 1, neverUsedIn: 1 })]);
  });
});
