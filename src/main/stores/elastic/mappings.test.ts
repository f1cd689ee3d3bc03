import Mock, { type MockPattern } from '@elastic/elasticsearch-mock';
import { describe, expect, it } from 'vitest';
import { defaultTenantScope } from '@shared/model/tenant-scope';
import { ElasticEndpoint } from '@shared/model/workspace';
import { ElasticStore } from './store';

/**
 * The reply of GET /<index>/_mapping as the Elasticsearch reference documents it
 * (https://www.elastic.co/guide/en/elasticsearch/reference/current/indices-get-mapping.html):
 * one entry per index with its `mappings`.
 */
const GET_MAPPING_REPLY = {
  'tenant-acme01-cases-2025-01': { mappings: { properties: { title: { type: 'text' }, status: { type: 'keyword' } } } },
  'tenant-acme01-cases-2025-02': { mappings: { properties: { title: { type: 'text' }, status: { type: 'text' } } } },
};

describe('ElasticStore.getMappings', () => {
  it('asks for the tenant pattern only, tolerating no index, and returns the mappings by index', async () => {
    const mock = new Mock();
    const requests: MockPattern[] = [];
    // GET / (https://www.elastic.co/guide/en/elasticsearch/reference/current/rest-api-root.html): the store's connection check.
    mock.add({ method: 'GET', path: '/' }, () => ({ name: 'node-1', cluster_name: 'test', cluster_uuid: 'x', version: { number: '8.15.0' }, tagline: 'You Know, for Search' }));
    mock.add({ method: 'GET', path: '/:index/_mapping' }, (params) => {
      requests.push(params);
      return GET_MAPPING_REPLY;
    });
    const store = new ElasticStore(ElasticEndpoint.parse({ node: 'http://es.test:9200' }), {}, { connection: mock.getConnection() });
    const mappings = await store.getMappings(undefined, defaultTenantScope('acme01'));
    expect(requests).toHaveLength(1);
    expect(requests[0]?.path).toBe('/tenant-acme01-*/_mapping');
    expect(requests[0]?.querystring).toMatchObject({ allow_no_indices: 'true', ignore_unavailable: 'true' });
    expect(Object.keys(mappings)).toEqual(['tenant-acme01-cases-2025-01', 'tenant-acme01-cases-2025-02']);
    expect(mappings['tenant-acme01-cases-2025-02']?.properties?.status).toEqual({ type: 'text' });
    await expect(store.getMappings('tenant-other-*', defaultTenantScope('acme01'))).rejects.toMatchObject({ code: 'invalid_argument' });
    expect(requests).toHaveLength(1);
    await store.close();
  });
});
