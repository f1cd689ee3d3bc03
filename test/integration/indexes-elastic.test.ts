import { randomUUID } from 'node:crypto';
import { Client } from '@elastic/elasticsearch';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ElasticEndpoint } from '@shared/model/workspace';
import { murima2025 } from '@shared/tenancy';
import { createElasticMappings } from '../../src/main/features/indexes/elastic';
import { ElasticStore } from '../../src/main/stores/elastic/store';
import { announceSkip, elasticSkipReason, elasticUrl } from '../support/external-stores';

announceSkip('Elasticsearch mappings against the template and the preset', elasticSkipReason);

/**
 * A tenant's monthly cases index on a real cluster whose `status` was mapped as text: the view
 * names the template, says the type change needs a reindex and a missing field does not, and reads
 * only the tenant's indices.
 */
describe.skipIf(!elasticUrl)('Elasticsearch mappings against the template and the preset', () => {
  const tenant = randomUUID();
  const neighbour = randomUUID();
  const own = `tenant-${tenant}-cases-2026-03`;
  const other = `tenant-${neighbour}-cases-2026-03`;
  const template = `tenant_cases_template_${process.pid}`;
  let client: Client;
  let store: ElasticStore;

  beforeAll(async () => {
    client = new Client({ node: elasticUrl ?? '' });
    await client.indices.putIndexTemplate({ name: template, index_patterns: [`tenant-${tenant}-cases-*`], template: { mappings: { properties: { tenant_id: { type: 'keyword' } } } } });
    await client.indices.create({ index: own, mappings: { properties: { status: { type: 'text' } } } });
    await client.indices.create({ index: other, mappings: { properties: { status: { type: 'keyword' } } } });
    const parsed = new URL(elasticUrl ?? '');
    store = new ElasticStore(
      ElasticEndpoint.parse({ node: `${parsed.protocol}//${parsed.host}`, ...(parsed.username ? { username: decodeURIComponent(parsed.username) } : {}) }),
      { ...(parsed.password ? { password: decodeURIComponent(parsed.password) } : {}) },
    );
    await store.connect();
  });

  afterAll(async () => {
    await client?.indices.delete({ index: [own, other], ignore_unavailable: true });
    await client?.indices.deleteIndexTemplate({ name: template }).catch(() => undefined);
    await Promise.all([client?.close(), store?.close()]);
  });

  it('says where applying the mapping needs a reindex', async () => {
    const preset = { ...murima2025, blueprint: { ...murima2025.blueprint, elastic: { ...murima2025.blueprint.elastic!, templates: [{ name: template, indexPatterns: [], template: {}, source: 'test' }] } } };
    const service = createElasticMappings({ openStores: async () => ({ preset, elastic: { face: store } }) });
    const view = await service.mappings({ workspaceId: 'w', tenantId: tenant }, { signal: new AbortController().signal });
    expect(view.templates.map((t) => t.name)).toEqual([template]);
    expect(view.indices.map((i) => i.index)).toEqual([own]);
    expect(view.notes.find((n) => n.field === 'status')).toMatchObject({ index: own, template: 'keyword', live: 'text', needsReindex: true });
    expect(view.notes.find((n) => n.field === 'tenant_id')).toMatchObject({ live: null, needsReindex: false });
  });
});
