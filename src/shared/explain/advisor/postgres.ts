import { quoteIdent } from '../../sql/identifiers';
import { misestimate, spillOf } from '../badges';
import { totalRows, walkPlan, type Plan, type PlanNode } from '../model';
import { partitionParentOf } from '../partitions';
import { conditionColumns, createIndexSql, indexColumns, qualifiedTable } from './sql';
import { clampScore, count, pct, type ResolvedOptions, type Tip } from './tip';

const JOINS = new Set(['Nested Loop', 'Hash Join', 'Merge Join']);
const INDEX_SCANS = new Set(['Index Scan', 'Index Only Scan', 'Bitmap Heap Scan']);
/** The node type without the "Parallel" prefix: the rules hold for both. */
const kind = (node: PlanNode): string => node.operation.replace(/^Parallel /, '');

/**
 * The PostgreSQL rules. Each reads figures the plan already has; none needs the catalog.
 * Scores are upper bounds: the share of execution time spent where the fix applies.
 */
export function postgresTips(plan: Plan, o: ResolvedOptions): Tip[] {
  const tips: Tip[] = [];
  const total = plan.totalMs ?? 0;
  const share = (ms: number | undefined): number => (total > 0 && ms !== undefined ? clampScore(ms / total) : 0);
  const parents = new Map<PlanNode, PlanNode | undefined>();
  walkPlan(plan.root, (node, parent) => {
    parents.set(node, parent);
    if (node.group) for (const member of node.group.members) walkPlan(member, (m, p) => parents.set(m, p ?? parent));
  });
  if (plan.analyzed) {
    for (const [node, parent] of parents) {
      if (node.group || node.neverExecuted) continue;
      seqScan(node, o, share, tips);
      misestimateIntoJoin(node, parent, parents, o, share, tips);
      spill(node, plan, share, tips);
      nestedLoop(node, o, share, tips);
      indexFilter(node, o, share, tips);
      heapFetches(node, o, share, tips);
    }
  }
  overhead(plan, o, tips);
  return tips;
}

type Share = (ms: number | undefined) => number;

function tableOf(node: PlanNode, o: ResolvedOptions): string {
  return qualifiedTable(node.schema ?? o.schema, node.target ?? '?');
}

/** 1. A sequential scan of a large table that keeps few of the rows it reads. */
function seqScan(node: PlanNode, o: ResolvedOptions, share: Share, tips: Tip[]): void {
  if (kind(node) !== 'Seq Scan' || node.target === undefined) return;
  const kept = totalRows(node) ?? 0;
  const removed = node.rowsRemoved?.byFilter ?? 0;
  const read = kept + removed;
  if (read < o.t.largeTableRows || kept / read > o.t.selectiveShare) return;
  const columns = conditionColumns(node.conditions, ['filter']);
  const indexed = indexColumns(o.tenantKey, columns);
  // On a partition, index the partitioned table: PostgreSQL builds the index on every partition.
  const table = (node.relationship === 'Member' ? partitionParentOf(node) : undefined) ?? node.target;
  const tip: Tip = {
    rule: 'pg.seq-scan',
    engine: 'postgres',
    nodeId: node.id,
    title: `Sequential scan of ${node.target} keeps ${pct(kept / read)} of its rows`,
    message: `PostgreSQL read all ${count(read)} rows of ${node.target} to keep ${count(kept)}. An index on the filtered columns, led by ${o.tenantKey}, lets it read only the rows it needs.`,
    evidence: [`${count(read)} rows read, ${count(removed)} removed by the filter`, ...(node.conditions ?? []).filter((c) => c.kind === 'filter').map((c) => `Filter: ${c.text}`)],
    score: share(node.timeSelfMs),
  };
  if (indexed.length > 1) {
    // CONCURRENTLY is refused on a partitioned table, so the parent's index is built plainly.
    const concurrently = o.concurrently && table === node.target;
    tip.fix = { kind: 'sql', text: createIndexSql({ schema: node.schema ?? o.schema, table, columns: indexed, concurrently }) };
  }
  tips.push(tip);
}

