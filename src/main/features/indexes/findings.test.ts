import { describe, expect, it } from 'vitest';
import { murima2025, type PostgresBlueprint } from '@shared/tenancy';
import { findIndexProblems, tenantPrefixedTables, type ForeignKeyRow, type IndexRow } from './findings';

const blueprint = murima2025.blueprint.postgres!;
const index = (over: Partial<IndexRow>): IndexRow => ({
  tenantId: 't1', schema: 'tenant_t1', tbl: 'notes', name: 'idx', display: '', method: 'btree', unique: false, primary: false, valid: true,
  constraint: null, keys: ['a'], include: [], predicate: null, sizeBytes: 8192, scans: 5, tupRead: 0, tupFetch: 0, ...over,
});
const old = { at: '2026-10-01T00:00:00.000Z', ageDays: 60 };
const fresh = { at: '2026-12-02T18:00:00.000Z', ageDays: 0.1 };
const options = (statsReset: { at: string | null; ageDays: number }, extra: Partial<{ blueprint: PostgresBlueprint; tenantColumn: string }> = {}) => ({
  statsReset, unusedAfterDays: 14, blueprint, tenantColumn: 'tenant_id', ...extra,
});

describe('findIndexProblems', () => {
  it('calls an index unused only on statistics older than the threshold, with the reset date, grouped over tenants', () => {
    const rows = [index({ name: 'idx_never', scans: 0 }), index({ tenantId: 't2', schema: 'tenant_t2', name: 'idx_never', scans: 0 }), index({ name: 'idx_pk', scans: 0, primary: true, unique: true, constraint: 'notes_pkey', keys: ['id'] })];
    expect(findIndexProblems(rows, [], options(fresh)).findings.filter((f) => f.kind === 'unused')).toEqual([]);
    const { findings, unusedChecked } = findIndexProblems(rows, [], options(old));
    expect(unusedChecked).toBe(true);
    expect(findings.filter((f) => f.kind === 'unused')).toEqual([
      {
        kind: 'unused', table: 'notes', index: 'idx_never', keptIndex: null, tenantCount: 2, tenantIds: ['t1', 't2'], blueprint: false,
        evidence: 'No scan of idx_never since the statistics reset of 2026-10-01 (60 days).',
        fix: 'DROP INDEX CONCURRENTLY "tenant_t1"."idx_never"',
      },
    ]);
  });

  it('keeps the index that enforces something when two have the same keys, and never offers to drop a constraint’s index', () => {
    const rows = [index({ name: 'notes_code_key', unique: true, constraint: 'notes_code_key', keys: ['code'] }), index({ name: 'idx_code', keys: ['code'] })];
    const [duplicate] = findIndexProblems(rows, [], options(fresh)).findings;
    expect(duplicate).toMatchObject({ kind: 'duplicate', index: 'idx_code', keptIndex: 'notes_code_key' });
    const both = [index({ name: 'a_key', unique: true, constraint: 'a_key', keys: ['code'] }), index({ name: 'b_key', unique: true, constraint: 'b_key', keys: ['code'] })];
    expect(findIndexProblems(both, [], options(fresh)).findings).toEqual([]);
  });

  it('needs the same predicate for redundancy, and flags an invalid index and an unindexed foreign key', () => {
    const rows = [
      index({ name: 'idx_a', keys: ['a'], predicate: '(deleted IS NULL)' }),
      index({ name: 'idx_a_b', keys: ['a', 'b'] }),
      index({ name: 'idx_broken', keys: ['c'], valid: false }),
    ];
    const fks: ForeignKeyRow[] = [
      { tenantId: 't1', schema: 'tenant_t1', tbl: 'notes', name: 'notes_a_fk', columns: ['a'], referenced: 'tenant_t1.cases' },
      { tenantId: 't1', schema: 'tenant_t1', tbl: 'notes', name: 'notes_user_fk', columns: ['user_id'], referenced: 'tenant_t1.users' },
    ];
    const kinds = findIndexProblems(rows, fks, options(fresh)).findings.map((f) => [f.kind, f.index ?? f.evidence.split(' ')[2]]);
    expect(kinds).toEqual([['invalid', 'idx_broken'], ['missing_fk_index', 'notes_user_fk']]);
  });

  it('keeps a redundancy the blueprint itself prescribes, marked as the blueprint’s, with no DROP to run', () => {
    // The Murima2025 blueprint asks for idx_cases_tenant_id (tenant_id) and idx_cases_assigned_to (tenant_id, assigned_to).
    const rows = [
      index({ tbl: 'cases', name: 'idx_cases_tenant_id', keys: ['tenant_id'] }),
      index({ tbl: 'cases', name: 'idx_cases_assigned_to', keys: ['tenant_id', 'assigned_to'] }),
      index({ tbl: 'cases', name: 'idx_cases_title', keys: ['title'] }),
      index({ tbl: 'cases', name: 'idx_cases_title_status', keys: ['title', 'status'] }),
      index({ tenantId: 't2', schema: 'tenant_t2', tbl: 'cases', name: 'idx_cases_tenant_id', keys: ['tenant_id'] }),
      index({ tenantId: 't2', schema: 'tenant_t2', tbl: 'cases', name: 'idx_cases_assigned_to', keys: ['tenant_id', 'assigned_to'] }),
    ];
    const redundant = findIndexProblems(rows, [], options(fresh)).findings.filter((f) => f.kind === 'redundant');
    expect(redundant).toEqual([
      {
        kind: 'redundant', table: 'cases', index: 'idx_cases_tenant_id', keptIndex: 'idx_cases_assigned_to', tenantCount: 2, tenantIds: ['t1', 't2'],
        blueprint: true, fix: null,
        evidence:
          'idx_cases_tenant_id (tenant_id) is a leading prefix of idx_cases_assigned_to (tenant_id, assigned_to). ' +
          'The blueprint prescribes idx_cases_tenant_id; drop it there first, or drift would re-create it (the blueprint is changed outside Tenantscope).',
      },
      // An index of the tenants' own making is still offered its drop.
      expect.objectContaining({ index: 'idx_cases_title', keptIndex: 'idx_cases_title_status', blueprint: false, fix: 'DROP INDEX CONCURRENTLY "tenant_t1"."idx_cases_title"' }),
    ]);
  });

  it('offers a prescribed index that is unused no drop, and a prescribed invalid one only the rebuild', () => {
    const rows = [index({ tbl: 'cases', name: 'idx_cases_priority', keys: ['priority'], scans: 0 }), index({ tbl: 'cases', name: 'idx_cases_status', keys: ['status'], valid: false })];
    const byKind = Object.fromEntries(findIndexProblems(rows, [], options(old)).findings.map((f) => [f.kind, f]));
    expect(byKind.unused).toMatchObject({ index: 'idx_cases_priority', blueprint: true, fix: null, evidence: expect.stringContaining('drop it there first') });
    expect(byKind.invalid).toMatchObject({ index: 'idx_cases_status', blueprint: true, fix: 'REINDEX INDEX CONCURRENTLY "tenant_t1"."idx_cases_status"' });
  });

  it('asks for the tenant prefix only on tables whose composite blueprint indexes all lead with it', () => {
    const prefixed = tenantPrefixedTables(blueprint, 'tenant_id');
    expect(prefixed.has('audit_logs')).toBe(true);
    // cases mixes (tenant_id, …) with (status, created_at DESC): the blueprint requires no prefix there.
    expect(prefixed.has('cases')).toBe(false);
    const rows = [index({ tbl: 'audit_logs', name: 'idx_audit_action', keys: ['action', 'occurred_at'] })];
    expect(findIndexProblems(rows, [], options(fresh)).findings).toMatchObject([{ kind: 'not_tenant_prefixed', index: 'idx_audit_action' }]);
  });
});
