import { describe, expect, it } from 'vitest';
import type { MongoFace } from './face';
import { collectionStats, listCollectionNames } from './catalog';

describe('the catalog reads of the tenant list', () => {
  it('reads collStats counts and sizes from the $collStats reply, unscoped, and skips views', async () => {
    const calls: unknown[] = [];
    const store: Pick<MongoFace, 'listCollections' | 'aggregate'> = {
      listCollections: async () => [
        { name: 'tenant_a_case_notes', type: 'collection' },
        { name: 'tenant_a_view', type: 'view' },
      ],
      aggregate: async (target, pipeline, scope) => {
        calls.push({ target, pipeline, scope });
        return [{ ns: 'db.tenant_a_case_notes', storageStats: { count: 12, size: 3400, storageSize: 8192 } }];
      },
    };
    expect(await listCollectionNames(store, 'db', {})).toEqual(['tenant_a_case_notes']);
    expect(await collectionStats(store, { database: 'db', collection: 'tenant_a_case_notes' }, {})).toEqual({ count: 12, size: 3400 });
    expect(calls).toEqual([{ target: { database: 'db', collection: 'tenant_a_case_notes' }, pipeline: [{ $collStats: { storageStats: {} } }], scope: undefined }]);
  });
});
