import type { StoreKind } from '@shared/model/workspace';
import type { Tenant } from '@shared/model/tenant';

export interface TenantFilter {
  /** Words matched against id and name, case-insensitively; every word must match. */
  search: string;
  status: string | null;
  inconsistentOnly: boolean;
  /** Only tenants this store holds something for. */
  presentIn: StoreKind | null;
}

export const NO_FILTER: TenantFilter = { search: '', status: null, inconsistentOnly: false, presentIn: null };

export function isFiltering(filter: TenantFilter): boolean {
  return filter.search.trim() !== '' || filter.status !== null || filter.inconsistentOnly || filter.presentIn !== null;
}

/** The tenants the filter lets through, in their order; the list itself when nothing filters. */
export function filterTenants(tenants: readonly Tenant[], filter: TenantFilter): readonly Tenant[] {
  if (!isFiltering(filter)) return tenants;
  const words = filter.search.trim().toLowerCase().split(/\s+/).filter(Boolean);
  return tenants.filter((tenant) => {
    if (filter.status !== null && tenant.status !== filter.status) return false;
    if (filter.inconsistentOnly && tenant.inconsistencies.length === 0) return false;
    if (filter.presentIn !== null && tenant.footprint[filter.presentIn] === undefined) return false;
    if (words.length === 0) return true;
    const text = `${tenant.id} ${tenant.name ?? ''}`.toLowerCase();
    return words.every((word) => text.includes(word));
  });
}

/** Every status the list holds, for the status filter. */
export function statusesOf(tenants: readonly Tenant[]): string[] {
  const seen = new Set<string>();
  for (const tenant of tenants) if (tenant.status) seen.add(tenant.status);
  return [...seen].sort();
}
