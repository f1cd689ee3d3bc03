import { readFileSync } from 'node:fs';
import { BSON, ObjectId, type Document, type MongoClient } from 'mongodb';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { normaliseMongoPlan } from '@shared/explain';
import { parseTenantScope } from '@shared/model/tenant-scope';
import { MongoEndpoint } from '@shared/model/workspace';
import type { UserQueryPart } from '../user-query';
import { MongoStore } from './store';

/**
 * The workbench runner over a driver that records what the store sends and answers from a list:
 * no MongoDB server runs on this machine (the same runs against one in
 * test/integration/workbench-mongo.test.ts when MONGO_URL is set). What is checked here is the
 * store's side: what reaches the driver, how batches are cut, when the cursor is closed.
 */
interface Sent {
  operation: 'find' | 'aggregate';
  collection: string;
  query: Document | Document[];
  options: Document;
}
const sent: Sent[] = [];
const commands: Document[] = [];
let closed = 0;
let nexts = 0;
let documents: Document[] = [];
/** When set, `next()` waits for it: a server still working. */
let stall: Promise<never> | undefined;
let explained: Document = {};
let listed: Array<{ name: string; type: string }> = [];

function cursorOver(limit: number | undefined): unknown {
  const rows = limit ? documents.slice(0, limit) : [...documents];
  return {
    next: async () => {
      nexts += 1;
      if (stall) return stall;
      return rows.shift() ?? null;
    },
    hasNext: async () => rows.length > 0,
    close: async () => {
      closed += 1;
    },
    explain: async (verbosity: string) => ({ ...explained, verbosity }),
  };
}

function recordingClient(): MongoClient {
  const client = {
    on: () => client,
    connect: async () => client,
    close: async () => undefined,
    startSession: () => ({ id: { id: 'session-1' }, endSession: async () => undefined }),
    db: () => ({
      listCollections: () => ({ toArray: async () => listed }),
      command: async (command: Document) => {
        commands.push(command);
        return { version: '7.0.14' };
      },
      collection: (collection: string) => ({
        find: (query: Document, options: Document) => {
          sent.push({ operation: 'find', collection, query, options });
          return cursorOver(options.limit as number | undefined);
        },
        aggregate: (query: Document[], options: Document) => {
          sent.push({ operation: 'aggregate', collection, query, options });
          const limit = query.at(-1)?.$limit as number | undefined;
          return { ...(cursorOver(limit) as object), toArray: async () => [...documents] };
        },
      }),
    }),
  };
  return client as unknown as MongoClient;
}

vi.mock('./client', () => ({ createMongoClient: async () => recordingClient() }));

const endpoint = MongoEndpoint.parse({ hosts: '127.0.0.1:27017', poolSize: 1 });
const acme = parseTenantScope({ tenantId: 'acme01', mongo: { mode: 'field', field: 'tenantId', valueType: 'string', collections: ['cases', 'clients'] } });
const cases = { database: 'crm', collection: 'cases' };

function caseDocuments(count: number): Document[] {
  return Array.from({ length: count }, (_, i) => ({ _id: new ObjectId(), n: i, openedAt: new Date(Date.UTC(2025, 0, 1 + i)), tenantId: 'acme01' }));
}

async function drain(parts: AsyncGenerator<UserQueryPart>): Promise<UserQueryPart[]> {
  const all: UserQueryPart[] = [];
  for await (const part of parts) all.push(part);
  return all;
}

async function errorOf(work: Promise<unknown>): Promise<{ code?: string; message?: string }> {
  try {
    await work;
  } catch (error) {
    return error as { code?: string };
  }
  throw new Error('no error');
}

afterEach(() => {
  sent.length = 0;
  commands.length = 0;
  closed = 0;
  nexts = 0;
  documents = [];
  stall = undefined;
  explained = {};
  listed = [];
});

