import type { FleetIndex } from '@shared/model/indexes';

/** One row of a fleet chunk: a logical index with one definition, over the chunk's tenant schemas. */
export interface FleetChunkRow {
  tbl: string;
  name: string;
  display: string;
  tenants: number;
  sizeBytes: number;
  scans: number;
  usedIn: number;
  neverUsedIn: number;
  invalidIn: number;
  top: Array<{ tenantId: string; scans: number }>;
}

interface Accumulated {
  table: string;
  name: string;
  definitions: Map<string, number>;
  tenants: number;
  sizeBytes: number;
  scans: number;
  usedIn: number;
  neverUsedIn: number;
  invalidIn: number;
  top: Array<{ tenantId: string; scans: number }>;
}

const TOP = 5;

/**
 * Merges chunks of the fleet pass into one row per logical index: counts and sizes add up, the
 * definition most tenants have wins (the others are counted as variants), the busiest five stay.
 */
export class FleetMerge {
  readonly #rows = new Map<string, Accumulated>();

  add(chunk: readonly FleetChunkRow[]): void {
    for (const row of chunk) {
      const key = `${row.tbl}\u0000${row.name}`;
      let acc = this.#rows.get(key);
      if (!acc) {
        acc = { table: row.tbl, name: row.name, definitions: new Map(), tenants: 0, sizeBytes: 0, scans: 0, usedIn: 0, neverUsedIn: 0, invalidIn: 0, top: [] };
        this.#rows.set(key, acc);
      }
      acc.definitions.set(row.display, (acc.definitions.get(row.display) ?? 0) + row.tenants);
      acc.tenants += row.tenants;
      acc.sizeBytes += row.sizeBytes;
      acc.scans += row.scans;
      acc.usedIn += row.usedIn;
      acc.neverUsedIn += row.neverUsedIn;
      acc.invalidIn += row.invalidIn;
      acc.top = [...acc.top, ...row.top].sort((a, b) => b.scans - a.scans || a.tenantId.localeCompare(b.tenantId)).slice(0, TOP);
    }
  }

  rows(prescribed: ReadonlySet<string>): FleetIndex[] {
    return [...this.#rows.values()]
      .map((acc) => {
        const [definition = ''] = [...acc.definitions.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([text]) => text);
        return {
          table: acc.table,
          name: acc.name,
          definition,
          variants: Math.max(1, acc.definitions.size),
          prescribed: prescribed.has(`${acc.table}\u0000${acc.name}`),
          tenants: acc.tenants,
          sizeBytes: Math.round(acc.sizeBytes),
          scans: Math.round(acc.scans),
          usedIn: acc.usedIn,
          neverUsedIn: acc.neverUsedIn,
          invalidIn: acc.invalidIn,
          topTenants: acc.top.map((t) => ({ tenantId: t.tenantId, scans: Math.round(t.scans) })),
        };
      })
      .sort((a, b) => a.table.localeCompare(b.table) || a.name.localeCompare(b.name));
  }
}
