import { describe, expect, it } from 'vitest';
import { murima2025 } from '@shared/tenancy';
import type { TenantScope } from '@shared/model/tenant-scope';
import type { InspectorStores } from '../../reading/stores';
import { scopedTarget } from '../../stores/mongo/scope';
import { scopedIndex } from '../../stores/elastic/scope';
import { readPlatformLogs } from './platform-logs';

const TENANT = '3f2c1a9e-7b4d-4e21-9c55-0a1b2c3d4e5f';

describe('platform logs', () => {
  it('name the logical MongoDB collection and Elasticsearch indices, which the stores resolve to the tenant’s, and still say where they read', async () => {
    const asked: Array<{ store: string; named: string; reached: string; scope: TenantScope | undefined }> = [];
    const stores: InspectorStores = {
      preset: murima2025,
      postgres: { query: async () => ({ columns: [], rows: [], rowCount: 0, command: 'SELECT' }) },
      mongo: {
        database: 'murima2025',
        reader: {
          async findExtendedJson(target, _filter, _find, scope) {
            // What MongoStore does with the name under the scope.
            asked.push({ store: 'mongo', named: target.collection, reached: scopedTarget(target, scope).collection, scope });
            return [{ _id: 'a1', action: 'update', timestamp: '2026-01-02T00:00:00.000Z' }];
          },
        },
      },
      elastic: {
        async search(index, _request, scope) {
          // What ElasticStore does with the index under the scope.
          asked.push({ store: 'elastic', named: String(index), reached: scopedIndex(index, scope), scope });
          return { hits: { hits: [{ _index: `tenant-${TENANT}-audit-logs-2026-01`, _id: 'e1', _source: { action: 'login', timestamp: '2026-01-03T00:00:00.000Z' } }] } };
        },
      },
    };
    const logs = await readPlatformLogs(stores, TENANT, 10, (_kind, record) => record, { signal: new AbortController().signal, timeoutMs: 1000 });
    expect(asked.map(({ store, named, reached }) => ({ store, named, reached }))).toEqual([
      { store: 'mongo', named: 'audit_logs', reached: `tenant_${TENANT}_audit_logs` },
      { store: 'elastic', named: 'audit-logs*', reached: `tenant-${TENANT}-audit-logs*` },
    ]);
    for (const call of asked) expect(call.scope?.tenantId).toBe(TENANT);
    expect(logs.sources.mongo).toEqual({ state: 'ok', where: `murima2025.tenant_${TENANT}_audit_logs`, truncated: false });
    expect(logs.sources.elastic).toEqual({ state: 'ok', where: `tenant-${TENANT}-audit-logs-*`, truncated: false });
    expect(logs.entries.map((e) => e.store)).toEqual(['elastic', 'mongo']);
  });
});
