import { describe, expect, it } from 'vitest';
import { postgresFixture } from '@shared/explain/fixtures.test-support';
import { ANALYZE_PREFIX, ESTIMATE_PREFIX, explainOnLease, planWrites, shiftPosition, type RunExplain } from './explain';

const document = (plan: Record<string, unknown>): unknown => [{ Plan: plan }];
const UPDATE = document({ 'Node Type': 'ModifyTable', Operation: 'Update', Plans: [{ 'Node Type': 'Seq Scan' }] });
// `WITH gone AS (DELETE …) SELECT count(*) FROM gone`: the ModifyTable sits below the aggregate.
const CTE_DELETE = document({ 'Node Type': 'Aggregate', Plans: [{ 'Node Type': 'ModifyTable', Operation: 'Delete', 'Parent Relationship': 'InitPlan' }, { 'Node Type': 'CTE Scan' }] });

/** A session that answers each EXPLAIN with the given plan and records what it was sent. */
function session(plan: unknown): RunExplain & { sent: string[] } {
  const sent: string[] = [];
  const run = (sql: string) => {
    sent.push(sql);
    return Promise.resolve({ columns: [], rows: [[plan]], rowCount: 1, command: 'EXPLAIN' });
  };
  return Object.assign(run, { sent });
}

describe('explain on a lease', () => {
  it('tells writes from reads by the plan, a CTE holding a DELETE included', () => {
    expect(planWrites(postgresFixture('seqScan'))).toBe(false);
    expect(planWrites(postgresFixture('hashJoin'))).toBe(false);
    expect(planWrites(UPDATE)).toBe(true);
    expect(planWrites(CTE_DELETE)).toBe(true);
  });

  it('analyses a read, gives a write its estimate only unless asked, and refuses a write on a read-only store', async () => {
    const read = session(postgresFixture('seqScan'));
    expect(await explainOnLease(read, 'select 1', { analyze: true }, true)).toMatchObject({ analyzed: true, writes: false });
    expect(read.sent).toEqual([`${ESTIMATE_PREFIX}select 1`, `${ANALYZE_PREFIX}select 1`]);

    const write = session(UPDATE);
    expect(await explainOnLease(write, 'update t set a = 1', { analyze: true }, false)).toMatchObject({ analyzed: false, writes: true });
    expect(write.sent).toHaveLength(1);
    expect(await explainOnLease(write, 'update t set a = 1', { analyze: true, analyzeWrites: true }, false)).toMatchObject({ analyzed: true, writes: true });
    await expect(explainOnLease(session(CTE_DELETE), 'with gone as (delete from t returning 1) select count(*) from gone', { analyze: true, analyzeWrites: true }, true)).rejects.toMatchObject({
      code: 'read_only',
    });
  });

  it('moves a server error’s position back into the statement and names its line and column', () => {
    const statement = 'select\n  1 +';
    const error = Object.assign(new Error('syntax error at end of input'), { position: String(ESTIMATE_PREFIX.length + statement.length + 1) });
    shiftPosition(error, ESTIMATE_PREFIX.length, statement);
    expect(error).toMatchObject({ position: String(statement.length + 1), message: 'syntax error at end of input (at line 2, column 6 of the statement)' });
  });
});
