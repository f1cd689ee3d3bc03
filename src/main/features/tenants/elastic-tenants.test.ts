import { describe, expect, it } from 'vitest';
import { murima2025, tenantIdPattern, type ElasticLayout } from '@shared/tenancy';
import { allTenantsPattern, elasticTenantRows, tenantOfIndex } from './elastic-tenants';

const layout = murima2025.layout.elastic as ElasticLayout;
const entities = murima2025.blueprint.elastic!.indices.map((i) => i.entity);
const pattern = tenantIdPattern(murima2025);
const id = '3f2c1a9e-7b4d-4e21-9c55-0a1b2c3d4e5f';

describe('Elasticsearch indices by tenant', () => {
  it('reads the tenant id out of index names whose id and entity both hold dashes', () => {
    expect(tenantOfIndex(layout, `tenant-${id}-cases-2026-11`, entities, pattern)).toBe(id);
    expect(tenantOfIndex(layout, `tenant-${id}-audit-logs-2026-01`, entities, pattern)).toBe(id);
    expect(tenantOfIndex(layout, `tenant-${id}-newthing-2026-01`, entities, pattern)).toBe(id);
    expect(tenantOfIndex(layout, 'tenant-not-a-uuid-cases-2026-11', entities, pattern)).toBeUndefined();
    expect(tenantOfIndex(layout, '.kibana_1', entities, pattern)).toBeUndefined();
    expect(allTenantsPattern(layout)).toBe('tenant-*');
  });

  it('sums indices, documents and bytes per tenant', () => {
    const rows = elasticTenantRows(
      [
        { index: `tenant-${id}-cases-2026-10`, docsCount: 10, storeSizeBytes: 1000 },
        { index: `tenant-${id}-cases-2026-11`, docsCount: 5, storeSizeBytes: 500 },
        { index: 'logs-2026', docsCount: 99, storeSizeBytes: 99 },
      ],
      layout,
      entities,
      pattern,
    );
    expect(rows).toEqual([{ id, registered: false, footprint: { store: 'elastic', indices: 2, documents: 15, bytes: 1500 } }]);
  });
});
