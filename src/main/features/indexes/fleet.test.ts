import { describe, expect, it } from 'vitest';
import { FleetMerge, type FleetChunkRow } from './fleet';

const chunk = (over: Partial<FleetChunkRow>): FleetChunkRow => ({
  tbl: 'cases', name: 'idx_cases_status', display: 'USING btree (status)', tenants: 1, sizeBytes: 8192, scans: 0, usedIn: 0, neverUsedIn: 1, invalidIn: 0, top: [], ...over,
});

describe('FleetMerge', () => {
  it('adds chunks into one row per logical index, keeps the majority definition and the five busiest tenants', () => {
    const merge = new FleetMerge();
    merge.add([chunk({ tenants: 3, scans: 30, usedIn: 2, neverUsedIn: 1, top: [{ tenantId: 'a', scans: 20 }, { tenantId: 'b', scans: 10 }] })]);
    merge.add([
      chunk({ tenants: 4, scans: 7, usedIn: 4, neverUsedIn: 0, top: [{ tenantId: 'c', scans: 3 }, { tenantId: 'd', scans: 2 }, { tenantId: 'e', scans: 1 }, { tenantId: 'f', scans: 1 }] }),
      chunk({ display: 'USING btree (status DESC)', tenants: 1, invalidIn: 1, neverUsedIn: 1 }),
    ]);
    const [row] = merge.rows(new Set(['cases\u0000idx_cases_status']));
    expect(row).toEqual({
      table: 'cases', name: 'idx_cases_status', definition: 'USING btree (status)', variants: 2, prescribed: true,
      tenants: 8, sizeBytes: 3 * 8192, scans: 37, usedIn: 6, neverUsedIn: 2, invalidIn: 1,
      topTenants: [{ tenantId: 'a', scans: 20 }, { tenantId: 'b', scans: 10 }, { tenantId: 'c', scans: 3 }, { tenantId: 'd', scans: 2 }, { tenantId: 'e', scans: 1 }],
    });
  });
});