/** 2. A misestimate of 10× or more on a node that feeds a join: the join method was chosen on bad numbers. */
function misestimateIntoJoin(node: PlanNode, parent: PlanNode | undefined, parents: Map<PlanNode, PlanNode | undefined>, o: ResolvedOptions, share: Share, tips: Tip[]): void {
  const off = misestimate(node);
  if (!off || off.factor < 10 || !parent) return;
  const join = JOINS.has(kind(parent)) ? parent : kind(parent) === 'Hash' ? parents.get(parent) : undefined;
  if (!join || !JOINS.has(kind(join))) return;
  const columns = conditionColumns(node.conditions, ['filter', 'index', 'recheck']).map((c) => c.column);
  const table = node.target;
  let fix: Tip['fix'];
  if (table !== undefined && columns.length >= 2) {
    const stats = `${table}_${columns.slice(0, 4).join('_')}_stats`.slice(0, 63);
    fix = { kind: 'sql', text: `CREATE STATISTICS IF NOT EXISTS ${qualifiedTable(node.schema ?? o.schema, stats)} (dependencies, mcv) ON ${columns.slice(0, 4).map(quoteIdent).join(', ')} FROM ${tableOf(node, o)};\nANALYZE ${tableOf(node, o)};` };
  } else if (table !== undefined) {
    fix = { kind: 'sql', text: `ANALYZE ${tableOf(node, o)};` };
  }
  tips.push({
    rule: 'pg.misestimate-join',
    engine: 'postgres',
    nodeId: node.id,
    title: `Row estimate ${Math.round(off.factor)}× ${off.direction} feeds a ${join.operation}`,
    message: `The planner expected ${count(node.rowsEstimated ?? 0)} row(s) from ${node.operation}${table ? ` on ${table}` : ''} and got ${count(node.rowsActual ?? 0)} per loop, then chose a ${join.operation} on that guess. ${columns.length >= 2 ? 'The filtered columns are likely correlated: extended statistics tell the planner so.' : 'Fresh statistics may correct it.'}`,
    evidence: [`estimated ${count(node.rowsEstimated ?? 0)} rows, actual ${count(node.rowsActual ?? 0)} × ${count(node.loops ?? 1)} loop(s)`, `${join.operation} takes ${pct(share(join.timeTotalMs))} of the execution time`],
    score: share(join.timeSelfMs) + share(node.timeSelfMs) / 2,
    ...(fix && { fix }),
  });
}

/** 3. A sort or hash that spilled to disk, with the work_mem it would have needed. */
function spill(node: PlanNode, plan: Plan, share: Share, tips: Tip[]): void {
  const why = spillOf(node);
  if (!why) return;
  let neededKb: number | undefined;
  if (node.sort?.spaceType === 'Disk' && node.sort.spaceUsedKb !== undefined) {
    // Sorted in memory, rows take about 1.5× the space of their on-disk runs (measured on PostgreSQL 15).
    neededKb = node.sort.spaceUsedKb * 1.5;
  } else if (node.hash?.batches && node.hash.batches > 1 && node.hash.peakMemoryKb !== undefined) {
    // A hash's memory is work_mem × hash_mem_multiplier; its batches together held peak × batches.
    const multiplier = Number(plan.settings?.['hash_mem_multiplier'] ?? 2) || 2;
    neededKb = (node.hash.peakMemoryKb * node.hash.batches) / multiplier;
  }
  const mb = neededKb !== undefined ? Math.max(4, Math.ceil(neededKb / 1024 / 8) * 8) : undefined;
  const current = plan.settings?.['work_mem'];
  tips.push({
    rule: 'pg.spill',
    engine: 'postgres',
    nodeId: node.id,
    title: `${node.operation} spilled to disk`,
    message: `${why} ${mb !== undefined ? `With work_mem at about ${mb} MB it would stay in memory${current ? ` (it was ${current})` : ''}. Raise it for this session or role, not server-wide: every sort and hash of every connection may use that much.` : 'More work_mem would keep it in memory.'}`,
    evidence: [
      ...(node.sort?.spaceUsedKb !== undefined ? [`Sort Method: ${node.sort.method ?? '?'}, ${count(node.sort.spaceUsedKb)} kB on ${node.sort.spaceType ?? '?'}`] : []),
      ...(node.hash?.batches !== undefined ? [`Hash Batches: ${node.hash.batches}, peak memory ${count(node.hash.peakMemoryKb ?? 0)} kB`] : []),
      ...(node.buffers?.tempWritten ? [`${count(node.buffers.tempWritten)} temp blocks written`] : []),
    ],
    score: share(node.timeSelfMs),
    ...(mb !== undefined && { fix: { kind: 'setting' as const, text: `SET work_mem = '${mb}MB';` } }),
  });
}

