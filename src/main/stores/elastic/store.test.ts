import { createRequire } from 'node:module';
import Mock, { type MockPattern } from '@elastic/elasticsearch-mock';
import { describe, expect, it } from 'vitest';
import { defaultTenantScope } from '@shared/model/tenant-scope';
import { ElasticEndpoint } from '@shared/model/workspace';
import { ElasticStore, type ElasticStoreOptions } from './store';

// The mock recognises errors of the client's CommonJS build; under vitest the test itself loads the ESM build.
const { errors } = createRequire(import.meta.url)('@elastic/elasticsearch') as typeof import('@elastic/elasticsearch');

const endpoint = ElasticEndpoint.parse({ node: 'http://es.test:9200' });
const acme = defaultTenantScope('acme01');
const info = { name: 'node-1', cluster_name: 'test', cluster_uuid: 'x', version: { number: '8.15.0', build_flavor: 'default', lucene_version: '9', minimum_wire_compatibility_version: '7', minimum_index_compatibility_version: '7' }, tagline: 'You Know, for Search' };

/** A store over Elastic's own transport mock, recording every request that reached the "server". */
function mockedStore(options: ElasticStoreOptions = {}): { store: ElasticStore; mock: Mock; requests: MockPattern[] } {
  const mock = new Mock();
  const requests: MockPattern[] = [];
  const record = (params: MockPattern): void => {
    requests.push(params);
  };
  mock.add({ method: 'GET', path: '/' }, (params) => {
    record(params);
    return info;
  });
  const store = new ElasticStore(endpoint, {}, { ...options, connection: mock.getConnection() });
  return { store, mock, requests };
}

async function codeOf(work: Promise<unknown>): Promise<string | undefined> {
  try {
    await work;
    return undefined;
  } catch (error) {
    return (error as { code?: string }).code;
  }
}

