import { describe, expect, it } from 'vitest';
import type { BundleEntry } from '@shared/contract/backups';
import { isoWeek, planRetention } from './catalog';

const bundle = (id: string, tenantId: string, startedAt: string, extra: Partial<BundleEntry> = {}): BundleEntry => ({
  bundleId: id,
  tenantId,
  status: 'complete',
  stores: ['postgres'],
  startedAt,
  endedAt: startedAt,
  sizeBytes: 1,
  operator: 'Ada',
  justification: null,
  totals: {},
  legalHold: null,
  verification: null,
  problem: null,
  ...extra,
});

describe('retention', () => {
  it('counts ISO weeks as ISO 8601 does across a year end', () => {
    expect(isoWeek(new Date('2026-12-31T12:00:00Z'))).toBe('2026-W53');
    expect(isoWeek(new Date('2027-01-03T12:00:00Z'))).toBe('2026-W53');
    expect(isoWeek(new Date('2027-01-04T12:00:00Z'))).toBe('2027-W01');
  });

  it('keeps per tenant, so one tenant’s many bundles never push out another’s', () => {
    const plan = planRetention(
      [bundle('a1', 'a', '2026-11-30T10:00:00Z'), bundle('a2', 'a', '2026-11-29T10:00:00Z'), bundle('b1', 'b', '2026-10-01T10:00:00Z')],
      1,
      0,
    );
    expect(plan.kept.map((k) => k.bundleId).sort()).toEqual(['a1', 'b1']);
    expect(plan.deleted.map((d) => d.bundleId)).toEqual(['a2']);
  });

  it('never plans to delete a held or an incomplete bundle, whatever is kept', () => {
    const plan = planRetention(
      [
        bundle('held', 'a', '2020-01-01T00:00:00Z', { legalHold: { reason: 'court order', at: '2020-01-02T00:00:00Z', operator: 'Ada' } }),
        bundle('running', 'a', '2020-01-01T00:00:00Z', { status: 'incomplete' }),
        bundle('failed-verify', 'a', '2020-01-03T00:00:00Z', { status: 'verify_failed' }),
      ],
      0,
      0,
    );
    expect(plan.deleted.map((d) => d.bundleId)).toEqual(['failed-verify']);
    expect(plan.kept.map((k) => [k.bundleId, k.reason])).toEqual([
      ['held', 'held'],
      ['running', 'incomplete'],
    ]);
  });
});
