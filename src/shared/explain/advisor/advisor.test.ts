import { describe, expect, it } from 'vitest';
import { AppError } from '../../errors';
import { elasticFixture, mongoFixture, postgresFixture } from '../fixtures.test-support';
import { advise, normalisePlan, normalisePostgresPlan, type Plan, type Tip } from '../index';

const MURIMA = { tenantKey: 'tenant_id' };
const CLIENT_MANAGEMENT = { tenantKey: 'tenantId' };

const pg = (name: Parameters<typeof postgresFixture>[0]): Plan => normalisePlan(postgresFixture(name));
const mongo = (name: Parameters<typeof mongoFixture>[0]): Plan => normalisePlan(mongoFixture(name));
const es = (name: Parameters<typeof elasticFixture>[0]): Plan => normalisePlan(elasticFixture(name));
const rules = (tips: Tip[]): string[] => tips.map((t) => t.rule);
const tip = (tips: Tip[], rule: string): Tip => {
  const found = tips.find((t) => t.rule === rule);
  if (!found) throw new Error(`no ${rule} tip in ${rules(tips).join(', ')}`);
  return found;
};

describe('PostgreSQL advisor (on captured plans)', () => {
  it('pg.seq-scan: a large table with a selective filter gets the exact CREATE INDEX, tenant key first', () => {
    const t = tip(advise(pg('seqScan'), MURIMA), 'pg.seq-scan');
    expect(t.fix).toEqual({ kind: 'sql', text: 'CREATE INDEX CONCURRENTLY IF NOT EXISTS "cases_tenant_id_status_priority_idx" ON "cases" ("tenant_id", "status", "priority");' });
    expect(t.score).toBeGreaterThan(0.9);
    expect(t.evidence[0]).toMatch(/^200,000 rows read/);
    const withSchema = tip(advise(pg('seqScan'), { ...MURIMA, schema: 'tenant_acme', concurrently: false }), 'pg.seq-scan');
    expect(withSchema.fix?.text).toBe('CREATE INDEX IF NOT EXISTS "cases_tenant_id_status_priority_idx" ON "tenant_acme"."cases" ("tenant_id", "status", "priority");');
    // Client Management's key leads the index when that is the platform.
    expect(tip(advise(pg('seqScan'), CLIENT_MANAGEMENT), 'pg.seq-scan').fix?.text).toContain('("tenantId", "tenant_id", "status", "priority")');
  });

  it('pg.seq-scan does not fire on a small table or an unselective filter, and gives no index for a leading-wildcard LIKE', () => {
    expect(rules(advise(pg('jit'), MURIMA))).not.toContain('pg.seq-scan');
    expect(rules(advise(pg('nestedLoop'), MURIMA))).not.toContain('pg.seq-scan');
    const like = tip(advise(pg('parallelSeqScan'), MURIMA), 'pg.seq-scan');
    expect(like.fix).toBeUndefined();
  });

  it('pg.seq-scan indexes a varchar column PostgreSQL printed cast to text, and still not an expression over one', () => {
    const scan = (filter: string): Plan =>
      normalisePostgresPlan([{ Plan: { 'Node Type': 'Seq Scan', 'Relation Name': 'tasks', Alias: 'tasks', 'Plan Rows': 1, 'Actual Rows': 1, 'Actual Loops': 1, 'Actual Total Time': 9, 'Rows Removed by Filter': 30_000, Filter: filter }, 'Execution Time': 9.2 }]);
    const cast = tip(advise(scan("(((title)::text = 'Follow up 4242'::text) AND (tenant_id = (current_setting('app.current_tenant_id'::text))::uuid))"), MURIMA), 'pg.seq-scan');
    expect(cast.fix?.text).toBe('CREATE INDEX CONCURRENTLY IF NOT EXISTS "tasks_tenant_id_title_idx" ON "tasks" ("tenant_id", "title");');
    const spaced = tip(advise(scan("((status)::character varying = 'open'::character varying)"), MURIMA), 'pg.seq-scan');
    expect(spaced.fix?.text).toContain('("tenant_id", "status")');
    expect(tip(advise(scan("(lower((title)::text) = 'x'::text)"), MURIMA), 'pg.seq-scan').fix).toBeUndefined();
  });

  it('pg.seq-scan on a partition suggests the index on the partitioned table', () => {
    const t = tip(advise(pg('runtimePruning'), MURIMA), 'pg.seq-scan');
    expect(t.fix?.text).toBe('CREATE INDEX IF NOT EXISTS "activity_logs_tenant_id_created_at_idx" ON "activity_logs" ("tenant_id", "created_at");');
  });

  it('pg.misestimate-join: a 10×+ misestimate feeding a join, fixed with extended statistics on the correlated columns', () => {
    const t = tip(advise(pg('misestimate'), MURIMA), 'pg.misestimate-join');
    expect(t.title).toMatch(/under feeds a Nested Loop/);
    expect(t.fix?.text).toBe('CREATE STATISTICS IF NOT EXISTS "cases_status_channel_stats" (dependencies, mcv) ON "status", "channel" FROM "cases";\nANALYZE "cases";');
    const scoped = tip(advise(pg('misestimate'), { ...MURIMA, schema: 'tenant_acme' }), 'pg.misestimate-join');
    expect(scoped.fix?.text).toBe('CREATE STATISTICS IF NOT EXISTS "tenant_acme"."cases_status_channel_stats" (dependencies, mcv) ON "status", "channel" FROM "tenant_acme"."cases";\nANALYZE "tenant_acme"."cases";');
    expect(rules(advise(pg('hashJoin'), MURIMA))).not.toContain('pg.misestimate-join');
  });

  it('pg.spill: a sort or hash spilled to disk, with the work_mem it needs', () => {
    const sort = tip(advise(pg('sortSpill'), MURIMA), 'pg.spill');
    const plan = pg('sortSpill');
    const neededMb = Math.ceil((plan.root.sort!.spaceUsedKb! * 1.5) / 1024 / 8) * 8;
    expect(sort.fix).toEqual({ kind: 'setting', text: `SET work_mem = '${neededMb}MB';` });
    expect(sort.message).toContain("(it was 1MB)");
    const hash = tip(advise(pg('hashSpill'), MURIMA), 'pg.spill');
    expect(hash.fix?.text).toMatch(/^SET work_mem = '\d+MB';$/);
    expect(rules(advise(pg('hashJoin'), MURIMA))).not.toContain('pg.spill');
  });

  it('pg.nested-loop: a large outer side; not on a small one', () => {
    const t = tip(advise(pg('nestedLoop'), MURIMA), 'pg.nested-loop');
    expect(t.evidence[0]).toMatch(/^outer side: \d{2,3},\d{3} rows/);
    expect(t.score).toBeGreaterThan(0);
    expect(rules(advise(pg('misestimate'), MURIMA))).not.toContain('pg.nested-loop');
  });

  it('pg.index-filter: an index scan whose filter throws most rows away gets an index with the filter column', () => {
    const t = tip(advise(pg('indexScanFilter'), MURIMA), 'pg.index-filter');
    expect(t.fix?.text).toBe('CREATE INDEX CONCURRENTLY IF NOT EXISTS "cases_tenant_id_status_created_at_idx" ON "cases" ("tenant_id", "status", "created_at");');
    expect(rules(advise(pg('indexScan'), MURIMA))).not.toContain('pg.index-filter');
  });

  it('pg.heap-fetches: an index-only scan visiting the table gets VACUUM', () => {
    const t = tip(advise(pg('indexOnlyScan'), MURIMA), 'pg.heap-fetches');
    expect(t.fix).toEqual({ kind: 'sql', text: 'VACUUM (ANALYZE) "cases";' });
    expect(rules(advise(pg('indexScan'), MURIMA))).not.toContain('pg.heap-fetches');
  });

  it('pg.jit and pg.planning: overhead dominating the statement', () => {
    expect(tip(advise(pg('jit'), MURIMA), 'pg.jit').fix).toEqual({ kind: 'setting', text: 'SET jit = off;' });
    expect(rules(advise(pg('seqScan'), MURIMA))).not.toContain('pg.jit');
    // 2,000 partitions cost more to plan than to scan.
    const planning = tip(advise(pg('manyPartitions'), MURIMA), 'pg.planning');
    expect(planning.score).toBeGreaterThan(0.2);
    expect(rules(advise(pg('seqScan'), MURIMA))).not.toContain('pg.planning');
  });

  it('orders tips by score and keeps scores within 0–1', () => {
    for (const name of ['misestimate', 'seqScan', 'nestedLoop', 'sortSpill', 'hashSpill', 'jit', 'manyPartitions'] as const) {
      const tips = advise(pg(name), MURIMA);
      for (const t of tips) expect(t.score).toBeGreaterThanOrEqual(0);
      for (const t of tips) expect(t.score).toBeLessThanOrEqual(1);
      expect(tips.map((t) => t.score)).toEqual([...tips.map((t) => t.score)].sort((a, b) => b - a));
    }
  });

  it('refuses a tenant key that is not a plain name', () => {
    const plan = pg('seqScan');
    expect(() => advise(plan, { tenantKey: 'tenant_id"); DROP TABLE x; --' })).toThrowError(AppError);
    expect(() => advise(plan, { tenantKey: '' })).toThrow(/tenant key/);
  });

  it('does not need actual times: plain EXPLAIN gets no runtime tips', () => {
    expect(advise(pg('plainExplain'), MURIMA)).toEqual([]);
    const quick = normalisePostgresPlan([{ Plan: { 'Node Type': 'Result', 'Plan Rows': 1, 'Actual Rows': 1, 'Actual Loops': 1, 'Actual Total Time': 0.01 }, 'Planning Time': 0.02, 'Execution Time': 0.03 }]);
    expect(rules(advise(quick, MURIMA))).not.toContain('pg.planning');
  });
});

