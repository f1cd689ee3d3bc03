import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type pg from 'pg';
import { murima2025 } from '@shared/tenancy';
import { postgresRoster } from '../../src/main/reading/tenant-roster';
import { createRegistry, createScratchDatabase, postgresReader, registerTenant, tenantIds } from './tenants-fixtures';

/** The roster on a real PostgreSQL: the registry table ∪ the `tenant_%` schemas, in two statements at most. */
describe('tenant roster on PostgreSQL', () => {
  let db: { pool: pg.Pool; drop(): Promise<void> };
  const [registeredWithSchema, registeredOnly, schemaOnly] = tenantIds(3).sort() as [string, string, string];
  const schemaOf = (id: string): string => `tenant_${id.replaceAll('-', '_')}`;

  beforeAll(async () => {
    db = await createScratchDatabase(inject('postgres').url, 'tenant_roster_it');
  }, 60_000);

  afterAll(async () => {
    await db?.drop();
  });

  it('lists schemas alone while there is no registry, and never a look-alike schema (`tenantX…` is not under `tenant_`)', async () => {
    await db.pool.query(`create schema "${schemaOf(schemaOnly)}"; create schema "tenantx_not_a_tenant"; create schema "tenant_not_a_uuid"`);
    const reader = postgresReader(db.pool);
    const roster = await postgresRoster(reader, murima2025);
    expect(roster).toEqual({ store: 'postgres', tenantIds: [schemaOnly], refused: 1, truncated: false });
    expect(reader.calls).toBe(1);
  });

  it('adds registered tenants, with or without a schema, once each', async () => {
    await createRegistry(db.pool);
    await registerTenant(db.pool, registeredWithSchema, 'Alpha');
    await registerTenant(db.pool, registeredOnly, 'Beta');
    await db.pool.query(`create schema "${schemaOf(registeredWithSchema)}"`);
    const reader = postgresReader(db.pool);
    const roster = await postgresRoster(reader, murima2025);
    expect(roster.tenantIds).toEqual([registeredWithSchema, registeredOnly, schemaOnly].sort());
    expect(roster.refused).toBe(1);
    expect(reader.calls).toBe(2);
  });
});
