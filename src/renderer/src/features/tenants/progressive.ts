import type { StoreKind } from '@shared/model/workspace';
import type { StoreTenantRow, Tenant } from '@shared/model/tenant';

const later = (a: string | null, b: string | null | undefined): string | null => (!b ? a : !a || b > a ? b : a);

/**
 * The tenant list while the stores are still answering: each store's rows folded into one row per
 * tenant as they arrive. New tenants are appended and known ones updated in place, so the grid
 * reads the same array throughout. Inconsistencies are the server's to judge once every store has
 * answered; the final list replaces this one.
 */
export class ProgressiveTenants {
  readonly rows: Tenant[] = [];
  private readonly byId = new Map<string, Tenant>();

  constructor(initial: readonly Tenant[] = []) {
    for (const tenant of initial) this.add(structuredClone(tenant));
  }

  private add(tenant: Tenant): Tenant {
    this.byId.set(tenant.id, tenant);
    this.rows.push(tenant);
    return tenant;
  }

  /** Folds in one store's answer; returns how many tenants were new. */
  apply(store: StoreKind, rows: readonly StoreTenantRow[]): number {
    let added = 0;
    for (const row of rows) {
      let tenant = this.byId.get(row.id);
      if (!tenant) {
        tenant = this.add({ id: row.id, name: null, status: null, lastActivity: null, registered: false, footprint: {}, inconsistencies: [] });
        added++;
      }
      if (row.registered || tenant.name === null) tenant.name = row.name ?? tenant.name;
      if (row.registered || tenant.status === null) tenant.status = row.status ?? tenant.status;
      tenant.lastActivity = later(tenant.lastActivity, row.lastActivity);
      tenant.registered ||= row.registered;
      if (row.footprint?.store === store) tenant.footprint = { ...tenant.footprint, [store]: row.footprint };
    }
    return added;
  }
}