describe('MongoStore.runUser', () => {
  it('streams batches of batchSize as relaxed Extended JSON, reads one more than the limit, and says it cut', async () => {
    documents = caseDocuments(12);
    const store = new MongoStore(endpoint, {});
    const parts = await drain(store.runUser(cases, { operation: 'find', text: '{ "n": { "$gte": 0 } }' }, acme, { rowLimit: 10, write: false, batchSize: 4, timeoutMs: 5_000 }));
    expect(parts.map((p) => (p.kind === 'documents' ? p.documents.length : p.kind))).toEqual([4, 4, 2, 'truncated']);
    expect(sent).toEqual([{ operation: 'find', collection: 'cases', query: { $and: [{ n: { $gte: 0 } }, { tenantId: 'acme01' }] }, options: expect.objectContaining({ limit: 11, batchSize: 4, maxTimeMS: 5_000 }) as Document }]);
    const first = parts[0]?.kind === 'documents' ? parts[0].documents[0] : undefined;
    expect(first).toEqual({ _id: { $oid: (documents[0]?._id as ObjectId).toHexString() }, n: 0, openedAt: { $date: '2025-01-01T00:00:00Z' }, tenantId: 'acme01' });
    expect(closed).toBe(1);
    await store.close();
  });

  it('ends without truncated when the result fits, and at the person’s own limit without calling it a cut', async () => {
    documents = caseDocuments(3);
    const store = new MongoStore(endpoint, {});
    expect((await drain(store.runUser(cases, { operation: 'find', text: '{}' }, acme, { rowLimit: 3, write: false }))).map((p) => p.kind)).toEqual(['documents']);
    documents = caseDocuments(8);
    const parts = await drain(store.runUser(cases, { operation: 'find', text: '{}', options: '{ "limit": 5, "sort": { "n": -1 } }' }, acme, { rowLimit: 100, write: false }));
    expect(parts.map((p) => p.kind)).toEqual(['documents']);
    expect(sent.at(-1)?.options).toMatchObject({ limit: 5, sort: { n: -1 } });
    await store.close();
  });

  it('keeps an int64 past 2^53 whole instead of rounding it', async () => {
    documents = [{ big: BSON.Long.fromString('9007199254740993'), small: BSON.Long.fromNumber(5) }];
    const store = new MongoStore(endpoint, {});
    const [part] = await drain(store.runUser(cases, { operation: 'find', text: '{}' }, acme, { rowLimit: 10, write: false }));
    expect(part).toEqual({ kind: 'documents', documents: [{ big: { $numberLong: '9007199254740993' }, small: 5 }] });
    await store.close();
  });

  it('pulls the next batch only when asked', async () => {
    documents = caseDocuments(20);
    const store = new MongoStore(endpoint, {});
    const run = store.runUser(cases, { operation: 'find', text: '{}' }, acme, { rowLimit: 100, write: false, batchSize: 5 });
    await run.next();
    expect(nexts).toBe(5);
    await run.return(undefined);
    expect(nexts).toBe(5);
    expect(closed).toBe(1);
    await store.close();
  });

  it('sends an aggregate behind the tenant $match with a trailing $limit of one more than the row limit', async () => {
    documents = caseDocuments(2);
    const store = new MongoStore(endpoint, {});
    await drain(store.runUser(cases, { operation: 'aggregate', text: '[{ "$sort": { "n": 1 } }]' }, acme, { rowLimit: 50, write: false }));
    expect(sent[0]?.query).toEqual([{ $match: { tenantId: 'acme01' } }, { $sort: { n: 1 } }, { $limit: 51 }]);
    await store.close();
  });

  it('refuses hostile filters and pipelines before anything reaches the driver', async () => {
    const store = new MongoStore(endpoint, {});
    const hostile: Array<[{ operation: 'find' | 'aggregate'; text: string }, string]> = [
      [{ operation: 'find', text: '{ "$where": "1" }' }, 'forbidden'],
      [{ operation: 'aggregate', text: '[{ "$lookup": { "from": "platform_users", "localField": "a", "foreignField": "b", "as": "c" } }]' }, 'forbidden'],
      [{ operation: 'aggregate', text: '[{ "$unionWith": { "pipeline": [{ "$documents": [{}] }] } }]' }, 'forbidden'],
      [{ operation: 'aggregate', text: '[{ "$currentOp": {} }]' }, 'forbidden'],
      [{ operation: 'aggregate', text: '[{ "$out": "copy" }]' }, 'read_only'],
      [{ operation: 'find', text: '{ "a": ' }, 'invalid_argument'],
    ];
    for (const [request, code] of hostile) {
      expect(await errorOf(drain(store.runUser(cases, request, acme, { rowLimit: 10, write: false }))), request.text).toMatchObject({ code });
    }
    expect(await errorOf(drain(store.runUser({ database: 'crm', collection: 'platform_users' }, { operation: 'find', text: '{}' }, acme, { rowLimit: 10, write: false })))).toMatchObject({ code: 'forbidden' });
    expect(sent).toEqual([]);
    await store.close();
  });

  it('refuses $out on a read-only store even when the run asks to write', async () => {
    const store = new MongoStore(endpoint, {}, { readOnly: true });
    const scope = parseTenantScope({ tenantId: 'acme01', mongo: { mode: 'collection-prefix', collectionPrefix: 'tenant_acme01_' } });
    const error = await errorOf(drain(store.runUser({ database: 'crm', collection: 'cases' }, { operation: 'aggregate', text: '[{ "$out": "copy" }]' }, scope, { rowLimit: 10, write: true })));
    expect(error).toMatchObject({ code: 'read_only' });
    expect(sent).toEqual([]);
    await store.close();
  });

  it('on cancel kills the session on the server and closes the cursor', async () => {
    documents = caseDocuments(3);
    stall = new Promise<never>(() => undefined);
    const store = new MongoStore(endpoint, {});
    const controller = new AbortController();
    const running = errorOf(drain(store.runUser(cases, { operation: 'find', text: '{}' }, acme, { rowLimit: 10, write: false, signal: controller.signal })));
    await vi.waitFor(() => expect(nexts).toBe(1));
    controller.abort();
    expect(await running).toMatchObject({ code: 'cancelled' });
    expect(commands).toContainEqual({ killSessions: [{ id: 'session-1' }] });
    expect(closed).toBe(1);
    await store.close();
  });

  it('on timeout answers timeout and kills the session', async () => {
    stall = new Promise<never>(() => undefined);
    const store = new MongoStore(endpoint, {});
    expect(await errorOf(drain(store.runUser(cases, { operation: 'find', text: '{}' }, acme, { rowLimit: 10, write: false, timeoutMs: 50 })))).toMatchObject({ code: 'timeout' });
    expect(commands).toContainEqual({ killSessions: [{ id: 'session-1' }] });
    await store.close();
  });
});

