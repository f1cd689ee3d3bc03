import { describe, expect, it } from 'vitest';
import { monthDistance, shiftMonth } from '@shared/model/retention';
import { murima2025, type MongoLayout } from '@shared/tenancy';
import { bucketName, bucketParser, bucketRules, classifyBuckets, isExpired, keepFrom } from './buckets';

const TENANT = '3f2c1a9e-7b4d-4e21-9c55-0a1b2c3d4e5f';
const layout = murima2025.layout.mongo as Extract<MongoLayout, { mode: 'collection-prefix' }>;
const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe('monthly bucket names', () => {
  it('names a bucket as seed 003 §5.2.2 does and reads it back', () => {
    const name = bucketName(layout, TENANT, 'audit_logs', '2025-06');
    expect(name).toBe(`tenant_${TENANT}_audit_logs_2025_06`);
    expect(bucketParser('tenant_', ['audit_logs'], uuid)(name)).toEqual({ tenantId: TENANT, family: 'audit_logs', month: '2025-06' });
  });

  it('reads no bucket out of the base collection, an impossible month, another family or a tenant part that is no id', () => {
    const parse = bucketParser('tenant_', ['audit_logs', 'logs'], uuid);
    expect(parse(`tenant_${TENANT}_audit_logs`)).toBeUndefined();
    expect(parse(`tenant_${TENANT}_audit_logs_2025_13`)).toBeUndefined();
    expect(parse(`tenant_${TENANT}_audit_logs_2025_00`)).toBeUndefined();
    expect(parse(`tenant_${TENANT}_audit_logs_25_06`)).toBeUndefined();
    expect(parse(`tenant_${TENANT}_case_notes_2025_06`)).toBeUndefined();
    expect(parse('tenant_*_audit_logs_2025_06')).toBeUndefined();
    expect(parse(`other_${TENANT}_audit_logs_2025_06`)).toBeUndefined();
    // The longest family wins: `logs` does not claim the tail of `audit_logs`.
    expect(parse(`tenant_${TENANT}_audit_logs_2024_01`)?.family).toBe('audit_logs');
    expect(parse(`tenant_${TENANT}_logs_2024_01`)?.family).toBe('logs');
  });

  it('takes its bucketed families and their retention from the blueprint', () => {
    expect(bucketRules(murima2025)).toEqual([{ family: 'audit_logs', buckets: expect.objectContaining({ interval: 'month', retentionMonths: 12 }) }]);
  });
});

describe('months against a retention', () => {
  it('moves and measures months across new years', () => {
    expect(shiftMonth('2026-01', -1)).toBe('2025-12');
    expect(shiftMonth('2025-12', 1)).toBe('2026-01');
    expect(shiftMonth('2026-03', -27)).toBe('2023-12');
    expect(monthDistance('2025-11', '2026-02')).toBe(3);
    expect(monthDistance('2026-02', '2025-11')).toBe(-3);
  });

  it('keeps the current month and the eleven before it under a 12-month retention', () => {
    expect(keepFrom('2026-12', 12)).toBe('2026-01');
    expect(keepFrom('2026-03', 12)).toBe('2025-04');
    expect(isExpired('2025-12', '2026-12', 12)).toBe(true);
    expect(isExpired('2026-01', '2026-12', 12)).toBe(false);
    expect(isExpired('2026-12', '2026-12', 1)).toBe(false);
    expect(isExpired('2026-11', '2026-12', 1)).toBe(true);
  });

  it('marks expired buckets and the months missing inside the window, not before the first bucket', () => {
    const present = ['2025-10', '2025-12', '2026-01', '2026-02', '2026-04'].map((month) => ({ collection: `b_${month}`, month }));
    const { buckets, missingMonths, keepFrom: from } = classifyBuckets(present, '2026-05', 6);
    expect(from).toBe('2025-12');
    expect(buckets.map((b) => [b.month, b.expired])).toEqual([
      ['2025-10', true],
      ['2025-12', false],
      ['2026-01', false],
      ['2026-02', false],
      ['2026-04', false],
    ]);
    expect(missingMonths).toEqual(['2026-03', '2026-05']);
    // A tenant whose first bucket is recent misses nothing before it.
    expect(classifyBuckets([{ collection: 'b', month: '2026-04' }], '2026-05', 12).missingMonths).toEqual(['2026-05']);
    expect(classifyBuckets([], '2026-05', 12).missingMonths).toEqual([]);
  });
});
