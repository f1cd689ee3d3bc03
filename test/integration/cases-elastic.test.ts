import { randomUUID } from 'node:crypto';
import { Client } from '@elastic/elasticsearch';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { murima2025, scopeFor } from '@shared/tenancy';
import { readSearchDocuments } from '../../src/main/features/cases/other-stores';
import type { ScopedElastic } from '../../src/main/features/cases/ports';
import { announceSkip, elasticSkipReason, elasticUrl } from '../support/external-stores';

announceSkip('Case search documents from Elasticsearch', elasticSkipReason);

/**
 * The Elasticsearch part of a case page against a real cluster: of every document under
 * `tenant-<id>-*`, exactly those about the case (its search document, its interactions, its audit
 * entries) come back, and nothing from another tenant's indices. The adapter is the one a
 * workspace gives the inspectors: `_search` on the scope's index pattern.
 */
function elasticPort(client: Client): ScopedElastic {
  return {
    async search(body, scope, options) {
      const pattern = scope.elastic?.indexPattern;
      if (!pattern) throw new Error('the scope says nothing about Elasticsearch');
      const reply = await client.search({ index: pattern, ignore_unavailable: true, allow_no_indices: true, ...body }, { signal: options.signal });
      return reply.hits.hits.map((hit) => ({ index: hit._index, id: hit._id ?? '', source: (hit._source ?? {}) as Record<string, unknown> }));
    },
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
  });

  afterAll(async () => {
    await client?.indices.delete({ index: indices, ignore_unavailable: true });
    await client?.close();
  });

  it('returns the case’s own documents from the tenant’s indices only', async () => {
    const scope = scopeFor(murima2025, tenant);
    const { records, items } = await readSearchDocuments(elasticPort(client), scope, caseId, 100, {});
    expect(records).toBe(3);
    expect(items.map((item) => item.recordKind).sort()).toEqual(['elastic:audit-logs', 'elastic:cases', 'elastic:interactions']);
    expect(items.every((item) => item.key.startsWith(`elastic:tenant-${tenant}-`))).toBe(true);
  });
});
