import type { StoreTenantRow } from '@shared/model/tenant';
import { allTenantsPattern, tenantIndexPattern, tenantOfIndex, type ElasticLayout } from '@shared/tenancy';
import type { ExecutionOptions } from '../../stores/execution';
import type { ElasticFace, ElasticIndexSummary } from '../../stores/elastic/face';

/** What the tenant list reads of an index: its name, documents and bytes. */
export type ElasticIndexStats = Pick<ElasticIndexSummary, 'index' | 'docsCount' | 'storeSizeBytes'>;

// Shared with the tenant roster: one reading of an index name.
export { allTenantsPattern, tenantOfIndex };

export function elasticTenantRows(indices: readonly ElasticIndexStats[], layout: ElasticLayout, entities: readonly string[], idPattern: RegExp): StoreTenantRow[] {
  const byTenant = new Map<string, { indices: number; documents: number; bytes: number }>();
  for (const index of indices) {
    const id = tenantOfIndex(layout, index.index, entities, idPattern);
    if (id === undefined) continue;
    const tally = byTenant.get(id) ?? { indices: 0, documents: 0, bytes: 0 };
    tally.indices += 1;
    tally.documents += index.docsCount;
    tally.bytes += index.storeSizeBytes;
    byTenant.set(id, tally);
  }
  return [...byTenant].map(([id, tally]) => ({ id, registered: false, footprint: { store: 'elastic' as const, ...tally } }));
}

export async function listElasticTenants(
  es: Pick<ElasticFace, 'listIndices'>,
  layout: ElasticLayout,
  entities: readonly string[],
  idPattern: RegExp,
  options: ExecutionOptions & { tenantId?: string },
): Promise<StoreTenantRow[]> {
  const pattern = options.tenantId === undefined ? allTenantsPattern(layout) : tenantIndexPattern(layout, options.tenantId);
  // The tenant list reads across tenants, so `_cat/indices` runs unscoped on the layout's pattern.
  const indices = await es.listIndices(pattern, undefined, { signal: options.signal, timeoutMs: options.timeoutMs });
  const rows = elasticTenantRows(indices, layout, entities, idPattern);
  return options.tenantId === undefined ? rows : rows.filter((row) => row.id === options.tenantId);
}
