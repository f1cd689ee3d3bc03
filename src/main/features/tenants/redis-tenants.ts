import type { NamespaceMap, StoreTenantRow } from '@shared/model/tenant';

/** The Redis side of the tenant list: one row per tenant prefix of the namespace map. */
export function redisTenantRows(map: NamespaceMap, tenantId?: string): StoreTenantRow[] {
  const tenants = tenantId === undefined ? map.tenants : map.tenants.filter((t) => t.id === tenantId);
  return tenants.map((tenant) => ({
    id: tenant.id,
    registered: false,
    footprint: { store: 'redis' as const, keys: tenant.keys, bytesEstimate: tenant.bytesEstimate, families: tenant.families },
  }));
}
