import { MongoClient } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseTenantScope } from '../../src/shared/model/tenant-scope';
import { MongoStore } from '../../src/main/stores/mongo/store';
import type { UserQueryPart } from '../../src/main/stores/user-query';
import { announceSkip, mongoSkipReason, mongoUrl } from '../support/external-stores';
import { mongoEndpointFrom } from '../support/mongo-endpoint';
import { errorOf, waitFor } from './stores/postgres-helpers';

announceSkip('The MongoDB workbench against a real MongoDB', mongoSkipReason);

async function drain(parts: AsyncGenerator<UserQueryPart>): Promise<UserQueryPart[]> {
  const all: UserQueryPart[] = [];
  for await (const part of parts) all.push(part);
  return all;
}

function documentsOf(parts: UserQueryPart[]): Record<string, unknown>[] {
  return parts.flatMap((p) => (p.kind === 'documents' ? p.documents : []));
}

describe.skipIf(!mongoUrl)('The MongoDB workbench against a real MongoDB', () => {
  const database = `tenantscope_workbench_${process.pid}`;
  const field = parseTenantScope({ tenantId: 'acme01', mongo: { mode: 'field', field: 'tenantId', valueType: 'string', collections: ['cases', 'clients'] } });
  const prefixed = parseTenantScope({ tenantId: 'acme01', mongo: { mode: 'collection-prefix', collectionPrefix: 'tenant_acme01_' } });
  const cases = { database, collection: 'cases' };
  let store: MongoStore;
  let prod: MongoStore;
  let admin: MongoClient;

  beforeAll(async () => {
    const { endpoint, password } = mongoEndpointFrom(mongoUrl ?? '');
    store = new MongoStore(endpoint, { password });
    prod = new MongoStore(endpoint, { password }, { readOnly: true });
    admin = new MongoClient(mongoUrl ?? '');
    await admin.connect();
    const db = admin.db(database);
    await db.collection('cases').insertMany([
      ...Array.from({ length: 25 }, (_, i) => ({ n: i, tenantId: 'acme01', clientId: 'c1', openedAt: new Date(Date.UTC(2025, 0, 1 + i)) })),
      ...Array.from({ length: 5 }, (_, i) => ({ n: i, tenantId: 'other02', clientId: 'c1' })),
    ]);
    await db.collection<{ _id: string; name: string; tenantId: string }>('clients').insertMany([{ _id: 'c1', name: 'Acme client', tenantId: 'acme01' }, { _id: 'c2', name: 'Other client', tenantId: 'other02' }]);
    await db.collection('platform_users').insertOne({ email: 'root@example.com' });
    await db.collection('tenant_acme01_notes').insertMany([{ text: 'mine' }]);
    await db.collection('tenant_other02_notes').insertMany([{ text: 'theirs' }]);
    await db.collection('slow').insertMany(Array.from({ length: 3000 }, (_, i) => ({ n: i, tenantId: 'acme01' })));
  });

  afterAll(async () => {
    await admin?.db(database).dropDatabase();
    await Promise.all([store?.close(), prod?.close(), admin?.close()]);
  });

  it('streams the tenant’s documents only, in batches, as relaxed Extended JSON, and says where the limit cut', async () => {
    const parts = await drain(store.runUser(cases, { operation: 'find', text: '{}', options: '{ "sort": { "n": 1 } }' }, field, { rowLimit: 20, write: false, batchSize: 8 }));
    expect(parts.map((p) => (p.kind === 'documents' ? p.documents.length : p.kind))).toEqual([8, 8, 4, 'truncated']);
    const documents = documentsOf(parts);
    expect(new Set(documents.map((d) => d.tenantId))).toEqual(new Set(['acme01']));
    expect(documents[0]).toMatchObject({ _id: { $oid: expect.stringMatching(/^[0-9a-f]{24}$/) as string }, openedAt: { $date: '2025-01-01T00:00:00Z' } });
  });

  it('answers nothing for a filter naming another tenant', async () => {
    expect(documentsOf(await drain(store.runUser(cases, { operation: 'find', text: '{ "tenantId": "other02" }' }, field, { rowLimit: 100, write: false })))).toEqual([]);
  });

  it('a $lookup sees the tenant’s documents of the other collection only', async () => {
    const text = JSON.stringify([{ $match: { n: 0 } }, { $lookup: { from: 'clients', pipeline: [], as: 'all' } }]);
    const [document] = documentsOf(await drain(store.runUser(cases, { operation: 'aggregate', text }, field, { rowLimit: 10, write: false })));
    expect((document?.all as Array<{ name: string }>).map((c) => c.name)).toEqual(['Acme client']);
  });

  it('refuses each way out before it is sent', async () => {
    const escapes: Array<[{ operation: 'find' | 'aggregate'; text: string }, string]> = [
      [{ operation: 'aggregate', text: '[{ "$lookup": { "from": "platform_users", "pipeline": [], "as": "u" } }]' }, 'forbidden'],
      [{ operation: 'aggregate', text: '[{ "$unionWith": "platform_users" }]' }, 'forbidden'],
      [{ operation: 'aggregate', text: '[{ "$collStats": { "count": {} } }]' }, 'forbidden'],
      [{ operation: 'aggregate', text: '[{ "$currentOp": {} }]' }, 'forbidden'],
      [{ operation: 'find', text: '{ "$where": "true" }' }, 'forbidden'],
      [{ operation: 'aggregate', text: '[{ "$out": "stolen" }]' }, 'read_only'],
    ];
    for (const [request, code] of escapes) expect(await errorOf(drain(store.runUser(cases, request, field, { rowLimit: 10, write: false }))), request.text).toMatchObject({ code });
    expect(await errorOf(drain(store.runUser({ database, collection: 'tenant_other02_notes' }, { operation: 'find', text: '{}' }, prefixed, { rowLimit: 10, write: false })))).toMatchObject({ code: 'forbidden' });
    expect(await admin.db(database).listCollections({ name: 'stolen' }).toArray()).toEqual([]);
  });

  it('writes with $out into the tenant’s own collection only when asked, and never on a read-only store', async () => {
    const notes = { database, collection: 'notes' };
    expect(await errorOf(drain(prod.runUser(notes, { operation: 'aggregate', text: '[{ "$out": "copy" }]' }, prefixed, { rowLimit: 10, write: true })))).toMatchObject({ code: 'read_only' });
    const parts = await drain(store.runUser(notes, { operation: 'aggregate', text: '[{ "$out": "copy" }]' }, prefixed, { rowLimit: 10, write: true }));
    expect(parts.at(-1)).toMatchObject({ kind: 'notice' });
    expect(await admin.db(database).collection('tenant_acme01_copy').countDocuments()).toBe(1);
  });

  it('refuses Extended JSON that does not parse with the server never asked', async () => {
    expect(await errorOf(drain(store.runUser(cases, { operation: 'find', text: '{ "n": ' }, field, { rowLimit: 10, write: false })))).toMatchObject({ code: 'invalid_argument' });
  });

  it('passes the server’s own refusal of a bad operator as invalid_argument', async () => {
    expect(await errorOf(drain(store.runUser(cases, { operation: 'find', text: '{ "n": { "$nope": 1 } }' }, field, { rowLimit: 10, write: false })))).toMatchObject({ code: 'invalid_argument' });
  });

  it('stops the server work on cancel', async () => {
    const slow = { database, collection: 'slow' };
    const scope = parseTenantScope({ tenantId: 'acme01', mongo: { mode: 'field', field: 'tenantId', valueType: 'string' } });
    const heavy = JSON.stringify([{ $match: { $expr: { $gt: [{ $size: { $range: [0, 300_000] } }, { $add: ['$n', 400_000] }] } } }]);
    const controller = new AbortController();
    const running = errorOf(drain(store.runUser(slow, { operation: 'aggregate', text: heavy }, scope, { rowLimit: 10, write: false, signal: controller.signal })));
    const active = async (): Promise<number> => ((await admin.db('admin').command({ currentOp: 1, active: true, ns: `${database}.slow` })).inprog as unknown[]).length;
    await waitFor(async () => (await active()) > 0, 5_000);
    controller.abort();
    expect(await running).toMatchObject({ code: 'cancelled' });
    expect(await waitFor(async () => (await active()) === 0, 5_000)).toBe(true);
  });

  it('explains the scoped find with executionStats', async () => {
    const plan = (await store.explainUser(cases, { operation: 'find', text: '{ "n": { "$lt": 5 } }' }, field)) as { executionStats?: { nReturned?: number } };
    expect(plan.executionStats?.nReturned).toBe(5);
  });

  it('lists the tenant’s collections and samples a collection’s fields', async () => {
    const names = (await store.userCatalog(database, prefixed)).map((c) => c.name);
    expect(names).toContain('notes');
    expect(names.filter((name) => name.includes('other02') || name.startsWith('tenant_'))).toEqual([]);
    const [entry] = await store.userCatalog(database, field, 'cases');
    expect(entry?.sampled).toBe(25);
    expect(entry?.fields).toEqual(expect.arrayContaining([{ name: 'openedAt', type: 'date' }, { name: 'tenantId', type: 'string' }]));
  });
});
