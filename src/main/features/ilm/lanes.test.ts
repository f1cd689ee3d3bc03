import { describe, expect, it } from 'vitest';
import { murima2025 } from '@shared/tenancy';
import { mockIlmCluster, tenantFleet } from '../../stores/elastic/ilm-mock-cluster';
import { fleetIlmSource, ilmLaneSource } from './lanes';
import { ilmTenancy, lifecycleRow, monthlyIndexOf, tenantOfIndexName } from './tenancy';

const tenancy = ilmTenancy(murima2025);
const tenantA = '00000000-0000-4000-8000-000000000000';

describe('ILM tenancy', () => {
  it('counts a policy that does not exist as a failure, with the server’s reason', () => {
    const row = lifecycleRow(tenancy, { index: `tenant-${tenantA}-cases-2026-03`, managed: true, policy: 'gone', step_info: { type: 'illegal_argument_exception', reason: 'policy [gone] does not exist' } });
    expect(row).toMatchObject({ reason: 'policy [gone] does not exist', failedStep: null, tenantId: tenantA });
    expect(lifecycleRow(tenancy, { index: 'x', managed: true, step: 'check-rollover-ready', step_info: { message: 'waiting for rollover' } }).reason).toBeNull();
  });

  it('reads a UUID tenant id out of an index name whatever dashes the id holds', () => {
    expect(tenantOfIndexName(tenancy, `tenant-${tenantA}-audit-logs-2026-03`)).toBe(tenantA);
    expect(tenantOfIndexName(tenancy, 'tenant-not-a-uuid-cases-2026-03')).toBeUndefined();
    expect(tenantOfIndexName(tenancy, '.kibana_1')).toBeUndefined();
  });

  it('reads entity and month from -YYYY-MM and -YYYY.MM names', () => {
    expect(monthlyIndexOf(tenancy, tenantA, `tenant-${tenantA}-audit-logs-2026-03`)).toEqual({ entity: 'audit-logs', month: '2026-03' });
    expect(monthlyIndexOf(tenancy, tenantA, `tenant-${tenantA}-cases-2026.11-000002`)).toEqual({ entity: 'cases', month: '2026-11' });
    expect(monthlyIndexOf(tenancy, tenantA, `tenant-${tenantA}-cases`)).toBeUndefined();
  });
});

describe('Elasticsearch lanes', () => {
  it('gives one lane per entity with each month’s phase, and an error cell with the server’s reason', async () => {
    const fleet = tenantFleet(2, 9, 4);
    const { store } = mockIlmCluster(fleet);
    const source = ilmLaneSource(async () => ({ preset: murima2025, elastic: { ilm: store.ilm } }));
    const months = ['2026-08', '2026-09', '2026-10', '2026-11', '2026-12', '2027-01'];
    const lanes = await source.tenantLanes({ workspaceId: 'w', tenantId: tenantA, months, now: '2026-12' }, new AbortController().signal);
    expect(lanes.map((l) => l.name).sort()).toEqual(['audit-logs', 'cases', 'interactions']);
    for (const lane of lanes) {
      expect(lane.cells.map((c) => c.month)).toEqual(months);
      expect(lane.horizon).toBe('2026-12');
      expect(lane.cells[5]?.state).toBe('none');
      expect(lane.rule).toContain('ILM case_logs_policy: hot → warm 30d → cold 90d → delete 365d');
    }
    const cases = lanes.find((l) => l.name === 'cases');
    // Index 0 (cases, 2026-12) fails with failEvery 4: an error cell naming the step and the reason.
    expect(cases?.cells[4]).toMatchObject({ state: 'error', phase: 'hot', object: `tenant-${tenantA}-cases-2026-12` });
    expect(cases?.cells[4]?.detail).toContain('shrink failed: [tenant-');
    expect(cases?.cells[3]).toMatchObject({ state: 'present', phase: 'warm' });
    // Documents and bytes come from _cat/indices of the tenant's prefix (the mock sizes an index by its name's length).
    const name = `tenant-${tenantA}-cases-2026-11`;
    expect(cases?.cells[3]).toMatchObject({ object: name, count: name.length * 100, bytes: name.length * 4096 });
    await store.close();
  });

  it('counts failed steps per tenant for the fleet, and none where the workspace has no Elasticsearch', async () => {
    const fleet = tenantFleet(30, 6, 5);
    const { store, requests } = mockIlmCluster(fleet);
    const source = fleetIlmSource(async () => ({ preset: murima2025, elastic: { ilm: store.ilm } }));
    const counts = await source.ilmErrorsByTenant({ workspaceId: 'w' }, new AbortController().signal);
    expect([...counts.values()].reduce((a, b) => a + b, 0)).toBe(fleet.filter((i) => i.failure).length);
    expect(requests.filter((r) => r.path.endsWith('/_ilm/explain')).every((r) => r.querystring.only_errors === 'true')).toBe(true);
    const none = fleetIlmSource(async () => ({ preset: murima2025 }));
    expect((await none.ilmErrorsByTenant({ workspaceId: 'w' }, new AbortController().signal)).size).toBe(0);
    await store.close();
  });
});
