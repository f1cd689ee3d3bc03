import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultTenantScope } from '../../../src/shared/model/tenant-scope';
import { ElasticEndpoint } from '../../../src/shared/model/workspace';
import { ElasticStore } from '../../../src/main/stores/elastic/store';
import { announceSkip, elasticSkipReason, elasticUrl } from '../../support/external-stores';
import { errorOf } from './postgres-helpers';

announceSkip('ElasticStore against a real Elasticsearch', elasticSkipReason);

function endpointFrom(url: string): { endpoint: ElasticEndpoint; password?: string } {
  const parsed = new URL(url);
  return {
    endpoint: ElasticEndpoint.parse({ node: `${parsed.protocol}//${parsed.host}`, ...(parsed.username ? { username: decodeURIComponent(parsed.username) } : {}), tls: { enabled: parsed.protocol === 'https:', rejectUnauthorized: false } }),
    ...(parsed.password ? { password: decodeURIComponent(parsed.password) } : {}),
  };
}

describe.skipIf(!elasticUrl)('ElasticStore against a real Elasticsearch', () => {
  const tenant = `st${process.pid}`;
  const scope = defaultTenantScope(tenant);
  const index = `tenant-${tenant}-cases-2025-01`;
  let store: ElasticStore;
  let prod: ElasticStore;

  beforeAll(async () => {
    const { endpoint, password } = endpointFrom(elasticUrl ?? '');
    store = new ElasticStore(endpoint, { password });
    prod = new ElasticStore(endpoint, { password }, { readOnly: true });
    await store.connect();
  });

  afterAll(async () => {
    await store?.deleteByQuery(undefined, { match_all: {} }, scope).catch(() => undefined);
    await Promise.all([store?.close(), prod?.close()]);
  });

  it('indexes in bulk and searches only the tenant pattern', async () => {
    await store.createIndex(index, { mappings: { properties: { title: { type: 'text' } } } }, scope);
    const bulk = await store.bulk(
      [
        { action: 'index', index, id: '1', document: { title: 'Water leak' } },
        { action: 'index', index, id: '2', document: { title: 'Broken window' } },
      ],
      scope,
      { refresh: true },
    );
    expect(bulk.failed).toEqual([]);
    const result = await store.search(undefined, { query: { match: { title: 'leak' } } }, scope);
    expect(result.hits.hits.map((h) => h._id)).toEqual(['1']);
    expect(await store.count(undefined, undefined, scope)).toBe(2);
    expect((await store.listIndices(undefined, scope)).map((i) => i.index)).toEqual([index]);
  });

  it('a prod store refuses writes and nothing was written', async () => {
    expect(await errorOf(prod.bulk([{ action: 'index', index, id: '3', document: { title: 'x' } }], scope))).toMatchObject({ code: 'read_only' });
    expect(await store.count(index, { ids: { values: ['3'] } }, scope)).toBe(0);
  });

  it('deletes by query as a task and reports the count', async () => {
    expect(await store.deleteByQuery(undefined, { match: { title: 'window' } }, scope)).toEqual({ deleted: 1 });
  });
});
