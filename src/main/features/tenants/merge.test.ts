import { describe, expect, it } from 'vitest';
import { mergeTenants } from './merge';

const pgRow = (id: string, schema: string | null, registered: boolean, name: string | null = null) => ({
  id,
  registered,
  name,
  status: registered ? 'active' : null,
  lastActivity: registered ? '2026-10-01T00:00:00.000Z' : null,
  footprint: { store: 'postgres' as const, schema, tables: schema ? 12 : 0, rowsEstimate: 10, bytesEstimate: 8192 },
});
const redisRow = (id: string, keys: number) => ({ id, registered: false, footprint: { store: 'redis' as const, keys, bytesEstimate: keys * 100, families: { session: keys } } });

describe('mergeTenants', () => {
  it('joins each store’s word on a tenant into one row', () => {
    const [tenant] = mergeTenants(
      [
        { store: 'postgres', rows: [pgRow('a', 'tenant_a', true, 'Acme')] },
        { store: 'redis', rows: [redisRow('a', 5)] },
      ],
      true,
    );
    expect(tenant).toMatchObject({ id: 'a', name: 'Acme', status: 'active', registered: true, inconsistencies: [] });
    expect(tenant?.footprint.postgres?.tables).toBe(12);
    expect(tenant?.footprint.redis?.keys).toBe(5);
  });

  it('names what the stores disagree on, on the tenant concerned', () => {
    const tenants = mergeTenants(
      [
        { store: 'postgres', rows: [pgRow('a', null, true, 'No schema'), pgRow('b', 'tenant_b', false)] },
        { store: 'redis', rows: [redisRow('c', 3)] },
      ],
      true,
    );
    const kinds = Object.fromEntries(tenants.map((t) => [t.id, t.inconsistencies.map((i) => i.kind)]));
    expect(kinds).toEqual({ a: ['tenant_without_schema'], b: ['schema_without_tenant'], c: ['keys_of_unknown_tenant'] });
  });

  it('does not call a tenant unknown when the registry did not answer', () => {
    const tenants = mergeTenants([{ store: 'redis', rows: [redisRow('c', 3)] }], false);
    expect(tenants[0]?.inconsistencies).toEqual([]);
  });
});
