import { describe, expect, it } from 'vitest';
import { murima2025 } from '@shared/tenancy';
import type { QueryResult } from '../../stores/postgres/face';
import { readDrift } from './passes';

const answer = (columns: string[], rows: unknown[][]): QueryResult => ({ columns: columns.map((name) => ({ name, dataTypeId: 25 })), rows, rowCount: rows.length, command: 'SELECT' });

describe('readDrift', () => {
  it('reads every schema once, in ranges of schema names, and leaves busy ones out', async () => {
    const schemas = ['tenant_a', 'tenant_b', 'tenant_c', 'tenant_d', 'tenant_e'];
    const ranges: unknown[][] = [];
    const pg = {
      query: async (sql: string, params: readonly unknown[] = []) => {
        if (sql.includes('ORDER BY n.nspname')) return answer(['schema'], schemas.map((s) => [s]));
        if (sql.includes('SELECT n.nspname::text FROM busy')) return answer(['nspname'], [['tenant_c']]);
        if (sql.includes('to_regclass')) return answer(['present'], [[true]]);
        ranges.push([params[2], params[3]]);
        return answer(['tenant_id', 'schema', 'object', 'tbl', 'name', 'change', 'def'], [[String(params[3]).slice(7), params[3], 'index', 'cases', 'idx', 'missing', null]]);
      },
    };
    const read = await readDrift(pg, murima2025, { all: true }, [], {}, 2);
    expect(ranges).toEqual([[null, 'tenant_b'], ['tenant_b', 'tenant_d'], ['tenant_d', 'tenant_e']]);
    expect(read.compared).toEqual(['tenant_a', 'tenant_b', 'tenant_d', 'tenant_e']);
    expect(read.busyTenants).toEqual(['c']);
    expect(read.rows.map((r) => r.schema)).toEqual(['tenant_b', 'tenant_d', 'tenant_e']);
  });
});
