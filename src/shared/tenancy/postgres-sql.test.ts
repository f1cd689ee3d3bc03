import { describe, expect, it } from 'vitest';
import { murima2025 } from './index';
import { expectedIndexNames, renderSharedSchema, renderTenantSchema } from './postgres-sql';

const pg = murima2025.blueprint.postgres!;
const layout = murima2025.layout.postgres!;
const tenant = '3f2c1a9e-7b4d-4e21-9c55-0a1b2c3d4e5f';
const schema = '"tenant_3f2c1a9e_7b4d_4e21_9c55_0a1b2c3d4e5f"';

describe('renderTenantSchema', () => {
  const statements = renderTenantSchema(pg, layout, tenant, { months: ['2025-07', '2025-06', '2025-07'] });

  it('creates the schema, every table, index, trigger and policy with quoted identifiers', () => {
    expect(statements[0]!.text).toBe(`CREATE SCHEMA ${schema}`);
    const creates = statements.filter((s) => s.text.startsWith('CREATE TABLE') && !s.text.includes('PARTITION OF'));
    expect(creates).toHaveLength(pg.tables.length);
    for (const s of creates) expect(s.text).toMatch(new RegExp(`^CREATE TABLE ${schema.replace(/"/g, '"')}\\."[a-z_]+" \\(`));
    expect(statements.filter((s) => s.text.startsWith('CREATE INDEX'))).toHaveLength(pg.indexes.length);
    expect(statements.filter((s) => s.text.startsWith('CREATE POLICY'))).toHaveLength(pg.policies.length);
    expect(statements.filter((s) => s.text.startsWith('CREATE TRIGGER'))).toHaveLength(pg.triggers.length);
    expect(statements.find((s) => s.text.includes('"interactions" ('))!.text).toContain('PARTITION BY RANGE ("timestamp")');
    expect(statements.find((s) => s.text.includes('idx_cases_custom_fields_customer_id'))!.text).toContain(
      "USING btree ((custom_fields ->> 'customer_id'::text))",
    );
    expect(statements.find((s) => s.text.includes('idx_cases_status_created_at'))!.text).toContain('("status", "created_at" DESC)');
  });

  it('passes the tenant-dependent values as parameters, one partition per distinct month', () => {
    const partitions = statements.filter((s) => s.text.includes('create_monthly_partition'));
    expect(partitions.map((s) => s.values)).toEqual([
      ['tenant_3f2c1a9e_7b4d_4e21_9c55_0a1b2c3d4e5f', 'interactions', '2025-06-01'],
      ['tenant_3f2c1a9e_7b4d_4e21_9c55_0a1b2c3d4e5f', 'interactions', '2025-07-01'],
    ]);
    for (const s of statements) {
      expect(s.text).not.toContain(tenant);
      expect(s.text).not.toContain('2025-');
    }
  });

  it('refuses a malformed month', () => {
    expect(() => renderTenantSchema(pg, layout, tenant, { months: ["2025-06'); DROP TABLE x; --"] })).toThrow(/month/);
  });
});

describe('renderSharedSchema and expectedIndexNames', () => {
  it('creates public.tenants and the partition helper', () => {
    const texts = renderSharedSchema(pg).map((s) => s.text);
    expect(texts[0]).toMatch(/^CREATE TABLE "public"\."tenants"/);
    expect(texts[1]).toContain('create_monthly_partition');
  });

  it('lists constraint-backed and declared indexes per table', () => {
    const names = expectedIndexNames(pg);
    expect(names.get('users')).toEqual(
      expect.arrayContaining(['users_pkey', 'users_email_tenant_unique', 'users_username_tenant_unique', 'idx_users_tenant_id']),
    );
    expect(names.get('team_members')).toEqual(['team_members_pkey', 'idx_team_members_user_id']);
  });
});
