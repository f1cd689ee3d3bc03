import { describe, expect, it } from 'vitest';
import { clientManagement, murima2025 } from '@shared/tenancy';
import { collectionIndexUsage } from '../../stores/mongo/index-usage';
import { collStatsReply, indexStatsReply } from '../../stores/mongo/index-usage.fixtures';
import { groupMongoFleet, placeCollection } from './mongo-fleet';

const A = '3f2c1a9e-7b4d-4e21-9c55-0a1b2c3d4e5f';
const B = '0a1b2c3d-0000-4e21-9c55-000000000002';
const C = '0a1b2c3d-0000-4e21-9c55-000000000003';

/** One tenant's case_notes collection as both stages answer for it, on two nodes. */
const caseNotes = (tenant: string, ops: { caseId: number; text: number }, sizes: { caseId: number; text: number }) =>
  collectionIndexUsage(
    `tenant_${tenant}_case_notes`,
    [
      ...indexStatsReply('node-1:27017', { _id_: 0, 'tenant_id_1_case_id_1': ops.caseId, text_index: ops.text }),
      ...indexStatsReply('node-2:27017', { _id_: 0, 'tenant_id_1_case_id_1': 0, text_index: 0 }, new Date('2026-11-18T00:00:00Z')),
    ],
    [collStatsReply(`murima.tenant_${tenant}_case_notes`, { _id_: 4096, 'tenant_id_1_case_id_1': sizes.caseId, text_index: sizes.text })],
  );

describe('the MongoDB fleet view', () => {
  it('reads the tenant and the logical collection back from tenant_<id>_<name>, even where the name holds underscores', () => {
    expect(placeCollection(murima2025, `tenant_${A}_ai_results_cache`)).toEqual({ logical: 'ai_results_cache', tenantId: A });
    expect(placeCollection(murima2025, 'platform_settings')).toEqual({ logical: 'platform_settings', tenantId: null });
    expect(placeCollection(clientManagement, 'cases')).toEqual({ logical: 'cases', tenantId: null });
  });

  it('makes one row of an index across tenant-prefixed collections: size summed, accesses split by tenant', () => {
    const usage = [
      caseNotes(A, { caseId: 40, text: 0 }, { caseId: 8192, text: 16384 }),
      caseNotes(B, { caseId: 2, text: 0 }, { caseId: 4096, text: 16384 }),
      caseNotes(C, { caseId: 0, text: 0 }, { caseId: 4096, text: 12288 }),
    ];
    const { rows, tenantCollections } = groupMongoFleet(murima2025, usage);
    expect(tenantCollections).toBe(3);
    expect(rows.map((r) => r.name)).toEqual(['_id_', 'tenant_id_1_case_id_1', 'text_index']);
    expect(rows.find((r) => r.name === 'tenant_id_1_case_id_1')).toEqual({
      collection: 'case_notes',
      name: 'tenant_id_1_case_id_1',
      key: [['tenant_id', 1], ['case_id', 1]],
      variants: 1,
      layout: 'per-tenant',
      prescribed: true,
      collections: 3,
      sizeBytes: 16384,
      accesses: 42,
      usedIn: 2,
      neverUsedIn: 1,
      topTenants: [{ tenantId: A, ops: 40 }, { tenantId: B, ops: 2 }],
      since: '2026-11-18T00:00:00.000Z',
    });
    expect(rows.find((r) => r.name === 'text_index')).toMatchObject({ sizeBytes: 45056, usedIn: 0, neverUsedIn: 3, topTenants: [], prescribed: true });
    expect(rows.find((r) => r.name === '_id_')).toMatchObject({ prescribed: false, collections: 3, sizeBytes: 12288 });
  });

  it('counts the key specs seen under one name, and keeps the one most tenants have', () => {
    const odd = collectionIndexUsage(`tenant_${C}_case_notes`, [{ name: 'tenant_id_1_case_id_1', key: { case_id: 1, tenant_id: 1 }, host: 'n:1', accesses: { ops: 1, since: new Date('2026-11-20T00:00:00Z') } }], []);
    const { rows } = groupMongoFleet(murima2025, [caseNotes(A, { caseId: 1, text: 0 }, { caseId: 1, text: 1 }), caseNotes(B, { caseId: 1, text: 0 }, { caseId: 1, text: 1 }), odd]);
    expect(rows.find((r) => r.name === 'tenant_id_1_case_id_1')).toMatchObject({ variants: 2, key: [['tenant_id', 1], ['case_id', 1]], collections: 3 });
  });

  it('keeps an index of a shared collection as its own row, whose accesses are not split by tenant', () => {
    const shared = collectionIndexUsage('cases', indexStatsReply('node-1:27017', { _id_: 9, tenant_id_1_case_id_1: 120 }), [collStatsReply('cm.cases', { _id_: 65536, tenant_id_1_case_id_1: 32768 })]);
    const { rows, tenantCollections } = groupMongoFleet(clientManagement, [shared]);
    expect(tenantCollections).toBe(0);
    expect(rows.find((r) => r.name === 'tenant_id_1_case_id_1')).toMatchObject({ layout: 'shared', collections: 1, sizeBytes: 32768, accesses: 120, usedIn: null, neverUsedIn: null, topTenants: [] });
  });
});