describe('MongoStore.explainUser', () => {
  /** The documented executionStats shape (the fixture names its page), as the driver would hand it over. */
  const fixture = JSON.parse(readFileSync(new URL('../../../../test/fixtures/explain/mongo/find-ixscan.json', import.meta.url), 'utf8')) as { source: string; explain: Document };

  it('explains the scoped find with executionStats and hands over a plan the explain room reads', async () => {
    expect(fixture.source).toContain('mongodb.com/docs');
    explained = BSON.EJSON.deserialize(fixture.explain);
    const store = new MongoStore(endpoint, {});
    const plan = (await store.explainUser(cases, { operation: 'find', text: '{ "status": "open" }' }, acme)) as Document;
    expect(sent[0]).toMatchObject({ operation: 'find', query: { $and: [{ status: 'open' }, { tenantId: 'acme01' }] } });
    expect(plan.verbosity).toBe('executionStats');
    expect(normaliseMongoPlan(plan).root).toMatchObject({ operation: 'FETCH', children: [{ operation: 'IXSCAN' }] });
    expect(plan.queryPlanner).toEqual(fixture.explain.queryPlanner);
    await store.close();
  });

  it('explains an aggregate with the same scope and never a writing pipeline', async () => {
    const aggregate = JSON.parse(readFileSync(new URL('../../../../test/fixtures/explain/mongo/aggregate-cursor.json', import.meta.url), 'utf8')) as { source: string; explain: Document };
    expect(aggregate.source).toContain('mongodb.com/docs');
    explained = BSON.EJSON.deserialize(aggregate.explain);
    const store = new MongoStore(endpoint, {});
    const plan = (await store.explainUser(cases, { operation: 'aggregate', text: '[{ "$group": { "_id": "$status" } }]' }, acme)) as Document;
    expect(sent[0]?.query).toEqual([{ $match: { tenantId: 'acme01' } }, { $group: { _id: '$status' } }]);
    expect(plan.stages).toEqual(aggregate.explain.stages);
    expect(normaliseMongoPlan(plan).engine).toBe('mongo');
    const scope = parseTenantScope({ tenantId: 'acme01', mongo: { mode: 'collection-prefix', collectionPrefix: 'tenant_acme01_' } });
    expect(await errorOf(store.explainUser(cases, { operation: 'aggregate', text: '[{ "$out": "x" }]' }, scope))).toMatchObject({ code: 'read_only' });
    expect(sent).toHaveLength(1);
    await store.close();
  });
});

describe('MongoStore.userCatalog', () => {
  it('samples the tenant’s documents of one collection and lists each field with every type seen', async () => {
    documents = [{ _id: new ObjectId(), title: 'a', owner: { name: 'x', since: new Date() } }, { _id: new ObjectId(), title: null, tags: ['a'] }];
    const store = new MongoStore(endpoint, {});
    const [entry] = await store.userCatalog('crm', acme, 'cases');
    expect(sent[0]?.query).toEqual([{ $match: { tenantId: 'acme01' } }, { $sample: { size: 100 } }]);
    expect(entry).toEqual({
      name: 'cases',
      kind: 'collection',
      sampled: 2,
      fields: [
        { name: '_id', type: 'objectId' },
        { name: 'title', type: 'null|string' },
        { name: 'owner', type: 'object' },
        { name: 'owner.name', type: 'string' },
        { name: 'owner.since', type: 'date' },
        { name: 'tags', type: 'array' },
      ],
    });
    expect(await errorOf(store.userCatalog('crm', acme, 'platform_users'))).toMatchObject({ code: 'forbidden' });
    expect(sent).toHaveLength(1);
    await store.close();
  });

  it('lists the tenant’s collections by the names a person types', async () => {
    listed = [
      { name: 'tenant_acme01_cases', type: 'collection' },
      { name: 'tenant_acme01_open_cases', type: 'view' },
      { name: 'tenant_other02_cases', type: 'collection' },
      { name: 'platform_users', type: 'collection' },
    ];
    const store = new MongoStore(endpoint, {});
    const scope = parseTenantScope({ tenantId: 'acme01', mongo: { mode: 'collection-prefix', collectionPrefix: 'tenant_acme01_' } });
    expect(await store.userCatalog('crm', scope)).toEqual([
      { name: 'cases', kind: 'collection', fields: [] },
      { name: 'open_cases', kind: 'view', fields: [] },
    ]);
    await store.close();
  });
});
