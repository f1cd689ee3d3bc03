import { describe, expect, it } from 'vitest';
import { murima2025 } from '@shared/tenancy';
import type { DriftRow } from './drift';
import { fixPlanOf } from './fix-plan';

const blueprint = murima2025.blueprint.postgres!;
const tenant = '0f8fad5b-d9cb-469f-a165-70867728950e';
const schema = `tenant_${tenant.replaceAll('-', '_')}`;
const row = (over: Partial<DriftRow>): DriftRow => ({ tenantId: tenant, schema, object: 'index', tbl: 'cases', name: 'idx_cases_status_priority', change: 'missing', def: null, ...over });

describe('fixPlanOf', () => {
  it('drops before it creates, names each lock, and keeps everything in the tenant’s transaction', () => {
    const plan = fixPlanOf(
      [
        row({ change: 'different', def: 'USING btree (status, tenant_id, priority)' }),
        row({ object: 'row_level_security', tbl: 'documents', name: 'documents', change: 'different', def: 'false' }),
        row({ object: 'policy', name: 'tenant_isolation', change: 'different', def: '*\u0001true\u0001true\u0001true' }),
      ],
      blueprint,
    );
    expect(plan).toMatchObject({ tenantCount: 1, statementCount: 5, notFixed: [] });
    expect(plan.tenants[0]?.statements.map((s) => [s.sql, s.lock, s.transactional])).toEqual([
      [`DROP INDEX "${schema}"."idx_cases_status_priority"`, 'ACCESS EXCLUSIVE', true],
      [`DROP POLICY "tenant_isolation" ON "${schema}"."cases"`, 'ACCESS EXCLUSIVE', true],
      [`ALTER TABLE "${schema}"."documents" ENABLE ROW LEVEL SECURITY`, 'ACCESS EXCLUSIVE', true],
      [`CREATE INDEX "idx_cases_status_priority" ON "${schema}"."cases" USING btree ("tenant_id", "status", "priority")`, 'SHARE', true],
      [
        `CREATE POLICY "tenant_isolation" ON "${schema}"."cases" FOR ALL USING (tenant_id = NULLIF(current_setting('app.current_tenant_id', true), '')::uuid) WITH CHECK (tenant_id = NULLIF(current_setting('app.current_tenant_id', true), '')::uuid)`,
        'ACCESS EXCLUSIVE',
        true,
      ],
    ]);
  });

  it('leaves extra objects to a person, and re-adds a tenant guard through the seeder’s helper with quoted literals', () => {
    const plan = fixPlanOf(
      [row({ name: 'idx_by_hand', change: 'extra', def: 'USING btree (title)' }), row({ object: 'constraint', name: 'cases_tenant_id_check', change: 'missing' })],
      blueprint,
    );
    expect(plan.notFixed).toEqual(['extra index idx_by_hand on cases: not in the blueprint; drop it by hand once you know nothing uses it (1 tenant)']);
    expect(plan.tenants[0]?.statements.map((s) => s.sql)).toEqual([`SELECT public."add_tenant_check"('${schema}', 'cases', 'cases_tenant_id_check', 'tenant_id', '${tenant}'::uuid)`]);
  });
});
