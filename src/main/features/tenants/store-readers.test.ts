import { describe, expect, it } from 'vitest';
import { elasticReaderOf, mongoReaderOf } from './store-readers';

describe('store readers of the tenant list', () => {
  it('reads collStats counts and sizes from the $collStats reply, unscoped, and skips views', async () => {
    const calls: unknown[] = [];
    const reader = mongoReaderOf({
      listCollections: async () => [
        { name: 'tenant_a_case_notes', type: 'collection' },
        { name: 'tenant_a_view', type: 'view' },
      ],
      aggregate: async (target, pipeline, scope) => {
        calls.push({ target, pipeline, scope });
        return [{ ns: 'db.tenant_a_case_notes', storageStats: { count: 12, size: 3400, storageSize: 8192 } }];
      },
    });
    expect(await reader.listCollectionNames('db', {})).toEqual(['tenant_a_case_notes']);
    expect(await reader.collectionStats('db', 'tenant_a_case_notes', {})).toEqual({ count: 12, size: 3400 });
    expect(calls).toEqual([{ target: { database: 'db', collection: 'tenant_a_case_notes' }, pipeline: [{ $collStats: { storageStats: {} } }], scope: undefined }]);
  });

  it('passes the index pattern to _cat/indices unscoped and keeps counts and bytes', async () => {
    const reader = elasticReaderOf({
      listIndices: async (pattern, scope) => {
        expect([pattern, scope]).toEqual(['tenant-*', undefined]);
        return [{ index: 'tenant-x-cases-2026-01', health: 'green', status: 'open', docsCount: 4, storeSizeBytes: 900 }];
      },
    });
    expect(await reader.catIndices('tenant-*', {})).toEqual([{ index: 'tenant-x-cases-2026-01', docsCount: 4, storeSizeBytes: 900 }]);
  });
});
