import { ObjectId, type Document, type MongoClient } from 'mongodb';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { MongoEndpoint } from '@shared/model/workspace';
import { clientManagement, murima2025, scopeFor } from '@shared/tenancy';
import { MongoStore } from './store';

/** What reached the driver: one entry per `find`, as the store handed it over. */
const sent: Array<{ database: string; collection: string; filter: Document; options: Document }> = [];
/** Pipelines that reached the driver, with what the recording server answers them. */
const pipelines: Array<{ collection: string; pipeline: Document[] }> = [];
let answer: Document[] = [];

/**
 * A driver client recording what the store sends, in the driver's own shapes: there is no MongoDB
 * server on this machine, and what matters here is the filter the store builds, not the answer.
 */
function recordingClient(): MongoClient {
  const client = {
    on: () => client,
    connect: async () => client,
    close: async () => undefined,
    startSession: () => ({ id: undefined, endSession: async () => undefined }),
    db: (database: string) => ({
      command: async () => ({ version: '7.0.14' }),
      collection: (collection: string) => ({
        find: (filter: Document, options: Document) => {
          sent.push({ database, collection, filter, options });
          return { toArray: async () => [] };
        },
        aggregate: (pipeline: Document[]) => {
          pipelines.push({ collection, pipeline });
          return { toArray: async () => answer };
        },
      }),
    }),
  };
  return client as unknown as MongoClient;
}

vi.mock('./client', () => ({ createMongoClient: async () => recordingClient() }));

const TENANT = '652f1c2e9b1d4a0012ab34cd';
const endpoint = MongoEndpoint.parse({ hosts: '127.0.0.1:27017', poolSize: 1 });

/** Every place a filter names `field`, however deeply nested. */
function conditionsOn(field: string, value: unknown): unknown[] {
  if (Array.isArray(value)) return value.flatMap((item) => conditionsOn(field, item));
  if (value === null || typeof value !== 'object' || value instanceof ObjectId || value instanceof Date) return [];
  return Object.entries(value).flatMap(([key, inner]) => [...(key === field ? [inner] : []), ...conditionsOn(field, inner)]);
}

afterEach(() => {
  sent.length = 0;
  pipelines.length = 0;
  answer = [];
});

describe('MongoStore scoping, as sent to the driver', () => {
  it('sends a client text search with the tenant equality exactly once, as an ObjectId, and $text intact at the top of its $and member', async () => {
    const store = new MongoStore(endpoint, {});
    try {
      const search = { $text: { $search: 'acme logistics' }, 'relationship.status': 'active', isDeleted: { $ne: true } };
      const find = { sort: { score: { $meta: 'textScore' as const }, _id: 1 as const }, limit: 21 };
      await store.findExtendedJson({ database: 'acme_customer_prod', collection: 'clients' }, search, find, scopeFor(clientManagement, TENANT));
      expect(sent).toHaveLength(1);
      const { filter, options } = sent[0]!;
      const tenant = conditionsOn('tenantId', filter);
      expect(tenant).toHaveLength(1);
      expect(tenant[0]).toBeInstanceOf(ObjectId);
      expect((tenant[0] as ObjectId).toHexString()).toBe(TENANT);
      // One flat $and: the search as the caller wrote it, and the tenant equality beside it.
      expect(Object.keys(filter)).toEqual(['$and']);
      expect(filter.$and).toEqual([search, { tenantId: new ObjectId(TENANT) }]);
      expect(conditionsOn('$text', filter)).toEqual([{ $search: 'acme logistics' }]);
      expect(options).toMatchObject({ limit: 21, sort: find.sort });
    } finally {
      await store.close();
    }
  });

  it('sends a plain read with the tenant equality alone when the caller names nothing else', async () => {
    const store = new MongoStore(endpoint, {});
    try {
      await store.find({ database: 'acme_customer_prod', collection: 'clientnotes' }, {}, { limit: 5 }, scopeFor(clientManagement, TENANT));
      expect(sent.map((s) => s.filter)).toEqual([{ tenantId: new ObjectId(TENANT) }]);
    } finally {
      await store.close();
    }
  });
});

describe('MongoStore collection-prefix scoping, as sent to the driver', () => {
  it('reaches the tenant’s own collection for a logical name, and refuses another tenant’s without sending', async () => {
    const store = new MongoStore(endpoint, {});
    const tenant = '3f2c1a9e-7b4d-4e21-9c55-0a1b2c3d4e5f';
    const scope = scopeFor(murima2025, tenant);
    try {
      await store.findExtendedJson({ database: 'murima2025', collection: 'case_notes' }, { case_id: 'c1' }, { limit: 5 }, scope);
      expect(sent.map((s) => [s.collection, s.filter])).toEqual([[`tenant_${tenant}_case_notes`, { $and: [{ case_id: 'c1' }, { tenant_id: tenant }] }]]);
      const other = 'tenant_0f8fad5b-d9cb-469f-a165-70867728950e_case_notes';
      await expect(store.find({ database: 'murima2025', collection: other }, {}, {}, scope)).rejects.toMatchObject({ code: 'invalid_argument' });
      expect(sent).toHaveLength(1);
    } finally {
      await store.close();
    }
  });
});

describe('MongoStore tenant catalog, as sent to the driver', () => {
  const target = { database: 'acme_customer_prod', collection: 'clients' };

  it('counts documents per tenant across tenants with one $group, and for one tenant behind the scope’s typed equality', async () => {
    const store = new MongoStore(endpoint, {});
    try {
      answer = [{ _id: TENANT, n: 20 }, { _id: null, n: 3 }];
      expect(await store.tenantDocuments(target, 'tenantId')).toEqual([{ tenantId: TENANT, documents: 20 }]);
      await store.tenantDocuments(target, 'tenantId', scopeFor(clientManagement, TENANT));
      expect(pipelines.map((p) => p.pipeline)).toEqual([
        [{ $group: { _id: { $toString: '$tenantId' }, n: { $sum: 1 } } }],
        [{ $match: { tenantId: new ObjectId(TENANT) } }, { $group: { _id: { $toString: '$tenantId' }, n: { $sum: 1 } } }],
      ]);
      await expect(store.tenantDocuments(target, '$where')).rejects.toMatchObject({ code: 'invalid_argument' });
    } finally {
      await store.close();
    }
  });

  it('looks one tenant up in the registry by its id as an ObjectId or a string, and reads the registry unscoped otherwise', async () => {
    const store = new MongoStore(endpoint, {});
    const registry = { database: 'acme_customer_prod', collection: 'organizations' };
    try {
      answer = [{ id: TENANT, name: 'Acme', status: 'active', updatedAt: new Date('2026-01-02T03:04:05Z') }];
      const found = await store.registeredTenants(registry, { idField: '_id', nameField: 'name' }, scopeFor(clientManagement, TENANT));
      expect(found).toEqual([{ tenantId: TENANT, name: 'Acme', status: 'active', updatedAt: '2026-01-02T03:04:05.000Z' }]);
      await store.registeredTenants(registry, { idField: '_id', nameField: 'name' });
      const [one, all] = pipelines.map((p) => p.pipeline);
      expect(one![0]).toEqual({ $match: { _id: { $in: [new ObjectId(TENANT), TENANT] } } });
      expect(all!.map((stage) => Object.keys(stage)[0])).toEqual(['$project']);
    } finally {
      await store.close();
    }
  });
});
