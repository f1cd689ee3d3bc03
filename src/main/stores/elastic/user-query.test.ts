import { readFileSync } from 'node:fs';
import Mock, { type MockPattern } from '@elastic/elasticsearch-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { normaliseElasticProfile } from '@shared/explain';
import { defaultTenantScope } from '@shared/model/tenant-scope';
import { ElasticEndpoint } from '@shared/model/workspace';
import type { UserQueryPart } from '../user-query';
import { ElasticStore } from './store';

/**
 * The workbench runner over Elastic's own transport mock: request shapes (what reaches the
 * "cluster" and in which order), and replies in the documented shapes. The same runs against a
 * cluster in test/integration/workbench-elastic.test.ts when ES_URL is set.
 */
const endpoint = ElasticEndpoint.parse({ node: 'http://es.test:9200' });
const acme = defaultTenantScope('acme01');
const info = { name: 'node-1', cluster_name: 'test', cluster_uuid: 'x', version: { number: '8.15.0', build_flavor: 'default', lucene_version: '9', minimum_wire_compatibility_version: '7', minimum_index_compatibility_version: '7' }, tagline: 'You Know, for Search' };
const shards = { total: 1, successful: 1, skipped: 0, failed: 0 };

interface Cluster {
  store: ElasticStore;
  mock: Mock;
  requests: MockPattern[];
}

/**
 * A cluster holding `total` documents of tenant acme01 that honours a point in time, `size`,
 * `search_after` on the `_shard_doc` tiebreak, and closes points in time.
 */
