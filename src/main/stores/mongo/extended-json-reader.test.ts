import { ObjectId, type Document, type Filter } from 'mongodb';
import { describe, expect, it } from 'vitest';
import { extendedJsonReader } from './extended-json-reader';

describe('extendedJsonReader', () => {
  it('turns Extended JSON in a filter into driver values before the store sees it', async () => {
    const seen: Array<Filter<Document>> = [];
    const reader = extendedJsonReader({
      find: async (_target, filter) => {
        seen.push(filter ?? {});
        return [];
      },
    });
    const id = new ObjectId();
    await reader.find(
      { database: 'db', collection: 'clients' },
      { _id: { $oid: id.toHexString() }, createdAt: { $gte: { $date: '2025-01-01T00:00:00Z' } }, name: 'Acme' },
      { limit: 5 },
      { tenantId: 't1' },
      {},
    );
    const filter = seen[0] as { _id: unknown; createdAt: { $gte: unknown }; name: unknown };
    expect(filter._id).toBeInstanceOf(ObjectId);
    expect((filter._id as ObjectId).equals(id)).toBe(true);
    expect(filter.createdAt.$gte).toBeInstanceOf(Date);
    expect(filter.name).toBe('Acme');
  });
});
