import { describe, expect, it } from 'vitest';
import { groupInventory, type ReadTable } from './inventory';
import { analyseTable, premakeTable, retireTable } from './plans';

const row = (name: string | null, bound: string | null, state = 'attached', isDefault = false) => ['tenant_a', 'interactions', 'r', 'timestamp', 'timestamp with time zone', name, bound, 10, 8192, state, isDefault];
const month = (m: string, next: string) => `FOR VALUES FROM ('${m}-01 00:00:00+00') TO ('${next}-01 00:00:00+00')`;

function tableOf(rows: unknown[][]): ReadTable {
  return groupInventory(rows, () => 'a')[0]!.tables[0]!;
}

describe('partition plans', () => {
  const table = tableOf([
    row('interactions_y2026m10', month('2026-10', '2026-11')),
    row('interactions_y2026m12', month('2026-12', '2027-01')),
    // A quarter someone made by hand: it covers February and March, and cuts into nothing else.
    row('interactions_q1', month('2027-02', '2027-04')),
    row('interactions_y2027m01', null, 'detached'),
    row('interactions_default', 'DEFAULT', 'attached', true),
  ]);

  it('finds the horizon, the months missing ahead, the holes and the default partition', () => {
    const analysed = analyseTable(table, { now: '2026-12', keepAhead: 4 }, true, 24);
    expect(analysed.horizon).toBe('2027-03');
    expect(analysed.missingAhead).toEqual(['2027-01', '2027-04']);
    expect(analysed.holes).toEqual(['2026-11', '2027-01']);
    expect(analysed.defaultPartition).toMatchObject({ name: 'interactions_default', state: 'attached' });
    expect(analysed.partitions.find((p) => p.name === 'interactions_y2027m01')).toMatchObject({ state: 'detached', month: '2027-01', bound: null });
  });

  it('premakes only what is missing; present, overlapping and taken names are conflicts', () => {
    const plan = premakeTable('tenant_a', table, ['2026-12', '2027-01', '2027-02', '2027-04']);
    expect(plan.create.map((c) => c.sql)).toEqual([
      `CREATE TABLE "tenant_a"."interactions_y2027m04" PARTITION OF "tenant_a"."interactions" FOR VALUES FROM ('2027-04-01 00:00:00+00') TO ('2027-05-01 00:00:00+00')`,
    ]);
    expect(plan.conflicts.map((c) => [c.month, c.kind, c.partition])).toEqual([
      ['2026-12', 'present', 'interactions_y2026m12'],
      ['2027-01', 'name_taken', 'interactions_y2027m01'],
      ['2027-02', 'present', 'interactions_q1'],
    ]);
    const half = tableOf([row('interactions_half', `FOR VALUES FROM ('2027-05-15 00:00:00+00') TO ('2027-06-01 00:00:00+00')`)]);
    expect(premakeTable('tenant_a', half, ['2027-05']).conflicts).toEqual([{ table: 'interactions', month: '2027-05', kind: 'overlap', partition: 'interactions_half' }]);
  });

  it('retires what is older than the retention: detach by default, drop on request, a pending detach finished', () => {
    const old = tableOf([
      row('interactions_y2024m01', month('2024-01', '2024-02')),
      row('interactions_y2024m02', month('2024-02', '2024-03'), 'detach_pending'),
      row('interactions_y2023m12', null, 'detached'),
      row('interactions_y2026m12', month('2026-12', '2027-01')),
    ]);
    const detach = retireTable('s', old, { keepFrom: '2025-01', drop: false, concurrentDetach: true });
    expect(detach.map((r) => r.statements)).toEqual([
      ['ALTER TABLE "s"."interactions" DETACH PARTITION "s"."interactions_y2024m01" CONCURRENTLY'],
      ['ALTER TABLE "s"."interactions" DETACH PARTITION "s"."interactions_y2024m02" FINALIZE'],
    ]);
    const drop = retireTable('s', old, { keepFrom: '2025-01', drop: true, concurrentDetach: false });
    expect(drop.map((r) => [r.partition, r.statements.at(-1)])).toEqual([
      ['interactions_y2023m12', 'DROP TABLE "s"."interactions_y2023m12"'],
      ['interactions_y2024m01', 'DROP TABLE "s"."interactions_y2024m01"'],
      ['interactions_y2024m02', 'DROP TABLE "s"."interactions_y2024m02"'],
    ]);
    expect(drop[1]!.statements[0]).not.toContain('CONCURRENTLY');
  });
});