function cluster(total: number, options: { aggregations?: unknown } = {}): Cluster {
  const mock = new Mock();
  const requests: MockPattern[] = [];
  mock.add({ method: 'GET', path: '/' }, () => info);
  mock.add({ method: 'POST', path: '/:index/_pit' }, (params) => {
    requests.push(params);
    return { id: 'pit-1', _shards: shards };
  });
  mock.add({ method: 'DELETE', path: '/_pit' }, (params) => {
    requests.push(params);
    return { succeeded: true, num_freed: 1 };
  });
  mock.add({ method: 'POST', path: '/_search' }, (params) => {
    requests.push(params);
    const body = params.body as { size: number; search_after?: [number, number] };
    const start = body.search_after ? body.search_after[1] + 1 : 0;
    const hits = Array.from({ length: Math.max(0, Math.min(body.size, total - start)) }, (_, i) => ({
      _index: 'tenant-acme01-cases-2025-01',
      _id: String(start + i),
      _score: 1,
      _source: { n: start + i, title: `case ${start + i}` },
      sort: [1, start + i],
    }));
    return { pit_id: `pit-${requests.length}`, took: 1, timed_out: false, _shards: shards, hits: { hits }, ...(options.aggregations && !body.search_after ? { aggregations: options.aggregations } : {}) };
  });
  return { store: new ElasticStore(endpoint, {}, { connection: mock.getConnection() }), mock, requests };
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

const shapes = (parts: UserQueryPart[]): unknown[] => parts.map((p) => (p.kind === 'documents' ? p.documents.length : p.kind));
const paths = (requests: MockPattern[]): string[] => requests.map((r) => `${String(r.method)} ${String(r.path)}`);

let open: ElasticStore | undefined;
afterEach(async () => {
  await open?.close();
  open = undefined;
});

describe('ElasticStore.runUser', () => {
  it('pages with a point in time and search_after, reads one more than the limit, says it cut, and closes the point in time', async () => {
    const { store, requests } = cluster(25);
    open = store;
    const parts = await drain(store.runUser('cases-*', '{ "query": { "match_all": {} }, "sort": [{ "n": "asc" }] }', acme, { rowLimit: 10, write: false, batchSize: 4 }));
    expect(shapes(parts)).toEqual([4, 4, 2, 'truncated']);
    expect(paths(requests)).toEqual(['POST /tenant-acme01-cases-*/_pit', 'POST /_search', 'POST /_search', 'POST /_search', 'DELETE /_pit']);
    const searches = requests.filter((r) => r.path === '/_search').map((r) => r.body as Record<string, unknown>);
    expect(searches.map((b) => b.size)).toEqual([4, 4, 3]);
    expect(searches[0]).toMatchObject({ query: { match_all: {} }, sort: [{ n: 'asc' }, { _shard_doc: 'asc' }], pit: { id: 'pit-1' } });
    expect(searches[0]).not.toHaveProperty('search_after');
    expect(searches[1]).toMatchObject({ search_after: [1, 3], pit: { id: 'pit-2' }, track_total_hits: false });
    expect(requests.at(-1)?.body).toEqual({ id: 'pit-4' });
    const first = parts[0]?.kind === 'documents' ? parts[0].documents[0] : undefined;
    expect(first).toEqual({ _id: '0', _index: 'cases-2025-01', n: 0, title: 'case 0' });
  });

  it('ends without truncated when the hits fit, and stops at the person’s size without calling it a cut', async () => {
    const { store, requests } = cluster(6);
    open = store;
    expect(shapes(await drain(store.runUser('cases-*', '{}', acme, { rowLimit: 6, write: false, batchSize: 4 })))).toEqual([4, 2]);
    requests.length = 0;
    expect(shapes(await drain(store.runUser('cases-*', '{ "size": 3 }', acme, { rowLimit: 100, write: false, batchSize: 10 })))).toEqual([3]);
    expect(requests.filter((r) => r.path === '/_search').map((r) => (r.body as { size: number }).size)).toEqual([3]);
  });

  it('hands aggregations over once, as a document ahead of the hits, and computes them on the first page only', async () => {
    const aggregations = { status: { buckets: [{ key: 'open', doc_count: 3 }] } };
    const { store, requests } = cluster(5, { aggregations });
    open = store;
    const parts = await drain(store.runUser('cases-*', '{ "aggs": { "status": { "terms": { "field": "status" } } } }', acme, { rowLimit: 100, write: false, batchSize: 2 }));
    expect(parts[0]).toEqual({ kind: 'documents', documents: [{ _aggregations: aggregations }] });
    expect(shapes(parts.slice(1))).toEqual([2, 2, 1]);
    const searches = requests.filter((r) => r.path === '/_search').map((r) => r.body as Record<string, unknown>);
    expect(searches[0]).toHaveProperty('aggs');
    expect(searches.slice(1).some((b) => 'aggs' in b)).toBe(false);
  });

  it('answers size 0 with the aggregations of one plain search, no point in time', async () => {
    const { store, mock, requests } = cluster(0);
    open = store;
    mock.add({ method: 'POST', path: '/:index/_search' }, (params) => {
      requests.push(params);
      return { took: 1, timed_out: false, _shards: shards, hits: { hits: [] }, aggregations: { n: { value: 4 } } };
    });
    const parts = await drain(store.runUser('cases-*', '{ "size": 0, "aggs": { "n": { "value_count": { "field": "n" } } } }', acme, { rowLimit: 10, write: false }));
    expect(parts).toEqual([{ kind: 'documents', documents: [{ _aggregations: { n: { value: 4 } } }] }]);
    expect(paths(requests)).toEqual(['POST /tenant-acme01-cases-*/_search']);
  });

  it('closes the point in time after a cancel between pages, and when the caller stops pulling', async () => {
    const { store, requests } = cluster(50);
    open = store;
    const controller = new AbortController();
    const run = store.runUser('cases-*', '{}', acme, { rowLimit: 100, write: false, batchSize: 5, signal: controller.signal });
    expect((await run.next()).value).toMatchObject({ kind: 'documents' });
    controller.abort();
    expect(await errorOf(run.next())).toMatchObject({ code: 'cancelled' });
    expect(paths(requests)).toEqual(['POST /tenant-acme01-cases-*/_pit', 'POST /_search', 'DELETE /_pit']);

    requests.length = 0;
    const stopped = store.runUser('cases-*', '{}', acme, { rowLimit: 100, write: false, batchSize: 5 });
    await stopped.next();
    await stopped.return(undefined);
    expect(paths(requests)).toEqual(['POST /tenant-acme01-cases-*/_pit', 'POST /_search', 'DELETE /_pit']);
  });

  it('refuses hostile indices and bodies before any request is sent', async () => {
    const { store, requests } = cluster(5);
    open = store;
    await store.connect();
    const hostile: Array<[string, string, string]> = [
      ['tenant-other02-*', '{}', 'forbidden'],
      ['_all', '{}', 'forbidden'],
      ['cases-*,tenant-other02-*', '{}', 'forbidden'],
      ['remote:cases', '{}', 'forbidden'],
      ['cases/../_search', '{}', 'invalid_argument'],
      ['cases-*', '{ "query": { "terms": { "id": { "index": "tenant-other02-users", "id": "1", "path": "ids" } } } }', 'forbidden'],
      ['cases-*', '{ "query": { "more_like_this": { "like": [{ "_index": "tenant-other02-cases", "_id": "1" }] } } }', 'forbidden'],
      ['cases-*', '{ "query": { "percolate": { "field": "q", "index": "tenant-other02-q", "id": "1" } } }', 'forbidden'],
      ['cases-*', '{ "query": { "script": { "script": { "id": "stored" } } } }', 'forbidden'],
      ['cases-*', '{ "query": ', 'invalid_argument'],
    ];
    for (const [index, body, code] of hostile) {
      expect(await errorOf(drain(store.runUser(index, body, acme, { rowLimit: 10, write: false }))), `${index} ${body}`).toMatchObject({ code });
      expect(await errorOf(store.profileUser(index, body, acme)), `${index} ${body}`).toMatchObject({ code });
    }
    expect(requests).toEqual([]);
  });

  it('passes the cluster’s parse error on as invalid_argument in its own words', async () => {
    const { store, mock } = cluster(0);
    open = store;
    const { errors } = (await import('node:module')).createRequire(import.meta.url)('@elastic/elasticsearch') as typeof import('@elastic/elasticsearch');
    mock.clear({ method: 'POST', path: '/:index/_pit' });
    mock.add({ method: 'POST', path: '/:index/_pit' }, () => {
      const body = { error: { root_cause: [{ type: 'parsing_exception', reason: 'unknown query [mtch]', line: 1, col: 22 }], type: 'parsing_exception', reason: 'unknown query [mtch]', line: 1, col: 22 }, status: 400 };
      return new errors.ResponseError({ body, statusCode: 400, headers: {}, warnings: null, meta: {} as never });
    });
    expect(await errorOf(drain(store.runUser('cases-*', '{ "query": { "mtch": {} } }', acme, { rowLimit: 10, write: false })))).toMatchObject({
      code: 'invalid_argument',
      message: expect.stringContaining('unknown query [mtch]') as string,
      details: { status: 400, type: 'parsing_exception' },
    });
  });
});

describe('ElasticStore.profileUser', () => {
  /** The documented profile shape (the fixture names its page). */
  const fixture = JSON.parse(readFileSync(new URL('../../../../test/fixtures/explain/elastic/profile-match.json', import.meta.url), 'utf8')) as { source: string; response: Record<string, unknown> };

  it('sends the same body with profile: true on the confined index and hands over a reply the explain room reads', async () => {
    expect(fixture.source).toContain('elastic.co');
    const { store, mock, requests } = cluster(0);
    open = store;
    mock.add({ method: 'POST', path: '/:index/_search' }, (params) => {
      requests.push(params);
      return fixture.response;
    });
    const reply = await store.profileUser('cases-*', '{ "size": 0, "query": { "match": { "title": "leak" } } }', acme);
    expect(requests[0]).toMatchObject({ path: '/tenant-acme01-cases-*/_search', body: { size: 0, query: { match: { title: 'leak' } }, profile: true } });
    expect(reply).toEqual(fixture.response);
    expect(normaliseElasticProfile(reply).engine).toBe('elastic');
  });
});

describe('ElasticStore.userCatalog', () => {
  it('lists the tenant’s indices and its own aliases by logical name with their mapped fields', async () => {
    const { store, mock, requests } = cluster(0);
    open = store;
    mock.add({ method: 'GET', path: '/:index/_mapping' }, (params) => {
      requests.push(params);
      return { 'tenant-acme01-cases-2025-01': { mappings: { properties: { title: { type: 'text', fields: { keyword: { type: 'keyword' } } }, owner: { properties: { name: { type: 'keyword' } } } } } } };
    });
    mock.add({ method: 'GET', path: '/:index/_alias' }, (params) => {
      requests.push(params);
      return { 'tenant-acme01-cases-2025-01': { aliases: { 'tenant-acme01-cases': {}, 'all-cases': {} } } };
    });
    expect(await store.userCatalog(acme)).toEqual([
      { name: 'cases', kind: 'alias', fields: [{ name: 'title', type: 'text' }, { name: 'title.keyword', type: 'keyword' }, { name: 'owner', type: 'object' }, { name: 'owner.name', type: 'keyword' }] },
      { name: 'cases-2025-01', kind: 'index', fields: [{ name: 'title', type: 'text' }, { name: 'title.keyword', type: 'keyword' }, { name: 'owner', type: 'object' }, { name: 'owner.name', type: 'keyword' }] },
    ]);
    expect(requests.map((r) => r.path)).toEqual(expect.arrayContaining(['/tenant-acme01-*/_mapping', '/tenant-acme01-*/_alias']));
  });
});