/** 4. A nested loop whose outer side is large: the inner side runs once per outer row. */
function nestedLoop(node: PlanNode, o: ResolvedOptions, share: Share, tips: Tip[]): void {
  if (node.operation !== 'Nested Loop' || node.children.length < 2) return;
  const outer = node.children.find((c) => c.relationship === 'Outer') ?? node.children[0]!;
  const inner = node.children.find((c) => c.relationship === 'Inner') ?? node.children[1]!;
  const outerRows = totalRows(outer) ?? 0;
  if (outerRows < o.t.nestedLoopOuterRows) return;
  tips.push({
    rule: 'pg.nested-loop',
    engine: 'postgres',
    nodeId: node.id,
    title: `Nested loop runs its inner side ${count(inner.loops ?? outerRows)} times`,
    message: `For each of the ${count(outerRows)} rows from ${outer.operation}${outer.target ? ` on ${outer.target}` : ''}, ${inner.operation}${inner.target ? ` on ${inner.target}` : ''} runs again. A hash or merge join reads the inner side once; the planner picks one when its row estimates are right and work_mem is large enough for the hash.`,
    evidence: [`outer side: ${count(outerRows)} rows (estimated ${count((outer.rowsEstimated ?? 0) * (outer.loops ?? 1))})`, `inner side: ${count(inner.loops ?? 0)} loops, ${pct(share(inner.timeTotalMs))} of the execution time`],
    score: share(inner.timeTotalMs),
  });
}

/** 5. An index scan that reads many rows only to throw them away in a filter. */
function indexFilter(node: PlanNode, o: ResolvedOptions, share: Share, tips: Tip[]): void {
  if (!INDEX_SCANS.has(kind(node)) || node.target === undefined) return;
  const removed = (node.rowsRemoved?.byFilter ?? 0) + (node.rowsRemoved?.byIndexRecheck ?? 0);
  const kept = totalRows(node) ?? 0;
  if (removed < o.t.indexFilterRemovedRows || removed / (removed + kept) < o.t.indexFilterRemovedShare) return;
  const indexCols = conditionColumns(node.conditions, ['index', 'recheck']);
  const filterCols = conditionColumns(node.conditions, ['filter']);
  const columns = indexColumns(o.tenantKey, [...indexCols.filter((c) => c.use === 'equality'), ...filterCols.filter((c) => c.use === 'equality'), ...indexCols.filter((c) => c.use === 'range'), ...filterCols.filter((c) => c.use === 'range')]);
  const tip: Tip = {
    rule: 'pg.index-filter',
    engine: 'postgres',
    nodeId: node.id,
    title: `${node.operation} on ${node.target} throws away ${pct(removed / (removed + kept))} of what it reads`,
    message: `The index ${node.index ?? ''} finds ${count(removed + kept)} rows but the filter keeps ${count(kept)}. An index that also holds the filtered columns finds only the rows that are kept.`,
    evidence: [`${count(removed)} rows removed by ${node.rowsRemoved?.byIndexRecheck ? 'filter and index recheck' : 'the filter'}, ${count(kept)} kept`, ...(node.conditions ?? []).map((c) => `${c.kind}: ${c.text}`)],
    score: share(node.timeSelfMs) * (removed / (removed + kept)),
  };
  if (filterCols.length > 0) tip.fix = { kind: 'sql', text: createIndexSql({ schema: node.schema ?? o.schema, table: node.target, columns, concurrently: o.concurrently }) };
  tips.push(tip);
}

