import { BSON, ObjectId } from 'mongodb';
import { describe, expect, it } from 'vitest';
import { MongoEndpoint } from '@shared/model/workspace';
import { generateClientManagementTenant } from '../../demo/client-management-seed';
import { demoWindow } from '../../demo/seed';
import { fromExtendedJson } from './extended-json';
import { MongoStore } from './store';

describe('Extended JSON into driver values', () => {
  it('turns $oid into ObjectIds and $date into Dates, nested and in arrays, and leaves plain values alone', () => {
    const doc = fromExtendedJson({
      _id: { $oid: '64b7f0c2a1b2c3d4e5f60718' },
      createdAt: { $date: '2025-03-04T05:06:07.000Z' },
      nested: { participants: [{ $oid: '64b7f0c2a1b2c3d4e5f60719' }], when: { $date: { $numberLong: '0' } } },
      name: 'Acme',
      count: 3,
      revenue: 90_000_000_000,
      score: 0.25,
      tags: ['a', 'b'],
    });
    expect(doc._id).toBeInstanceOf(ObjectId);
    expect((doc._id as ObjectId).toHexString()).toBe('64b7f0c2a1b2c3d4e5f60718');
    expect(doc.createdAt).toEqual(new Date('2025-03-04T05:06:07.000Z'));
    expect((doc.nested.participants as unknown[])[0]).toBeInstanceOf(ObjectId);
    expect(doc.nested.when).toEqual(new Date(0));
    // Numbers stay plain numbers (the driver stores them as int32 or double), not Long/Int32 wrappers.
    expect([doc.count, doc.revenue, doc.score]).toEqual([3, 90_000_000_000, 0.25]);
    expect(doc).toMatchObject({ name: 'Acme', tags: ['a', 'b'] });
  });

  it('refuses malformed Extended JSON with invalid_argument', () => {
    expect(() => fromExtendedJson({ _id: { $oid: 'not-hex' } })).toThrow(expect.objectContaining({ code: 'invalid_argument' }));
    expect(() => fromExtendedJson({ at: { $date: 'yesterday-ish' } })).toThrow(expect.objectContaining({ code: 'invalid_argument' }));
    expect(() => fromExtendedJson({ n: { $numberLong: 'x' } })).toThrow(expect.objectContaining({ code: 'invalid_argument' }));
  });

  it('reads every generated demo document exactly as BSON.EJSON does', () => {
    const window = demoWindow('2025-06');
    const docs = [
      ...[0, 1, 2].flatMap((i) => Object.values(generateClientManagementTenant('ejson', i, window).docs).flat()),
      { n: { $numberLong: '9007199254740993' }, d: { $date: { $numberLong: '1700000000000' } }, f: { $gte: { $date: '2025-01-01T00:00:00Z' } } },
    ];
    expect(docs.length).toBeGreaterThan(100);
    for (const doc of docs) {
      const fast = fromExtendedJson(doc);
      const reference = BSON.EJSON.deserialize(doc, { relaxed: true }) as Record<string, unknown>;
      expect(Buffer.from(BSON.serialize(fast)).equals(Buffer.from(BSON.serialize(reference)))).toBe(true);
    }
  });

  it('keeps a __proto__ key as a field, never as the prototype', () => {
    const doc = fromExtendedJson(JSON.parse('{"a":{"__proto__":{"polluted":true}}}') as Record<string, unknown>);
    expect(Object.getPrototypeOf(doc.a)).toBe(Object.prototype);
    expect(Object.keys(doc.a as object)).toEqual(['__proto__']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('a read-only store refuses an Extended JSON insert before connecting', async () => {
    const store = new MongoStore(MongoEndpoint.parse({ hosts: '127.0.0.1:9', poolSize: 1 }), {}, { readOnly: true, connectTimeoutMs: 200 });
    try {
      await expect(store.insertExtendedJson({ database: 'd', collection: 'c' }, [{ a: 1 }])).rejects.toMatchObject({ code: 'read_only' });
      expect(store.status()).toMatchObject({ state: 'down', reason: 'not connected yet' });
    } finally {
      await store.close();
    }
  });
});
