import type { PostgresFootprint, RedisFootprint, StoreTenantRow, Tenant, TenantList } from '@shared/model/tenant';

const pg1: PostgresFootprint = { store: 'postgres', schema: 'tenant_t1', tables: 14, rowsEstimate: 1200, bytesEstimate: 2_097_152 };
const pg2: PostgresFootprint = { store: 'postgres', schema: 'tenant_t2', tables: 14, rowsEstimate: 30_000, bytesEstimate: 10_485_760 };
const pg3: PostgresFootprint = { store: 'postgres', schema: null, tables: 0, rowsEstimate: 0, bytesEstimate: 0 };
const redis1: RedisFootprint = { store: 'redis', keys: 42, bytesEstimate: 4096, families: { session: 40, other: 2 } };
const redisGhost: RedisFootprint = { store: 'redis', keys: 7, bytesEstimate: 512, families: { session: 7 } };

/** PostgreSQL's word on three registered tenants: registry rows joined with their schemas. */
export const postgresRows: StoreTenantRow[] = [
  { id: 't1', registered: true, name: 'Acme Legal', status: 'active', lastActivity: '2026-11-20T10:00:00.000Z', footprint: pg1 },
  { id: 't2', registered: true, name: 'Borealis Health', status: 'suspended', lastActivity: '2026-11-01T10:00:00.000Z', footprint: pg2 },
  { id: 't3', registered: true, name: 'Cobalt Insurance', status: 'active', lastActivity: null, footprint: pg3 },
];

/** Redis's word: keys of t1 and of a prefix no registry row names. */
export const redisRows: StoreTenantRow[] = [
  { id: 't1', registered: false, footprint: redis1 },
  { id: 'ghost', registered: false, footprint: redisGhost },
];

function tenant(id: string, name: string | null, status: string | null, footprint: Tenant['footprint'], inconsistencies: Tenant['inconsistencies'] = []): Tenant {
  return { id, name, status, lastActivity: null, registered: name !== null, footprint, inconsistencies };
}

/** The server's merged list after both stores answered, with the inconsistencies it found. */
export const mergedList: TenantList = {
  tenants: [
    tenant('t1', 'Acme Legal', 'active', { postgres: pg1, redis: redis1 }),
    tenant('t2', 'Borealis Health', 'suspended', { postgres: pg2 }),
    tenant('t3', 'Cobalt Insurance', 'active', { postgres: pg3 }, [
      { kind: 'tenant_without_schema', store: 'postgres', message: 'Tenant t3 is registered but has no schema.' },
    ]),
    tenant('ghost', null, null, { redis: redisGhost }, [
      { kind: 'keys_of_unknown_tenant', store: 'redis', message: '7 Redis keys under ghost: belong to no registered tenant.' },
    ]),
  ],
  stores: [
    { store: 'postgres', state: 'ok', elapsedMs: 12 },
    { store: 'redis', state: 'ok', elapsedMs: 30 },
    { store: 'mongo', state: 'not_configured', elapsedMs: 0 },
    { store: 'elastic', state: 'not_configured', elapsedMs: 0 },
  ],
};