/** 6. An index-only scan that still visits the table: the visibility map is stale, VACUUM sets it. */
function heapFetches(node: PlanNode, o: ResolvedOptions, share: Share, tips: Tip[]): void {
  if (kind(node) !== 'Index Only Scan' || node.target === undefined) return;
  const fetches = node.heapFetches ?? 0;
  const rows = Math.max(1, totalRows(node) ?? 0);
  if (fetches < o.t.heapFetchMin || fetches / rows < o.t.heapFetchShare) return;
  tips.push({
    rule: 'pg.heap-fetches',
    engine: 'postgres',
    nodeId: node.id,
    title: `Index-only scan on ${node.target} fetched ${count(fetches)} rows from the table`,
    message: `An index-only scan skips the table only for pages the visibility map marks all-visible. ${pct(Math.min(1, fetches / rows))} of the rows still needed the table, which happens when ${node.target} has not been vacuumed since it changed.`,
    evidence: [`Heap Fetches: ${count(fetches)} for ${count(rows)} rows`],
    score: share(node.timeSelfMs) * Math.min(1, fetches / rows),
    fix: { kind: 'sql', text: `VACUUM (ANALYZE) ${tableOf(node, o)};` },
  });
}

/** 7. JIT compilation or planning taking a large share of the statement's time. */
function overhead(plan: Plan, o: ResolvedOptions, tips: Tip[]): void {
  const planning = plan.planningMs ?? 0;
  const execution = plan.executionMs ?? 0;
  const whole = planning + execution;
  if (whole <= 0) return;
  const jit = plan.jit?.totalMs ?? 0;
  if (jit / whole >= o.t.overheadShare) {
    tips.push({
      rule: 'pg.jit',
      engine: 'postgres',
      title: `JIT compilation takes ${pct(jit / whole)} of the statement`,
      message: `PostgreSQL compiled ${plan.jit?.functions ?? 'some'} function(s) to machine code, which pays off only for long queries. This one spends more time compiling than it saves; turn JIT off for it or raise jit_above_cost.`,
      evidence: [`JIT ${jit.toFixed(1)} ms (inlining ${(plan.jit?.inliningMs ?? 0).toFixed(1)}, optimization ${(plan.jit?.optimizationMs ?? 0).toFixed(1)}, emission ${(plan.jit?.emissionMs ?? 0).toFixed(1)})`, `execution ${execution.toFixed(1)} ms, planning ${planning.toFixed(1)} ms`],
      score: clampScore(jit / whole),
      fix: { kind: 'setting', text: 'SET jit = off;' },
    });
  }
  if (planning / whole >= o.t.overheadShare && planning >= 1) {
    tips.push({
      rule: 'pg.planning',
      engine: 'postgres',
      title: `Planning takes ${pct(planning / whole)} of the statement`,
      message: 'The planner spends longer choosing a plan than the plan takes to run. Common causes: a query over many partitions that cannot be pruned at plan time, or many joins. Filter on the partition key with constants, or prepare the statement so its plan is reused.',
      evidence: [`planning ${planning.toFixed(1)} ms, execution ${execution.toFixed(1)} ms`],
      score: clampScore(planning / whole),
    });
  }
}
