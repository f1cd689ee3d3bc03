import { describe, expect, it } from 'vitest';
import { clientManagement, murima2025 } from '@shared/tenancy';
import type { ElasticIndexSummary } from '../stores/elastic/face';
import type { QueryResult } from '../stores/postgres/face';
import { elasticRoster, mongoRoster, postgresRoster, redisRoster, type RosterMongo, type RosterPostgres, type RosterRedis } from './tenant-roster';

const a = '3f2c1a9e-7b4d-4e21-9c55-0a1b2c3d4e5f';
const b = '0f8fad5b-d9cb-469f-a165-70867728950e';
const c = '11111111-2222-4333-8444-555555555555';
const schemaOf = (id: string): string => `tenant_${id.replaceAll('-', '_')}`;

/** A PostgreSQL that answers the roster's catalog query and registry read, recording both. */
function fakePostgres(catalog: { registry: boolean; schemas: string[] }, registryIds: Array<string | null>): RosterPostgres & { calls: Array<{ sql: string; params: readonly unknown[] }> } {
  const calls: Array<{ sql: string; params: readonly unknown[] }> = [];
  const result = (names: string[], rows: unknown[][]): QueryResult => ({ columns: names.map((name) => ({ name, dataTypeId: 25 })), rows, rowCount: rows.length, command: 'SELECT' });
  return {
    calls,
    query: async (sql, params = []) => {
      calls.push({ sql, params });
      if (sql.includes('pg_namespace')) return result(['registry', 'schemas'], [[catalog.registry, catalog.schemas]]);
      return result(['id'], registryIds.map((id) => [id]));
    },
  };
}

describe('tenant roster: PostgreSQL', () => {
  it('is the registry ∪ the tenant schemas, sorted and unique, with ids the preset refuses counted and left out', async () => {
    const pg = fakePostgres({ registry: true, schemas: [schemaOf(a), schemaOf(b), 'tenant_not_a_uuid'] }, [b, c, null, 'x"; drop table t; --']);
    const roster = await postgresRoster(pg, murima2025);
    expect(roster).toEqual({ store: 'postgres', tenantIds: [b, a, c].sort(), refused: 2, truncated: false });
    // The names travel as parameters; the registry table and column are quoted identifiers.
    expect(pg.calls[0]?.params).toEqual(['"public"."tenants"', 'id', 'tenant_']);
    expect(pg.calls[1]?.sql).toContain('SELECT DISTINCT "id"::text FROM "public"."tenants"');
  });

  it('reads schemas alone, in one query, when the registry table is missing', async () => {
    const pg = fakePostgres({ registry: false, schemas: [schemaOf(a)] }, [b]);
    expect((await postgresRoster(pg, murima2025)).tenantIds).toEqual([a]);
    expect(pg.calls).toHaveLength(1);
  });

  it('lists nothing for a preset without PostgreSQL tenant data', async () => {
    const pg = fakePostgres({ registry: true, schemas: [] }, []);
    expect((await postgresRoster(pg, { ...murima2025, layout: { ...murima2025.layout, postgres: undefined } })).tenantIds).toEqual([]);
    expect(pg.calls).toHaveLength(0);
  });
});

describe('tenant roster: MongoDB', () => {
  const mongo = (collections: string[], registry: string[]): RosterMongo & { databases: string[] } => {
    const databases: string[] = [];
    return {
      databases,
      listCollectionNames: async (database) => {
        databases.push(database);
        return collections;
      },
      registeredTenants: async (target) => {
        databases.push(`${target.database}.${target.collection}`);
        return registry.map((tenantId) => ({ tenantId, name: null, status: null, updatedAt: null }));
      },
    };
  };

  it('reads collection-prefix tenants from the workspace’s tenant database', async () => {
    const fake = mongo([`tenant_${a}_case_notes`, `tenant_${a}_ai_results_cache`, `tenant_${b}_case_notes`, 'system.views', 'tenant_x_case_notes'], []);
    const roster = await mongoRoster(fake, murima2025, { tenant: 'renamed' });
    expect(roster.tenantIds).toEqual([b, a].sort());
    expect(fake.databases).toEqual(['renamed']);
  });

  it('reads a field layout’s registry collection', async () => {
    const org = '64b7f0c2a1b2c3d4e5f60718';
    const fake = mongo([], [org, org, 'not-an-object-id']);
    const layout = clientManagement.layout.mongo;
    if (layout?.mode !== 'field') throw new Error('Client Management keeps tenants by field');
    const databases = { ...layout.databases };
    const roster = await mongoRoster(fake, clientManagement, databases);
    expect(roster).toMatchObject({ tenantIds: [org], refused: 1 });
    expect(fake.databases).toEqual([`${databases[layout.registry.database]}.${layout.registry.collection}`]);
  });
});

describe('tenant roster: Redis', () => {
  function redis(pages: string[][]): RosterRedis & { pulled: number; closed: boolean } {
    const state = { pulled: 0, closed: false };
    return Object.assign(state, {
      scanKeys: async function* () {
        try {
          for (const page of pages) {
            state.pulled += 1;
            yield page;
          }
        } finally {
          state.closed = true;
        }
      },
    });
  }

  it('takes the tenant prefixes of the keyspace, skipping keys without one', async () => {
    const fake = redis([[`${a}:session:1`, `${a}:cache:x`, 'celery:queue'], [`${b}:session:2`, 'nope:1']]);
    expect(await redisRoster(fake, murima2025)).toEqual({ store: 'redis', tenantIds: [b, a].sort(), refused: 0, truncated: false });
  });

  it('stops the SCAN at its cap, closes it and says the roster is cut', async () => {
    const fake = redis([[`${a}:1`, `${a}:2`], [`${b}:1`, `${b}:2`], [`${c}:1`]]);
    const roster = await redisRoster(fake, murima2025, { maxKeys: 3 });
    expect(roster.tenantIds).toEqual([b, a].sort());
    expect(roster.truncated).toBe(true);
    expect(fake.pulled).toBe(2);
    expect(fake.closed).toBe(true);
  });
});

describe('tenant roster: Elasticsearch', () => {
  it('reads tenant ids out of the index names under the layout’s pattern', async () => {
    const patterns: Array<string | undefined> = [];
    const summary = (index: string): ElasticIndexSummary => ({ index, health: 'green', status: 'open', docsCount: 1, storeSizeBytes: 1 });
    const es = {
      listIndices: async (pattern: string | undefined) => {
        patterns.push(pattern);
        return [summary(`tenant-${a}-cases-2026-11`), summary(`tenant-${a}-audit-logs-2026-10`), summary(`tenant-${b}-cases-2026-11`), summary('tenant-oops-cases-2026-11')];
      },
    };
    expect((await elasticRoster(es, murima2025)).tenantIds).toEqual([b, a].sort());
    expect(patterns).toEqual(['tenant-*']);
  });
});