describe('ElasticStore request shapes', () => {
  it('connects with GET / and reports the version', async () => {
    const { store } = mockedStore();
    expect(await store.connect()).toMatchObject({ state: 'connected', serverVersion: '8.15.0' });
    await store.close();
  });

  it('searches the tenant pattern when scoped and no index is given', async () => {
    const { store, mock, requests } = mockedStore();
    mock.add({ method: 'POST', path: '/:index/_search' }, (params) => {
      requests.push(params);
      return { took: 1, timed_out: false, _shards: { total: 1, successful: 1, skipped: 0, failed: 0 }, hits: { total: { value: 1, relation: 'eq' }, hits: [{ _index: 'tenant-acme01-cases-2025-01', _id: '1', _source: { title: 'Leak' } }] } };
    });
    const result = await store.search(undefined, { query: { match: { title: 'leak' } } }, acme);
    expect(result.hits.hits[0]?._source).toEqual({ title: 'Leak' });
    const search = requests.find((r) => String(r.path).endsWith('/_search'));
    expect(search?.path).toBe('/tenant-acme01-*/_search');
    expect(search?.body).toEqual({ query: { match: { title: 'leak' } } });
    await store.close();
  });

  it('refuses, before sending, a scoped search on another tenant, on _all, on a remote cluster or with an exclusion', async () => {
    const { store, requests } = mockedStore();
    await store.connect();
    const before = requests.length;
    for (const index of ['tenant-other02-*', '_all', '*', 'remote:tenant-acme01-x', 'tenant-acme01-*,tenant-other02-*', '-tenant-acme01-x', 'tenant-acme01-x/../_search']) {
      expect(await codeOf(store.search(index, {}, acme)), index).toBe('invalid_argument');
    }
    expect(requests.length).toBe(before);
    await store.close();
  });

  it('sends bulk actions as NDJSON to /_bulk and returns the failed items', async () => {
    const { store, mock, requests } = mockedStore();
    mock.add({ method: 'POST', path: '/_bulk' }, (params) => {
      requests.push(params);
      return {
        took: 3,
        errors: true,
        items: [
          { index: { _index: 'tenant-acme01-cases-2025-01', _id: '1', status: 201 } },
          { delete: { _index: 'tenant-acme01-cases-2025-01', _id: '2', status: 404, error: { type: 'document_missing_exception', reason: '[2]: document missing' } } },
        ],
      };
    });
    const result = await store.bulk(
      [
        { action: 'index', index: 'tenant-acme01-cases-2025-01', id: '1', document: { title: 'Leak' } },
        { action: 'delete', index: 'tenant-acme01-cases-2025-01', id: '2' },
      ],
      acme,
    );
    expect(result.failed).toEqual([{ position: 1, status: 404, reason: '[2]: document missing' }]);
    const bulk = requests.find((r) => r.path === '/_bulk');
    expect(bulk?.body).toEqual([
      { index: { _index: 'tenant-acme01-cases-2025-01', _id: '1' } },
      { title: 'Leak' },
      { delete: { _index: 'tenant-acme01-cases-2025-01', _id: '2' } },
    ]);
    await store.close();
  });

  it('a read-only store refuses bulk, delete by query, index, template and ILM changes without sending', async () => {
    const { store, requests } = mockedStore({ readOnly: true });
    await store.connect();
    const before = requests.length;
    expect(await codeOf(store.bulk([{ action: 'index', index: 'i', document: {} }]))).toBe('read_only');
    expect(await codeOf(store.deleteByQuery('i', { match_all: {} }))).toBe('read_only');
    expect(await codeOf(store.createIndex('i'))).toBe('read_only');
    expect(await codeOf(store.putIndexTemplate('t', { index_patterns: ['tenant-*'] }))).toBe('read_only');
    expect(await codeOf(store.putLifecyclePolicy('p', { phases: {} }))).toBe('read_only');
    expect(requests.length).toBe(before);
    await store.close();
  });

  it('cancels the by-query task on the cluster when the caller aborts', async () => {
    const { store, mock, requests } = mockedStore();
    mock.add({ method: 'POST', path: '/:index/_delete_by_query' }, (params) => {
      requests.push(params);
      return { task: 'node-1:42' };
    });
    mock.add({ method: 'GET', path: '/_tasks/node-1:42' }, () => ({ completed: false, task: { node: 'node-1', id: 42, action: 'indices:data/write/delete/byquery', cancellable: true } }));
    mock.add({ method: 'POST', path: '/_tasks/node-1:42/_cancel' }, (params) => {
      requests.push(params);
      return { nodes: {} };
    });
    const controller = new AbortController();
    const running = store.deleteByQuery(undefined, { match_all: {} }, acme, { signal: controller.signal });
    await new Promise((resolve) => setTimeout(resolve, 100));
    controller.abort();
    expect(await codeOf(running)).toBe('cancelled');
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(requests.map((r) => `${String(r.method)} ${String(r.path)}`)).toContain('POST /_tasks/node-1:42/_cancel');
    const started = requests.find((r) => String(r.path).endsWith('_delete_by_query'));
    expect(started?.path).toBe('/tenant-acme01-*/_delete_by_query');
    expect(started?.querystring).toMatchObject({ wait_for_completion: 'false' });
    await store.close();
  });

  it('maps 401, 404 and connection failures to stable codes', async () => {
    const { store, mock } = mockedStore();
    await store.connect();
    mock.add({ method: ['GET', 'POST'], path: '/missing/_search' }, () => new errors.ResponseError({ body: { error: { type: 'index_not_found_exception', reason: 'no such index [missing]' }, status: 404 }, statusCode: 404, headers: {}, warnings: null, meta: {} as never }));
    expect(await codeOf(store.search('missing'))).toBe('not_found');
    mock.add({ method: ['GET', 'POST'], path: '/locked/_search' }, () => new errors.ResponseError({ body: { error: { type: 'security_exception', reason: 'missing authentication credentials' }, status: 401 }, statusCode: 401, headers: {}, warnings: null, meta: {} as never }));
    expect(await codeOf(store.search('locked'))).toBe('auth_failed');
    await store.close();
  });

  it('is down with the reason when nothing answers, and fails fast afterwards', async () => {
    const mock = new Mock();
    mock.add({ method: 'GET', path: '/' }, () => new errors.ConnectionError('connect ECONNREFUSED 127.0.0.1:9200'));
    const store = new ElasticStore(endpoint, {}, { connection: mock.getConnection(), backoff: { attempts: 2, baseDelayMs: 5, maxDelayMs: 10 } });
    expect(await codeOf(store.connect())).toBe('unreachable');
    expect(store.status()).toMatchObject({ state: 'down' });
    expect(await codeOf(store.search('tenant-acme01-*'))).toBe('unreachable');
    await store.close();
  });
});
