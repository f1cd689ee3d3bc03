import { describe, expect, it } from 'vitest';
import { murima2025 } from '@shared/tenancy';
import { createElasticMappings, flattenMapping, mappingNotes } from './elastic';

describe('Elasticsearch mappings against their template', () => {
  it('says a new field is added in place and a changed type needs a reindex', () => {
    const template = flattenMapping({ properties: { title: { type: 'text', analyzer: 'english' }, status: { type: 'keyword' }, customer: { properties: { id: { type: 'keyword' } } } } });
    const live = flattenMapping({ properties: { title: { type: 'text' }, status: { type: 'keyword' }, extra: { type: 'long' } } });
    const notes = mappingNotes('tenant-a-cases-2026-01', template, live);
    expect(notes.map((n) => [n.field, n.template, n.live, n.needsReindex])).toEqual([
      ['title', 'text (analyzer english)', 'text', true],
      ['customer', 'object', null, false],
      ['customer.id', 'keyword', null, false],
      ['extra', null, 'long', false],
    ]);
  });
});

describe('indexes.elasticMappings', () => {
  it('compares a tenant’s live index with the template and the preset’s mapping for its entity', async () => {
    const tenant = '0f8fad5b-d9cb-469f-a165-70867728950e';
    const asked: unknown[] = [];
    const service = createElasticMappings({
      openStores: async () => ({
        preset: murima2025,
        elastic: {
          face: {
            getIndexTemplates: async () => [
              { name: 'tenant_cases_template', index_template: { index_patterns: ['tenant-*-cases-*'], composed_of: [], template: { settings: { number_of_shards: 3 } } } },
              { name: 'someone_elses', index_template: { index_patterns: ['logs-*'], composed_of: [] } },
            ],
            getMappings: async (pattern, scope) => {
              asked.push([pattern, scope?.elastic?.indexPattern]);
              return { [`tenant-${tenant}-cases-2026-03`]: { properties: { tenant_id: { type: 'keyword' }, status: { type: 'text' } } } };
            },
          },
        },
      }),
    });
    const view = await service.mappings({ workspaceId: 'w', tenantId: tenant }, { signal: new AbortController().signal });
    expect(asked).toEqual([[undefined, `tenant-${tenant}-*`]]);
    expect(view.templates.map((t) => t.name)).toEqual(['tenant_cases_template']);
    expect(view.notes.find((n) => n.field === 'status')).toMatchObject({ template: 'keyword', live: 'text', needsReindex: true });
    expect(view.notes.find((n) => n.field === 'title')).toMatchObject({ live: null, needsReindex: false });
    expect(view.notes.some((n) => n.field === 'tenant_id')).toBe(false);
  });
});
