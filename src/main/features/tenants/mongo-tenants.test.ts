import { describe, expect, it } from 'vitest';
import type { TenantScope } from '@shared/model/tenant-scope';
import { clientManagement, murima2025, scopeFor, tenantIdPattern, type MongoLayout } from '@shared/tenancy';
import { listMongoTenants, tenantOfCollection } from './mongo-tenants';
import type { MongoCollectionStats, RegisteredTenant, TenantDocuments } from '../../stores/mongo/face';
import type { TenantsMongo } from './mongo-tenants';

const a = '3f2c1a9e-7b4d-4e21-9c55-0a1b2c3d4e5f';
const b = '0f8fad5b-d9cb-469f-a165-70867728950e';

/** A stand-in for the MongoDB store answering with the shapes its tenant catalog returns. */
function fakeMongo(
  collections: Record<string, MongoCollectionStats>,
  counts: Record<string, TenantDocuments[]> = {},
  registry: RegisteredTenant[] = [],
): TenantsMongo & { statsCalls: string[]; scopes: Array<TenantScope | undefined> } {
  const statsCalls: string[] = [];
  const scopes: Array<TenantScope | undefined> = [];
  return {
    statsCalls,
    scopes,
    listCollectionNames: async () => Object.keys(collections),
    collectionStats: async ({ collection: name }) => {
      statsCalls.push(name);
      return collections[name] ?? { count: 0, size: 0 };
    },
    tenantDocuments: async ({ collection: name }, _field, scope) => {
      scopes.push(scope);
      return (counts[name] ?? []).filter((c) => !scope || c.tenantId === scope.tenantId);
    },
    registeredTenants: async (_target, _fields, scope) => {
      scopes.push(scope);
      return registry.filter((r) => !scope || r.tenantId === scope.tenantId);
    },
  };
}

describe('MongoDB tenants, collection-prefix layout (Murima2025)', () => {
  const layout = murima2025.layout.mongo as MongoLayout;
  const known = murima2025.blueprint.mongo!.collections.map((c) => c.name);

  it('reads the tenant out of tenant_<id>_<name>, names with underscores included', () => {
    expect(tenantOfCollection('tenant_', `tenant_${a}_case_notes`, known, tenantIdPattern(murima2025))).toBe(a);
    expect(tenantOfCollection('tenant_', `tenant_${a}_ai_results_cache`, known, tenantIdPattern(murima2025))).toBe(a);
    expect(tenantOfCollection('tenant_', 'system.views', known, tenantIdPattern(murima2025))).toBeUndefined();
    expect(tenantOfCollection('tenant_', 'tenant_x_case_notes', known, tenantIdPattern(murima2025))).toBeUndefined();
  });

  it('sums collStats per tenant prefix and reads stats only of tenant collections', async () => {
    const mongo = fakeMongo({
      [`tenant_${a}_case_notes`]: { count: 10, size: 1000 },
      [`tenant_${a}_audit_logs`]: { count: 5, size: 200 },
      [`tenant_${b}_case_notes`]: { count: 1, size: 50 },
      shared_settings: { count: 3, size: 30 },
    });
    const rows = await listMongoTenants(mongo, layout, murima2025.blueprint.mongo, { tenant: 'murima' }, { idPattern: tenantIdPattern(murima2025) });
    expect(rows.sort((x, y) => x.id.localeCompare(y.id))).toEqual([
      { id: b, registered: false, footprint: { store: 'mongo', collections: 1, documents: 1, bytes: 50 } },
      { id: a, registered: false, footprint: { store: 'mongo', collections: 2, documents: 15, bytes: 1200 } },
    ].sort((x, y) => x.id.localeCompare(y.id)));
    expect(mongo.statsCalls).not.toContain('shared_settings');
  });
});

describe('MongoDB tenants, field layout (Client Management)', () => {
  const layout = clientManagement.layout.mongo as MongoLayout;
  const org = '652f1c2e9b1d4a0012ab34cd';
  const stray = '652f1c2e9b1d4a0012ab34ff';

  it('lists organizations with their documents per tenantId, and tenants no organization names', async () => {
    const mongo = fakeMongo(
      { clients: { count: 30, size: 3000 }, clientnotes: { count: 10, size: 500 } },
      {
        clients: [{ tenantId: org, documents: 20 }, { tenantId: stray, documents: 10 }],
        clientnotes: [{ tenantId: org, documents: 10 }],
      },
      [{ tenantId: org, name: 'Acme', status: 'active', updatedAt: null }],
    );
    const rows = await listMongoTenants(mongo, layout, clientManagement.blueprint.mongo, { customer: 'c', shared: 's', admin: 'a' }, { idPattern: tenantIdPattern(clientManagement) });
    const byId = Object.fromEntries(rows.map((r) => [r.id, r]));
    expect(byId[org]).toMatchObject({ registered: true, name: 'Acme', footprint: { store: 'mongo', documents: 30, collections: 2, bytes: 2500 } });
    expect(byId[stray]).toMatchObject({ registered: false, footprint: { store: 'mongo', documents: 10, collections: 1, bytes: 1000 } });
  });

  it('asks the store for one tenant under that tenant’s scope, building no tenant condition of its own', async () => {
    const mongo = fakeMongo(
      { clients: { count: 30, size: 3000 } },
      { clients: [{ tenantId: org, documents: 20 }, { tenantId: stray, documents: 10 }] },
      [{ tenantId: org, name: 'Acme', status: 'active', updatedAt: '2026-01-02T03:04:05.000Z' }],
    );
    const scope = scopeFor(clientManagement, org);
    const rows = await listMongoTenants(mongo, layout, clientManagement.blueprint.mongo, { customer: 'c', shared: 's', admin: 'a' }, { idPattern: tenantIdPattern(clientManagement), tenantId: org, scope });
    expect(rows).toEqual([{ id: org, registered: true, name: 'Acme', status: 'active', lastActivity: '2026-01-02T03:04:05.000Z', footprint: { store: 'mongo', collections: 1, documents: 20, bytes: 2000 } }]);
    expect(mongo.scopes.length).toBeGreaterThan(1);
    for (const seen of mongo.scopes) expect(seen).toBe(scope);
    await expect(listMongoTenants(mongo, layout, clientManagement.blueprint.mongo, { customer: 'c' }, { idPattern: tenantIdPattern(clientManagement), tenantId: org })).rejects.toMatchObject({ code: 'internal' });
  });

  it('says which database the workspace is missing', async () => {
    await expect(listMongoTenants(fakeMongo({}), layout, clientManagement.blueprint.mongo, {}, { idPattern: tenantIdPattern(clientManagement) })).rejects.toThrow(/customer database/);
  });
});
