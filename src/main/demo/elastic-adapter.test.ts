import { describe, expect, it } from 'vitest';
import { murima2025, tenantIndexName } from '@shared/tenancy';
import { elasticForDemo } from './elastic-adapter';
import { seedDemoPlatform } from './seed';

/** Records what the seeder asks of Elasticsearch; the real requests run where ES_URL is set. */
function recorder() {
  const calls: Array<[string, ...unknown[]]> = [];
  const store = {
    putLifecyclePolicy: async (name: string, policy: unknown) => void calls.push(['ilm', name, policy]),
    putIndexTemplate: async (name: string, body: unknown) => void calls.push(['template', name, body]),
    createIndex: async (name: string, body: unknown) => void calls.push(['index', name, body]),
    bulk: async (operations: readonly unknown[]) => {
      calls.push(['bulk', operations.length, operations[0]]);
      return { took: 1, failed: [] };
    },
  };
  return { calls, store };
}

describe('seeding Murima2025 into Elasticsearch', () => {
  it('installs the ILM policy and template, creates monthly tenant indices from the blueprint and bulk-indexes', async () => {
    const { calls, store } = recorder();
    const summary = await seedDemoPlatform({ elastic: elasticForDemo(store as never) }, { preset: 'murima2025', tenants: 2, seed: 'es', until: '2025-06' });
    const blueprint = murima2025.blueprint.elastic!;
    expect(calls[0]).toEqual(['ilm', 'case_logs_policy', blueprint.ilmPolicies[0]!.policy]);
    expect(calls[1]).toEqual(['template', 'tenant_cases_template', { index_patterns: ['tenant-*-cases-*'], template: blueprint.templates[0]!.template }]);
    const indices = calls.filter((c) => c[0] === 'index').map((c) => c[1] as string);
    expect(indices.length).toBe(summary.elastic!.indices);
    const [tenant] = summary.tenantIds;
    for (const name of indices) expect(name).toMatch(/^tenant-[0-9a-f-]{36}-(cases|interactions|audit-logs)-\d{4}-\d{2}$/);
    expect(indices.some((i) => i.startsWith(`tenant-${tenant}-cases-`))).toBe(true);
    expect(tenantIndexName(murima2025.layout.elastic!, tenant!, 'cases', new Date(Date.UTC(2025, 5, 1)))).toBe(`tenant-${tenant}-cases-2025-06`);
    const casesIndex = calls.find((c) => c[0] === 'index' && String(c[1]).includes('-cases-'))!;
    expect(casesIndex[2]).toEqual({ settings: blueprint.indices[0]!.settings, mappings: blueprint.indices[0]!.mappings });
    const bulkDocs = calls.filter((c) => c[0] === 'bulk').reduce((n, c) => n + (c[1] as number), 0);
    expect(bulkDocs).toBe(summary.elastic!.documents);
    expect(calls.find((c) => c[0] === 'bulk')![2]).toMatchObject({ action: 'index', index: expect.stringMatching(/^tenant-/) });
  });
});