describe('MongoDB advisor (on documented shapes)', () => {
  it('mongo.collscan with the index to create, tenantId first', () => {
    const t = tip(advise(mongo('findCollscan'), CLIENT_MANAGEMENT), 'mongo.collscan');
    expect(t.fix).toEqual({ kind: 'mongosh', text: 'db.getCollection("cases").createIndex({ "tenantId": 1, "status": 1 })' });
    expect(t.score).toBeCloseTo(45 / 48, 6);
    expect(rules(advise(mongo('findIxscan'), CLIENT_MANAGEMENT))).not.toContain('mongo.collscan');
  });

  it('mongo.examined-ratio: 10 or more documents examined per returned', () => {
    const t = tip(advise(mongo('findExaminedRatio'), CLIENT_MANAGEMENT), 'mongo.examined-ratio');
    expect(t.title).toMatch(/^40 documents examined per document returned/);
    expect(t.fix?.text).toBe('db.getCollection("cases").createIndex({ "tenantId": 1, "priority": 1 })');
    expect(rules(advise(mongo('findIxscan'), CLIENT_MANAGEMENT))).not.toContain('mongo.examined-ratio');
  });

  it('mongo.in-memory-sort: an index ending in the sort field; not for a $sort after $group', () => {
    const t = tip(advise(mongo('findSortInMemory'), CLIENT_MANAGEMENT), 'mongo.in-memory-sort');
    expect(t.fix?.text).toBe('db.getCollection("cases").createIndex({ "tenantId": 1, "status": 1, "updatedAt": -1 })');
    expect(rules(advise(mongo('aggregateCursor'), CLIENT_MANAGEMENT))).not.toContain('mongo.in-memory-sort');
  });

  it('mongo.tenant-prefix: an index not led by tenantId', () => {
    const t = tip(advise(mongo('findIndexWithoutTenant'), CLIENT_MANAGEMENT), 'mongo.tenant-prefix');
    expect(t.fix?.text).toBe('db.getCollection("cases").createIndex({ "tenantId": 1, "status": 1 })');
    expect(rules(advise(mongo('findIxscan'), CLIENT_MANAGEMENT))).not.toContain('mongo.tenant-prefix');
    expect(rules(advise(mongo('findSharded'), CLIENT_MANAGEMENT))).not.toContain('mongo.tenant-prefix');
  });

  it('mongo.esr: a range before an equality, reordered as equality, sort, range', () => {
    const t = tip(advise(mongo('findEsrBroken'), CLIENT_MANAGEMENT), 'mongo.esr');
    expect(t.message).toMatch(/range on createdAt comes before the equality match on status/);
    expect(t.fix?.text).toBe('db.getCollection("cases").createIndex({ "tenantId": 1, "status": 1, "createdAt": 1 })');
    expect(rules(advise(mongo('findIxscan'), CLIENT_MANAGEMENT))).not.toContain('mongo.esr');
    expect(rules(advise(mongo('findSortInMemory'), CLIENT_MANAGEMENT))).not.toContain('mongo.esr');
  });
});

