import { describe, expect, it } from 'vitest';
import { defaultTenantScope } from '@shared/model/tenant-scope';
import { scopedIndex } from './scope';

const acme = defaultTenantScope('acme01');

describe('Elasticsearch tenant scope', () => {
  it('defaults to the tenant pattern and accepts the tenant own indices', () => {
    expect(scopedIndex(undefined, acme)).toBe('tenant-acme01-*');
    expect(scopedIndex('tenant-acme01-cases-2025-01,tenant-acme01-interactions-*', acme)).toBe('tenant-acme01-cases-2025-01,tenant-acme01-interactions-*');
  });

  it.each(['tenant-other-*', '_all', '*', 'tenant-acme01-x,*', 'remote:tenant-acme01-x', '-tenant-acme01-x', 'tenant-acme01-x/_delete', 'tenant-acme01-x y', 'tenant-acme01-x\0'])('refuses %s under a scope', (index) => {
    expect(() => scopedIndex(index, acme)).toThrowError(expect.objectContaining({ code: 'invalid_argument' }) as Error);
  });

  it('puts the tenant’s prefix on a logical index name, part by part', () => {
    expect(scopedIndex('audit-logs*', acme)).toBe('tenant-acme01-audit-logs*');
    expect(scopedIndex('cases-2025-01,tenant-acme01-interactions-*', acme)).toBe('tenant-acme01-cases-2025-01,tenant-acme01-interactions-*');
    expect(() => scopedIndex('audit-logs*,tenant-other-*', acme)).toThrowError(expect.objectContaining({ code: 'invalid_argument' }) as Error);
  });

  it('needs an index when unscoped and refuses path characters', () => {
    expect(() => scopedIndex(undefined, undefined)).toThrowError(expect.objectContaining({ code: 'invalid_argument' }) as Error);
    expect(scopedIndex('logs-*', undefined)).toBe('logs-*');
    expect(() => scopedIndex('../_cluster', undefined)).toThrowError(expect.objectContaining({ code: 'invalid_argument' }) as Error);
  });
});
