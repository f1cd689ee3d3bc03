import { describe, expect, it } from 'vitest';
import type { PostgresBlueprint } from '@shared/tenancy';
import { compareWithBlueprint, monthlyPartitionName, type LiveSchema } from './drift';

const blueprint: PostgresBlueprint = {
  shared: [],
  tables: [
    { name: 'cases', columns: [], constraints: [], rowLevelSecurity: true, source: '§2.1.2' },
    {
      name: 'interactions',
      columns: [],
      constraints: [],
      rowLevelSecurity: true,
      partitioning: { strategy: 'range', column: 'timestamp', interval: 'month', nameFormat: 'table_yYYYYmMM', withDefault: true },
      source: '§5.1.1',
    },
  ],
  indexes: [{ name: 'idx_cases_status', table: 'cases', method: 'btree', keys: [{ column: 'status' }], unique: false, source: '§4.1.3' }],
  policies: [{ name: 'tenant_isolation', table: 'cases', command: 'ALL', using: 'true', source: '§2.1.1' }],
  functions: [],
  triggers: [],
};
const now = new Date(Date.UTC(2026, 10, 22));
const table = (name: string, rls = true, parent: string | null = null) => ({ name, rls, partitioned: name === 'interactions', parent });

describe('compareWithBlueprint', () => {
  it('finds nothing when the schema is the blueprint', () => {
    const live: LiveSchema = {
      tables: [table('cases'), table('interactions'), table('interactions_y2026m11', false, 'interactions'), table('interactions_default', false, 'interactions')],
      indexes: [{ name: 'idx_cases_status', table: 'cases' }],
      policies: [{ name: 'tenant_isolation', table: 'cases' }],
    };
    expect(compareWithBlueprint(live, blueprint, now)).toEqual([]);
  });

  it('lists what is missing and what is extra, each with its table', () => {
    const live: LiveSchema = {
      tables: [table('cases', false), table('interactions'), table('interactions_old', false, 'interactions'), table('scratch', false)],
      indexes: [{ name: 'idx_cases_extra', table: 'cases' }],
      policies: [{ name: 'tenant_isolation', table: 'interactions' }],
    };
    const drift = compareWithBlueprint(live, blueprint, now).map((d) => `${d.change} ${d.kind} ${d.table ?? '-'}.${d.name}`).sort();
    expect(drift).toEqual([
      'extra index cases.idx_cases_extra',
      'extra partition interactions.interactions_old',
      'extra policy interactions.tenant_isolation',
      'extra table -.scratch',
      'missing index cases.idx_cases_status',
      'missing partition interactions.interactions_default',
      'missing partition interactions.interactions_y2026m11',
      'missing policy cases.tenant_isolation',
      'missing row_level_security cases.cases',
    ]);
  });

  it('names monthly partitions as the blueprint format does', () => {
    expect(monthlyPartitionName('interactions', new Date(Date.UTC(2026, 0, 31)))).toBe('interactions_y2026m01');
  });
});
