import { MongoClient } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseTenantScope } from '../../../src/shared/model/tenant-scope';
import { MongoStore } from '../../../src/main/stores/mongo/store';
import { announceSkip, mongoSkipReason, mongoUrl } from '../../support/external-stores';
import { mongoEndpointFrom } from '../../support/mongo-endpoint';
import { errorOf, waitFor } from './postgres-helpers';

announceSkip('MongoStore against a real MongoDB', mongoSkipReason);

describe.skipIf(!mongoUrl)('MongoStore against a real MongoDB', () => {
  const database = `tenantscope_store_test_${process.pid}`;
  const acme = parseTenantScope({ tenantId: 'acme01', mongo: { mode: 'field', field: 'tenantId', valueType: 'string', collections: ['clients'] } });
  let store: MongoStore;
  let prod: MongoStore;
  let admin: MongoClient;

  beforeAll(async () => {
    const { endpoint, password } = mongoEndpointFrom(mongoUrl ?? '');
    store = new MongoStore(endpoint, { password });
    prod = new MongoStore(endpoint, { password }, { readOnly: true });
    admin = new MongoClient(mongoUrl ?? '');
    await admin.connect();
    await admin.db(database).collection('clients').insertMany([
      { name: 'a1', tenantId: 'acme01' },
      { name: 'a2', tenantId: 'acme01' },
      { name: 'o1', tenantId: 'other02' },
    ]);
  });

  afterAll(async () => {
    await admin?.db(database).dropDatabase();
    await Promise.all([store?.close(), prod?.close(), admin?.close()]);
  });

  it('connects and reports the server version', async () => {
    const status = await store.connect();
    expect(status.state).toBe('connected');
    expect(status.serverVersion).toMatch(/^\d+\./);
  });

  it('finds, counts and aggregates only the tenant documents', async () => {
    const found = await store.find({ database, collection: 'clients' }, { $or: [{ name: 'o1' }, { name: 'a1' }] }, {}, acme);
    expect(found.map((d) => d.name)).toEqual(['a1']);
    expect(await store.countDocuments({ database, collection: 'clients' }, {}, acme)).toBe(2);
    const grouped = await store.aggregate({ database, collection: 'clients' }, [{ $group: { _id: '$tenantId', n: { $sum: 1 } } }], acme);
    expect(grouped).toEqual([{ _id: 'acme01', n: 2 }]);
  });

  it('inserts with the tenant stamped, and creates indexes', async () => {
    expect(await store.insertMany({ database, collection: 'clients' }, [{ name: 'a3' }], acme)).toEqual({ insertedCount: 1 });
    expect(await admin.db(database).collection('clients').countDocuments({ name: 'a3', tenantId: 'acme01' })).toBe(1);
    const names = await store.createIndexes({ database, collection: 'clients' }, [{ key: { tenantId: 1, name: 1 }, name: 'tenant_name' }]);
    expect(names).toEqual(['tenant_name']);
  });

  it('a prod store refuses writes and nothing was written', async () => {
    const before = await admin.db(database).collection('clients').countDocuments();
    expect(await errorOf(prod.insertMany({ database, collection: 'clients' }, [{ name: 'x' }]))).toMatchObject({ code: 'read_only' });
    expect(await admin.db(database).collection('clients').countDocuments()).toBe(before);
  });

  it('kills a slow find on the server when it is cancelled', async () => {
    const controller = new AbortController();
    const slow = store.find({ database, collection: 'clients' }, { $where: 'sleep(1000) || true' }, {}, undefined, { signal: controller.signal });
    const running = async (): Promise<number> => {
      const ops = await admin.db('admin').command({ currentOp: 1, active: true, ns: `${database}.clients` });
      return (ops.inprog as unknown[]).length;
    };
    await waitFor(async () => (await running()) > 0, 3000);
    controller.abort();
    expect(await errorOf(slow)).toMatchObject({ code: 'cancelled' });
    expect(await waitFor(async () => (await running()) === 0, 2000)).toBe(true);
  });

  it('maps maxTimeMS expiry to timeout', async () => {
    expect(await errorOf(store.find({ database, collection: 'clients' }, { $where: 'sleep(1000) || true' }, {}, undefined, { timeoutMs: 200 }))).toMatchObject({ code: 'timeout' });
  });
});
