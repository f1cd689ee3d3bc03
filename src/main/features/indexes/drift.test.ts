import { describe, expect, it } from 'vitest';
import { murima2025 } from '@shared/tenancy';
import { groupDrift, indexDifferences, indexParts, policyDifferences, policyText, type DriftRow } from './drift';

const blueprint = murima2025.blueprint.postgres!;

describe('index definitions as the catalog pass writes them', () => {
  it('splits keys, INCLUDE and the predicate, keeping parentheses and quotes inside expressions', () => {
    expect(indexParts("UNIQUE USING btree (tenant_id, lower((title)::text), (custom_fields ->> 'a,b'::text)) INCLUDE (status) WHERE (deleted_at IS NULL)")).toEqual({
      unique: true,
      method: 'btree',
      keys: ['tenant_id', 'lower((title)::text)', "(custom_fields ->> 'a,b'::text)"],
      include: ['status'],
      predicate: '(deleted_at IS NULL)',
    });
  });

  it('names what differs: column order, keys, predicate, uniqueness, method, INCLUDE', () => {
    const want = 'USING btree (tenant_id, status, priority)';
    expect(indexDifferences(want, 'USING btree (status, tenant_id, priority)')).toEqual(['column order']);
    expect(indexDifferences(want, 'USING btree (tenant_id, status)')).toEqual(['keys']);
    expect(indexDifferences(want, 'USING btree (tenant_id, status, priority) WHERE (priority > 1)')).toEqual(['predicate']);
    expect(indexDifferences(want, 'UNIQUE USING hash (tenant_id, status, priority) INCLUDE (title)')).toEqual(['unique', 'method', 'include']);
  });

  it('reads policies as command, USING and WITH CHECK', () => {
    const want = "*\u0001(tenant_id = 'a'::uuid)\u0001(tenant_id = 'a'::uuid)\u0001true";
    expect(policyDifferences(want, "*\u0001true\u0001(tenant_id = 'a'::uuid)\u0001true")).toEqual(['using']);
    expect(policyDifferences(want, "r\u0001(tenant_id = 'a'::uuid)\u0001\u0001false")).toEqual(['command', 'with_check', 'permissive']);
    expect(policyText("r\u0001true\u0001\u0001false")).toBe('AS RESTRICTIVE FOR SELECT USING (true)');
  });
});

describe('groupDrift', () => {
  const row = (tenantId: string, over: Partial<DriftRow>): DriftRow => ({ tenantId, schema: `tenant_${tenantId}`, object: 'index', tbl: 'cases', name: 'idx_cases_status_priority', change: 'missing', def: null, ...over });
  const reference = [{ object: 'index', tbl: 'cases', name: 'idx_cases_status_priority', def: 'USING btree (tenant_id, status, priority)' }];

  it('groups tenants by the same finding, largest first, with the blueprint source', () => {
    const groups = groupDrift(
      [
        row('a', {}),
        row('b', { change: 'different', def: 'USING btree (status, tenant_id, priority)' }),
        row('c', {}),
        row('d', { change: 'different', def: 'USING btree (status, tenant_id, priority)' }),
        row('e', { change: 'different', def: 'USING btree (tenant_id)' }),
      ],
      reference,
      blueprint,
    );
    expect(groups.map((g) => [g.title, g.tenantIds])).toEqual([
      ['index idx_cases_status_priority on cases: column order differs', ['b', 'd']],
      ['missing index idx_cases_status_priority on cases', ['a', 'c']],
      ['index idx_cases_status_priority on cases: keys differs', ['e']],
    ]);
    expect(groups[1]).toMatchObject({ expected: 'USING btree (tenant_id, status, priority)', actual: null, source: '003 §4.1.3', tenantCount: 2 });
  });

  it('says which way row-level security drifted', () => {
    const [group] = groupDrift([row('a', { object: 'row_level_security', tbl: 'documents', name: 'documents', change: 'different', def: 'false' })], [{ object: 'row_level_security', tbl: 'documents', name: 'documents', def: 'true' }], blueprint);
    expect(group).toMatchObject({ title: 'row-level security disabled on documents', expected: 'enabled', actual: 'disabled', differences: ['enabled'] });
  });
});
