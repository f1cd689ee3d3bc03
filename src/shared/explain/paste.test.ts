import { describe, expect, it } from 'vitest';
import { AppError } from '../errors';
import { postgresFixture, psqlOutput } from './fixtures.test-support';
import { advise, locateJsonError, normalisePlan, parsePastedPlan } from './index';

function refusal(text: string): AppError {
  try {
    parsePastedPlan(text);
  } catch (error) {
    if (AppError.is(error)) return error;
    throw error;
  }
  throw new Error('expected a refusal');
}

describe('pasted plans', () => {
  it('reads psql output: header, rule, + continuations and the row-count footer', () => {
    expect(psqlOutput).toContain('QUERY PLAN');
    expect(psqlOutput).toMatch(/\+\n/);
    const plan = normalisePlan(psqlOutput);
    expect(plan.engine).toBe('postgres');
    expect(plan.root.operation).toBe('Limit');
    expect(plan.root.children[0]!.target).toBe('cases');
  });

  it('reads bare JSON, a JSON string holding the plan, and a leading EXPLAIN line', () => {
    const json = JSON.stringify(postgresFixture('seqScan'), null, 2);
    expect(normalisePlan(json).root.operation).toBe('Seq Scan');
    expect(normalisePlan(JSON.stringify(json)).root.operation).toBe('Seq Scan');
    expect(normalisePlan(`EXPLAIN (ANALYZE, FORMAT JSON) SELECT 1;\n${json}\nTime: 12.3 ms`).root.operation).toBe('Seq Scan');
  });

  it('refuses a truncated plan as invalid_argument saying where it ends', () => {
    const json = JSON.stringify(postgresFixture('seqScan'), null, 2);
    const cut = json.slice(0, 300);
    const error = refusal(cut);
    expect(error.code).toBe('invalid_argument');
    expect(error.message).toMatch(/ends too early \(line \d+, column \d+\)/);
    const lines = cut.split('\n');
    expect(error.details).toMatchObject({ reason: 'truncated', line: lines.length, column: lines[lines.length - 1]!.length + 1 });
  });

  it('refuses malformed JSON naming the line and column as pasted, psql indent included', () => {
    const broken = psqlOutput.replace('"Node Type": "Limit",', '"Node Type": "Limit"');
    const error = refusal(broken);
    expect(error.details).toMatchObject({ reason: 'malformed' });
    const pastedLines = broken.split('\n');
    const { line, column } = error.details as { line: number; column: number };
    // The error is at the start of the next key, in the pasted text's own columns.
    expect(pastedLines[line - 1]!.slice(column - 1)).toMatch(/^"Parallel Aware"/);
    expect(error.message).toContain(`line ${line}, column ${column}`);
  });

  it('refuses the text format and empty input with their own reasons', () => {
    expect(refusal('Seq Scan on cases  (cost=0.00..6979.00 rows=985 width=107)\n  Filter: (status = \'open\')').details).toMatchObject({ reason: 'text_format' });
    expect(refusal('   ').details).toMatchObject({ reason: 'empty' });
  });

  it('locates errors the way a JSON parser meets them', () => {
    expect(locateJsonError('{"a": [1, 2,]}')).toBe(12);
    expect(locateJsonError('{"a": tru}')).toBe(9);
    expect(locateJsonError('{"a": "x\u0001"}')).toBe(8);
    expect(locateJsonError('[1] 2')).toBe(4);
    expect(locateJsonError('{"a": {"b": [')).toBe(13);
    const ok = '{"a": [1, -2.5e3, "x\\n", true, false, null, {}]}';
    expect(locateJsonError(ok)).toBe(ok.length);
    // Deep nesting does not exhaust the stack.
    expect(locateJsonError('['.repeat(100_000))).toBe(100_000);
  });

  it('reads mongosh\'s printout of a MongoDB explain: bare keys, single quotes, Long(), ISODate(), [Object]', () => {
    const printed = `{
  explainVersion: '1',
  queryPlanner: {
    namespace: 'client_management.cases',
    parsedQuery: { createdAt: { '$gte': ISODate('2025-01-01T00:00:00.000Z') } },
    winningPlan: { stage: 'COLLSCAN', filter: { createdAt: { '$gte': ISODate('2025-01-01T00:00:00.000Z') } }, direction: 'forward' },
    rejectedPlans: []
  },
  executionStats: {
    executionSuccess: true,
    nReturned: 12,
    executionTimeMillis: Long('7'),
    totalDocsExamined: 900,
    executionStages: { stage: 'COLLSCAN', nReturned: 12, executionTimeMillisEstimate: Long('6'), docsExamined: 900, filter: [Object] }
  },
  command: { find: 'cases', filter: { note: 'it\\'s "quoted"' }, '$db': 'client_management' },
  ok: 1
}`;
    const value = parsePastedPlan(printed) as { executionStats: { executionTimeMillis: number }; command: { filter: { note: string } } };
    expect(value.executionStats.executionTimeMillis).toBe(7);
    expect(value.command.filter.note).toBe('it\'s "quoted"');
    const plan = normalisePlan(printed);
    expect(plan).toMatchObject({ engine: 'mongo', executionMs: 7, namespace: 'client_management.cases' });
    expect(plan.root).toMatchObject({ operation: 'COLLSCAN', rowsActual: 12, timeTotalMs: 6, examined: { documents: 900 } });
    // Broken mongosh text is reported on the line where it broke, and cut-off text as truncated.
    const broken = refusal(printed.replace("stage: 'COLLSCAN', nReturned", "stage: 'COLLSCAN' nReturned"));
    const brokenLine = printed.split('\n').findIndex((l) => l.includes("executionStages: { stage: 'COLLSCAN', nReturned")) + 1;
    expect(broken.details).toEqual({ reason: 'malformed', line: brokenLine });
    const cut = printed.slice(0, printed.indexOf('command:'));
    expect(refusal(cut).details).toMatchObject({ reason: 'truncated', line: cut.split('\n').length });
    expect(refusal(printed.replace("'client_management.cases'", "'client_management.cases")).details).toMatchObject({ reason: 'malformed' });
  });

  it('refuses a paste over the size limit before parsing it', () => {
    const json = JSON.stringify(postgresFixture('seqScan'));
    expect(() => parsePastedPlan(json, { maxChars: json.length })).not.toThrow();
    try {
      parsePastedPlan(json, { maxChars: json.length - 1 });
      throw new Error('expected a refusal');
    } catch (error) {
      expect(AppError.is(error, 'invalid_argument')).toBe(true);
      expect((error as AppError).details).toMatchObject({ reason: 'too_large' });
    }
  });

  it('keeps hostile keys as plain data: __proto__ in a pasted plan changes no prototype', () => {
    const hostile = `[{"Plan": {"Node Type": "Seq Scan", "Relation Name": "cases", "Plan Rows": 1, "__proto__": {"polluted": true},
      "Filter": "(status = 'open'::text)"}, "Settings": {"__proto__": "x"}}]`;
    const plan = normalisePlan(hostile);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
    expect(Object.getPrototypeOf(plan.root.raw)).toBe(Object.prototype);
    expect(Object.hasOwn(plan.root.raw as object, '__proto__')).toBe(true);
    const mongoPaste = `{"queryPlanner": {"namespace": "db.cases", "parsedQuery": {"__proto__": {"$eq": 1}}, "winningPlan": {"stage": "COLLSCAN"}},
      "executionStats": {"nReturned": 0, "executionTimeMillis": 1, "executionStages": {"stage": "COLLSCAN", "nReturned": 0, "docsExamined": 10, "filter": {"__proto__": {"$eq": 1}}}}}`;
    const tips = advise(normalisePlan(mongoPaste), { tenantKey: 'tenantId' });
    expect(({} as Record<string, unknown>)['$eq']).toBeUndefined();
    expect(tips.find((t) => t.rule === 'mongo.collscan')?.fix?.text).toBe('db.getCollection("cases").createIndex({ "tenantId": 1, "__proto__": 1 })');
  });
});