describe('Elasticsearch advisor (on documented shapes)', () => {
  it('es.dominant-clause: one clause taking most of its query; not on a balanced bool', () => {
    const t = tip(advise(es('profileRegexp'), MURIMA), 'es.dominant-clause');
    expect(t.nodeId).toBe('0.0.0.1');
    expect(t.evidence[1]).toMatch(/^build_scorer: 9\.800 ms$/);
    expect(rules(advise(es('profileMatch'), MURIMA))).not.toContain('es.dominant-clause');
  });

  it('es.wildcard: leading wildcards and regexps; not plain terms', () => {
    expect(tip(advise(es('profileWildcard'), MURIMA), 'es.wildcard').title).toBe('Leading wildcard on title');
    expect(tip(advise(es('profileRegexp'), MURIMA), 'es.wildcard').title).toBe('Regular expression on description');
    expect(rules(advise(es('profileMatch'), MURIMA))).not.toContain('es.wildcard');
  });

  it('es.script: a script query, flagged once on the script node', () => {
    const tips = advise(es('profileScript'), MURIMA).filter((t) => t.rule === 'es.script');
    expect(tips).toHaveLength(1);
    expect(tips[0]!.nodeId).toBe('0.0.0.1');
    expect(rules(advise(es('profileMatch'), MURIMA))).not.toContain('es.script');
  });
});
