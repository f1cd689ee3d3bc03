import { randomUUID } from 'node:crypto';
import { Client } from '@elastic/elasticsearch';
import { ElasticEndpoint } from '@shared/model/workspace';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { murima2025, scopeFor } from '@shared/tenancy';
import { readSearchDocuments } from '../../src/main/features/cases/other-stores';
import type { ScopedElastic } from '../../src/main/reading/stores';
import { ElasticStore } from '../../src/main/stores/elastic/store';
import { announceSkip, elasticSkipReason, elasticUrl } from '../support/external-stores';

announceSkip('Case search documents from Elasticsearch', elasticSkipReason);

/**
 * The Elasticsearch part of a case page against a real cluster, through ElasticStore as it is: of
 * every document under `tenant-<id>-*`, exactly those about the case (its search document, its
 * interactions, its audit entries) come back, and nothing from another tenant's indices.
 */
function endpointFrom(url: string): { endpoint: ElasticEndpoint; password?: string } {
  const parsed = new URL(url);
  return {
    endpoint: ElasticEndpoint.parse({ node: `${parsed.protocol}//${parsed.host}`, ...(parsed.username ? { username: decodeURIComponent(parsed.username) } : {}) }),
    ...(parsed.password ? { password: decodeURIComponent(parsed.password) } : {}),
  };
}

describe.skipIf(!elasticUrl)('Case search documents from Elasticsearch', () => {
  const tenant = randomUUID();
  const neighbour = randomUUID();
  const caseId = randomUUID();
  const otherCase = randomUUID();
  const keyword = { type: 'keyword' } as const;
  const mappings = { properties: { tenant_id: keyword, id: keyword, case_id: keyword, entity_id: keyword, timestamp: { type: 'date' as const }, created_at: { type: 'date' as const } } };
  const indices = [`tenant-${tenant}-cases-2026-03`, `tenant-${tenant}-interactions-2026-03`, `tenant-${tenant}-audit-logs-2026-03`, `tenant-${neighbour}-cases-2026-03`];
  let client: Client;
  let store: ElasticStore;

  beforeAll(async () => {
    client = new Client({ node: elasticUrl ?? '' });
    for (const index of indices) await client.indices.create({ index, mappings });
    const docs: Array<[string, Record<string, unknown>]> = [
      [indices[0]!, { tenant_id: tenant, id: caseId, case_number: 'CASE-1', created_at: '2026-03-01T08:00:00Z' }],
      [indices[0]!, { tenant_id: tenant, id: otherCase, case_number: 'CASE-2', created_at: '2026-03-01T08:00:00Z' }],
      [indices[1]!, { tenant_id: tenant, id: randomUUID(), case_id: caseId, content: 'Hello', timestamp: '2026-03-01T09:00:00Z' }],
      [indices[1]!, { tenant_id: tenant, id: randomUUID(), case_id: otherCase, content: 'Other', timestamp: '2026-03-01T09:00:00Z' }],
      [indices[2]!, { tenant_id: tenant, entity_id: caseId, action: 'update', timestamp: '2026-03-01T10:00:00Z', context: { session_id: 'sess-9' } }],
      [indices[3]!, { tenant_id: neighbour, id: caseId, case_number: 'CASE-1', created_at: '2026-03-01T08:00:00Z' }],
    ];
    await client.bulk({ refresh: true, operations: docs.flatMap(([index, doc]) => [{ index: { _index: index } }, doc]) });
    const { endpoint, password } = endpointFrom(elasticUrl ?? '');
    store = new ElasticStore(endpoint, { password });
    await store.connect();
  });

  afterAll(async () => {
    await client?.indices.delete({ index: indices, ignore_unavailable: true });
    await Promise.all([client?.close(), store?.close()]);
  });

  it('returns the case’s own documents from the tenant’s indices only', async () => {
    const scope = scopeFor(murima2025, tenant);
    const port: ScopedElastic = store;
    const { records, items } = await readSearchDocuments(port, scope, caseId, 100, {});
    expect(records).toBe(3);
    expect(items.map((item) => item.recordKind).sort()).toEqual(['elastic:audit-logs', 'elastic:cases', 'elastic:interactions']);
    expect(items.every((item) => item.key.startsWith(`elastic:tenant-${tenant}-`))).toBe(true);
  });
});
