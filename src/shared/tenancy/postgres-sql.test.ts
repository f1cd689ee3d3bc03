import { describe, expect, it } from 'vitest';
import { murima2025 } from './index';
import { expectedIndexNames, monthlyPartitionName, monthsBetween, renderSharedSchema, renderTenantSchema } from './postgres-sql';

const pg = murima2025.blueprint.postgres!;
const layout = murima2025.layout.postgres!;
const tenant = '3f2c1a9e-7b4d-4e21-9c55-0a1b2c3d4e5f';
const schema = '"tenant_3f2c1a9e_7b4d_4e21_9c55_0a1b2c3d4e5f"';

describe('renderTenantSchema', () => {
  const { skeleton, ddl, partitions, guards } = renderTenantSchema(pg, layout, tenant, { firstMonth: '2025-06', lastMonth: '2025-07' });
  const statements = [...skeleton, ...ddl].map((text) => ({ text }));

  it('creates the schema, every table, index, trigger and policy with quoted identifiers', () => {
    expect(skeleton[0]).toBe(`CREATE SCHEMA ${schema}`);
    expect(ddl[0]).toBe(`SELECT pg_catalog.set_config('search_path', '${schema}, public', true)`);
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

  it('passes the tenant-dependent values of partitions and tenant checks as parameters', () => {
    expect(partitions).toEqual([
      {
        text: 'SELECT public."create_monthly_partitions"($1, $2, $3::date, $4::date)',
        values: ['tenant_3f2c1a9e_7b4d_4e21_9c55_0a1b2c3d4e5f', 'interactions', '2025-06-01', '2025-07-01'],
      },
    ]);
    expect(guards).toHaveLength(pg.tables.filter((t) => t.constraints.some((c) => c.kind === 'tenant_check')).length);
    expect(guards[0]).toEqual({
      text: 'SELECT public."add_tenant_check"($1, $2, $3, $4, $5::uuid)',
      values: ['tenant_3f2c1a9e_7b4d_4e21_9c55_0a1b2c3d4e5f', 'users', 'users_tenant_id_check', 'tenant_id', tenant],
    });
    expect(skeleton.filter((s) => s.includes('PARTITION OF'))).toEqual([`CREATE TABLE ${schema}."interactions_default" PARTITION OF ${schema}."interactions" DEFAULT`]);
    for (const s of statements) {
      expect(s.text).not.toContain(tenant);
      expect(s.text).not.toContain('2025-');
    }
  });

  it('creates partitioned tables bare and gives them their constraints after every table exists', () => {
    const parent = skeleton.find((s) => s.includes('"interactions" ('))!;
    expect(parent).not.toContain('CONSTRAINT');
    expect(skeleton.join('\n')).not.toMatch(/PRIMARY KEY|FOREIGN KEY|CHECK/);
    const interactions = pg.tables.find((t) => t.name === 'interactions')!;
    const added = ddl.filter((s) => s.startsWith(`ALTER TABLE ${schema}."interactions" ADD CONSTRAINT`));
    expect(added).toHaveLength(interactions.constraints.filter((c) => c.kind !== 'tenant_check').length);
    const lastCreate = ddl.findLastIndex((s) => s.startsWith('CREATE TABLE'));
    expect(ddl.indexOf(added[0]!)).toBeGreaterThan(lastCreate);
  });

  it('refuses a hostile tenant id before rendering anything', () => {
    for (const id of [`${tenant}"; DROP SCHEMA public CASCADE; --`, '../x', 'a\0b', 'x'.repeat(500)]) {
      expect(() => renderTenantSchema(pg, layout, id, { firstMonth: '2025-06', lastMonth: '2025-07' }), JSON.stringify(id)).toThrow(/tenant id/);
    }
  });

  it('counts months across a year and refuses a malformed month', () => {
    expect(monthsBetween('2024-11', '2025-02')).toEqual(['2024-11', '2024-12', '2025-01', '2025-02']);
    expect(monthlyPartitionName('interactions', '2025-02')).toBe('interactions_y2025m02');
    expect(() => renderTenantSchema(pg, layout, tenant, { firstMonth: "2025-06'); DROP TABLE x; --", lastMonth: '2025-07' })).toThrow(/month/);
  });
});

describe('renderSharedSchema and expectedIndexNames', () => {
  it('creates public.tenants and the partition helper', () => {
    const texts = renderSharedSchema(pg).map((s) => s.text);
    expect(texts[0]).toMatch(/^CREATE TABLE "public"\."tenants"/);
    expect(texts[1]).toContain('create_monthly_partitions');
    expect(texts[2]).toContain('add_tenant_check');
  });

  it('lists constraint-backed and declared indexes per table', () => {
    const names = expectedIndexNames(pg);
    expect(names.get('users')).toEqual(
      expect.arrayContaining(['users_pkey', 'users_email_tenant_unique', 'users_username_tenant_unique', 'idx_users_tenant_id']),
    );
    expect(names.get('team_members')).toEqual(['team_members_pkey', 'idx_team_members_user_id']);
  });
});
