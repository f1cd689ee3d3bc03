import { describe, expect, it } from 'vitest';
import { AppError } from '../errors';
import { clientManagement, murima2025, presetByName, presets, scopeFor } from './index';
import type { MongoCollection } from './blueprint';

const mongoIndexNames = (collections: MongoCollection[]) => collections.flatMap((c) => c.indexes.map((i) => `${c.database}.${c.name}.${i.name}`));

describe('tenancy presets', () => {
  it('registers both seed platforms by name', () => {
    expect(Object.keys(presets).sort()).toEqual(['client-management', 'murima2025']);
    expect(presetByName('murima2025')).toBe(murima2025);
    expect(() => presetByName('__proto__')).toThrow(AppError);
    expect(() => presetByName('toString')).toThrow(AppError);
  });

  it('starts every index of a tenant-scoped Client Management collection with tenantId', () => {
    const scoped = clientManagement.blueprint.mongo!.collections.filter((c) => c.tenantScoped);
    expect(scoped.map((c) => c.name)).toEqual(
      expect.arrayContaining(['clients', 'clientcontacts', 'clientdocuments', 'clientnotes', 'users', 'userpreferences', 'userprofiles', 'usersettings']),
    );
    for (const collection of scoped) {
      for (const index of collection.indexes) expect([collection.name, index.key[0]?.[0]]).toEqual([collection.name, 'tenantId']);
    }
  });

  it('gives every TTL index expireAfterSeconds, and has the TTLs the seeds prescribe', () => {
    const ttl = (collections: MongoCollection[], name: string) =>
      collections.find((c) => c.name === name)?.indexes.find((i) => i.expireAfterSeconds !== undefined);
    expect(ttl(clientManagement.blueprint.mongo!.collections, 'tokenblacklist')).toMatchObject({ key: [['expiresAt', 1]], expireAfterSeconds: 0 });
    expect(ttl(murima2025.blueprint.mongo!.collections, 'ai_results_cache')).toMatchObject({ key: [['expires_at', 1]], expireAfterSeconds: 0 });
    for (const preset of Object.values(presets)) {
      for (const c of preset.blueprint.mongo?.collections ?? []) {
        for (const i of c.indexes) if (i.name.startsWith('expires')) expect(i.expireAfterSeconds).toBeTypeOf('number');
      }
    }
  });

  it('keeps names unique: tables, indexes per schema, Mongo indexes per collection, Redis families', () => {
    for (const preset of Object.values(presets)) {
      const pg = preset.blueprint.postgres;
      if (pg) {
        const tables = pg.tables.map((t) => t.name);
        expect(new Set(tables).size).toBe(tables.length);
        // Indexes and constraint-backed indexes share one namespace per schema.
        const relationNames = [
          ...tables,
          ...pg.indexes.map((i) => i.name),
          ...pg.tables.flatMap((t) => t.constraints.filter((c) => c.kind === 'primary_key' || c.kind === 'unique').map((c) => c.name)),
        ];
        expect(new Set(relationNames).size).toBe(relationNames.length);
        for (const index of pg.indexes) expect(tables).toContain(index.table);
        for (const policy of pg.policies) expect(tables).toContain(policy.table);
      }
      const mongo = mongoIndexNames(preset.blueprint.mongo?.collections ?? []);
      expect(new Set(mongo).size).toBe(mongo.length);
      const families = preset.blueprint.redis?.families.map((f) => f.name) ?? [];
      expect(new Set(families).size).toBe(families.length);
    }
  });

  it('models every table of 003 §2.1.2 with RLS and interactions partitioned by month', () => {
    const pg = murima2025.blueprint.postgres!;
    expect(pg.tables.map((t) => t.name)).toEqual(
      expect.arrayContaining(['users', 'teams', 'team_members', 'case_types', 'cases', 'channels', 'interactions', 'documents', 'tasks', 'workflows']),
    );
    expect(pg.tables.find((t) => t.name === 'interactions')?.partitioning).toMatchObject({ column: 'timestamp', interval: 'month' });
    for (const table of pg.tables) expect(pg.policies.some((p) => p.table === table.name)).toBe(table.rowLevelSecurity);
    const kinds = new Set(pg.indexes.map((i) => ('expression' in i.keys[0]! ? 'expression' : i.method)));
    expect(kinds).toEqual(new Set(['btree', 'gin', 'expression']));
  });

  it('holds the Redis TTLs of 003 §2.3.2', () => {
    const ttl = Object.fromEntries(murima2025.blueprint.redis!.families.map((f) => [f.name, f.ttlSeconds]));
    expect(ttl).toEqual({
      session: 86_400, user_permissions: 3_600, case: 1_800, config: 3_600, rate_limit: 60,
      online_users: null, case_viewers: 300, notifications: 2_592_000, locks: 30,
    });
  });
});

describe('scopeFor', () => {
  it('scopes a Murima2025 tenant in every store', () => {
    const id = '3f2c1a9e-7b4d-4e21-9c55-0a1b2c3d4e5f';
    expect(scopeFor(murima2025, id)).toEqual({
      tenantId: id,
      postgres: { schema: 'tenant_3f2c1a9e_7b4d_4e21_9c55_0a1b2c3d4e5f', setting: 'app.current_tenant_id', tenantColumn: 'tenant_id' },
      mongo: { mode: 'collection-prefix', collectionPrefix: `tenant_${id}_`, field: 'tenant_id', valueType: 'string' },
      redis: { keyPrefix: `${id}:` },
      elastic: { indexPattern: `tenant-${id}-*` },
    });
  });

  it('scopes a Client Management tenant by the tenantId field', () => {
    expect(scopeFor(clientManagement, '652f1c2e9b1d4a0012ab34cd')).toEqual({
      tenantId: '652f1c2e9b1d4a0012ab34cd',
      mongo: {
        mode: 'field',
        field: 'tenantId',
        valueType: 'objectId',
        collections: ['clients', 'clientcontacts', 'clientdocuments', 'clientnotes', 'users', 'userpreferences', 'userprofiles', 'usersettings'],
      },
    });
  });

  it('refuses hostile tenant ids', () => {
    const uuid = '3f2c1a9e-7b4d-4e21-9c55-0a1b2c3d4e5f';
    const hostile = [
      '', `${uuid}'; DROP SCHEMA public CASCADE; --`, `${uuid}"`, `${uuid};`, `${uuid}--`, `../${uuid}`, `${uuid}\0`,
      `${uuid}\n`, `${uuid}*`, uuid.toUpperCase(), 'ｔenant', 'é'.repeat(36), 'a'.repeat(500), `${uuid}:`, '*', '..',
    ];
    for (const id of hostile) {
      expect(() => scopeFor(murima2025, id), JSON.stringify(id)).toThrow(AppError);
      expect(() => scopeFor(clientManagement, id), JSON.stringify(id)).toThrow(AppError);
    }
    expect(() => scopeFor(clientManagement, '652f1c2e9b1d4a0012ab34cd\n')).toThrow(/tenant id/);
  });
});
