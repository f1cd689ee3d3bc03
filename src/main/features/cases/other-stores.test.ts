import { describe, expect, it } from 'vitest';
import { murima2025, scopeFor } from '@shared/tenancy';
import type { ScopedMongo } from '../../reading/stores';
import { scopedFilter, scopedTarget } from '../../stores/mongo/scope';
import { readCaseNotes, readMongoAudit } from './other-stores';

const TENANT = '3f2c1a9e-7b4d-4e21-9c55-0a1b2c3d4e5f';
const CASE = '7d1c6a2e-0b1f-4c3a-9e8d-5f4a3b2c1d0e';

/** How often a filter names the tenant field, however deeply it is nested. */
function tenantConditions(value: unknown): number {
  if (Array.isArray(value)) return value.reduce((sum: number, item) => sum + tenantConditions(item), 0);
  if (value === null || typeof value !== 'object') return 0;
  return Object.entries(value).reduce((sum, [key, inner]) => sum + (key === 'tenant_id' ? 1 : 0) + tenantConditions(inner), 0);
}

describe('the MongoDB parts of a case page', () => {
  it('reach MongoDB with the tenant condition exactly once: the store adds it, the reader does not', async () => {
    const scope = scopeFor(murima2025, TENANT);
    const sent: unknown[] = [];
    const named: string[] = [];
    const reached: string[] = [];
    // What MongoStore does with a scoped find before it is sent: the logical collection resolved
    // to the tenant's, and the scope's condition AND-ed in.
    const mongo: ScopedMongo = {
      async findExtendedJson(target, filter, _find, callScope) {
        const collection = scopedTarget(target, callScope).collection;
        named.push(target.collection);
        reached.push(collection);
        sent.push(scopedFilter(filter, callScope, collection));
        return [];
      },
    };
    const exec = {};
    await readCaseNotes({ reader: mongo, database: 'murima2025' }, scope, CASE, 10, exec);
    await readMongoAudit({ reader: mongo, database: 'murima2025' }, scope, CASE, 10, exec);
    expect(sent).toHaveLength(2);
    for (const filter of sent) expect(tenantConditions(filter)).toBe(1);
    expect(sent[0]).toEqual({ $and: [{ case_id: CASE }, { tenant_id: TENANT }] });
    expect(named).toEqual(['case_notes', 'audit_logs']);
    expect(reached).toEqual([`tenant_${TENANT}_case_notes`, `tenant_${TENANT}_audit_logs`]);
  });
});
