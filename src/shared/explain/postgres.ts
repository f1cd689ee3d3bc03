import { AppError } from '../errors';
import { addBuffers, emptyBuffers, type Plan, type PlanBuffers, type PlanCondition, type PlanJit, type PlanNode } from './model';
import { fieldNumber, fieldString, isRecord, rawWithout, type JsonRecord } from './json';

const BUFFER_FIELDS: [keyof PlanBuffers, string][] = [
  ['sharedHit', 'Shared Hit Blocks'], ['sharedRead', 'Shared Read Blocks'], ['sharedDirtied', 'Shared Dirtied Blocks'], ['sharedWritten', 'Shared Written Blocks'],
  ['localHit', 'Local Hit Blocks'], ['localRead', 'Local Read Blocks'], ['localDirtied', 'Local Dirtied Blocks'], ['localWritten', 'Local Written Blocks'],
  ['tempRead', 'Temp Read Blocks'], ['tempWritten', 'Temp Written Blocks'],
];

const CONDITION_FIELDS: [PlanCondition['kind'], string][] = [
  ['index', 'Index Cond'], ['recheck', 'Recheck Cond'], ['hash', 'Hash Cond'], ['merge', 'Merge Cond'],
  ['join filter', 'Join Filter'], ['filter', 'Filter'], ['one-time filter', 'One-Time Filter'],
];

/** True when `value` has the shape of EXPLAIN (FORMAT JSON) output, bare or wrapped. */
export function looksLikePostgresPlan(value: unknown): boolean {
  const top = Array.isArray(value) ? value[0] : value;
  return isRecord(top) && (isRecord(top['Plan']) || Array.isArray(top['QUERY PLAN']));
}

/**
 * Normalises `EXPLAIN [(ANALYZE, BUFFERS, SETTINGS)] (FORMAT JSON)` output: the array psql prints,
 * its single element, or a `{ "QUERY PLAN": [...] }` row as some clients copy it.
 */
export function normalisePostgresPlan(value: unknown): Plan {
  let top: unknown = Array.isArray(value) ? value[0] : value;
  if (isRecord(top) && Array.isArray(top['QUERY PLAN'])) top = top['QUERY PLAN'][0];
  if (!isRecord(top) || !isRecord(top['Plan'])) {
    throw new AppError('invalid_argument', 'This is not a PostgreSQL plan: expected EXPLAIN (FORMAT JSON) output, an array whose element has a "Plan".', { reason: 'not_a_plan' });
  }
  const rootRaw = top['Plan'];
  const analyzed = fieldNumber(rootRaw, 'Actual Loops') !== undefined || fieldNumber(top, 'Execution Time') !== undefined;
  const root = buildTree(rootRaw, analyzed);
  const executionMs = fieldNumber(top, 'Execution Time');
  const plan: Plan = {
    engine: 'postgres',
    analyzed,
    root,
    raw: value,
  };
  if (executionMs !== undefined) plan.executionMs = executionMs;
  const planningMs = fieldNumber(top, 'Planning Time');
  if (planningMs !== undefined) plan.planningMs = planningMs;
  const total = executionMs ?? root.timeTotalMs;
  if (total !== undefined) plan.totalMs = total;
  const jit = jitOf(top['JIT']);
  if (jit) plan.jit = jit;
  if (isRecord(top['Settings'])) {
    plan.settings = Object.fromEntries(Object.entries(top['Settings']).map(([k, v]) => [k, String(v)]));
  }
  if (Array.isArray(top['Triggers']) && top['Triggers'].length > 0) {
    plan.triggers = top['Triggers'].filter(isRecord).map((t) => ({
      name: fieldString(t, 'Trigger Name') ?? '?',
      ...(fieldString(t, 'Relation') !== undefined && { relation: fieldString(t, 'Relation')! }),
      timeMs: fieldNumber(t, 'Time') ?? 0,
      calls: fieldNumber(t, 'Calls') ?? 0,
    }));
  }
  return plan;
}

function jitOf(value: unknown): PlanJit | undefined {
  if (!isRecord(value)) return undefined;
  const timing = isRecord(value['Timing']) ? value['Timing'] : {};
  // PostgreSQL 17 nests each phase as { Total }, older versions print a number.
  const phase = (name: string): number | undefined => {
    const v = timing[name];
    return isRecord(v) ? fieldNumber(v, 'Total') : typeof v === 'number' ? v : undefined;
  };
  const jit: PlanJit = { totalMs: phase('Total') ?? 0 };
  const functions = fieldNumber(value, 'Functions');
  if (functions !== undefined) jit.functions = functions;
  const phases: [keyof PlanJit, string][] = [['generationMs', 'Generation'], ['inliningMs', 'Inlining'], ['optimizationMs', 'Optimization'], ['emissionMs', 'Emission']];
  for (const [key, name] of phases) {
    const ms = phase(name);
    if (ms !== undefined) jit[key] = ms;
  }
  return jit;
}

const GATHER = new Set(['Gather', 'Gather Merge']);

/**
 * Builds the tree iteratively (a plan over 10,000 partitions is wide, a deep one must not blow the
 * stack), then fills inclusive and exclusive times and buffers bottom-up.
 */
function buildTree(rootRaw: JsonRecord, analyzed: boolean): PlanNode {
  interface Pending { raw: JsonRecord; id: string; parent: PlanNode | undefined; workerShare: number }
  const order: PlanNode[] = [];
  let root: PlanNode | undefined;
  const stack: Pending[] = [{ raw: rootRaw, id: '0', parent: undefined, workerShare: 1 }];
  while (stack.length > 0) {
    const { raw, id, parent, workerShare } = stack.pop()!;
    const node = nodeOf(raw, id, analyzed, workerShare);
    order.push(node);
    if (parent) parent.children.push(node);
    else root = node;
    const children = Array.isArray(raw['Plans']) ? raw['Plans'].filter(isRecord) : [];
    // Below a Gather, each node's loops count the leader and every worker that ran it: its time
    // per loop × loops is spread over them, so it is divided by their number (as pev2 does).
    let share = workerShare;
    if (GATHER.has(node.operation)) share = 1 / (1 + (node.workers?.launched ?? node.workers?.planned ?? 0));
    for (let i = children.length - 1; i >= 0; i--) stack.push({ raw: children[i]!, id: `${id}.${i}`, parent: node, workerShare: share });
  }
  // Children were pushed in reverse onto the stack, so they were visited in order: fix-ups bottom-up.
  for (let i = order.length - 1; i >= 0; i--) finish(order[i]!);
  return root!;
}

function nodeOf(raw: JsonRecord, id: string, analyzed: boolean, workerShare: number): PlanNode {
  const operation = operationName(raw);
  const node: PlanNode = { id, engine: 'postgres', operation, children: [], raw: rawWithout(raw, 'Plans') };
  const target = fieldString(raw, 'Relation Name') ?? fieldString(raw, 'CTE Name') ?? fieldString(raw, 'Function Name');
  if (target !== undefined) node.target = target;
  const schema = fieldString(raw, 'Schema');
  if (schema !== undefined) node.schema = schema;
  const alias = fieldString(raw, 'Alias');
  if (alias !== undefined) node.alias = alias;
  const index = fieldString(raw, 'Index Name');
  if (index !== undefined) node.index = index;
  const detail = [fieldString(raw, 'Join Type'), fieldString(raw, 'Scan Direction') === 'Backward' ? 'Backward' : undefined, fieldString(raw, 'Subplan Name')]
    .filter((x) => x !== undefined && x !== '')
    .join(' · ');
  if (detail) node.detail = detail;
  const relationship = fieldString(raw, 'Parent Relationship');
  if (relationship !== undefined) node.relationship = relationship;
  const planRows = fieldNumber(raw, 'Plan Rows');
  if (planRows !== undefined) node.rowsEstimated = planRows;
  const startup = fieldNumber(raw, 'Startup Cost');
  if (startup !== undefined) node.costStartup = startup;
  const cost = fieldNumber(raw, 'Total Cost');
  if (cost !== undefined) node.costTotal = cost;
  const loops = fieldNumber(raw, 'Actual Loops');
  if (analyzed && loops !== undefined) {
    node.loops = loops;
    node.rowsActual = fieldNumber(raw, 'Actual Rows') ?? 0;
    if (loops === 0) node.neverExecuted = true;
    const perLoop = fieldNumber(raw, 'Actual Total Time');
    if (perLoop !== undefined) node.timeTotalMs = perLoop * loops * workerShare;
  }
  if (BUFFER_FIELDS.some(([, name]) => raw[name] !== undefined)) {
    const buffers = emptyBuffers();
    for (const [key, name] of BUFFER_FIELDS) buffers[key] = fieldNumber(raw, name) ?? 0;
    node.buffers = buffers;
  }
  const readMs = fieldNumber(raw, 'I/O Read Time') ?? fieldNumber(raw, 'Shared I/O Read Time');
  const writeMs = fieldNumber(raw, 'I/O Write Time') ?? fieldNumber(raw, 'Shared I/O Write Time');
  if (readMs !== undefined || writeMs !== undefined) node.io = { readMs: readMs ?? 0, writeMs: writeMs ?? 0 };
  const conditions: PlanCondition[] = [];
  for (const [kind, name] of CONDITION_FIELDS) {
    const text = fieldString(raw, name);
    if (text !== undefined) conditions.push({ kind, text });
  }
  if (conditions.length > 0) node.conditions = conditions;
  // PostgreSQL prints removed rows as an average per loop; the model keeps the total.
  const perLoops = loops ?? 1;
  const removed = {
    byFilter: fieldNumber(raw, 'Rows Removed by Filter'),
    byIndexRecheck: fieldNumber(raw, 'Rows Removed by Index Recheck'),
    byJoinFilter: fieldNumber(raw, 'Rows Removed by Join Filter'),
  };
  if (removed.byFilter !== undefined || removed.byIndexRecheck !== undefined || removed.byJoinFilter !== undefined) {
    node.rowsRemoved = {};
    for (const key of ['byFilter', 'byIndexRecheck', 'byJoinFilter'] as const) {
      const v = removed[key];
      if (v !== undefined) node.rowsRemoved[key] = Math.round(v * perLoops);
    }
  }
  const planned = fieldNumber(raw, 'Workers Planned');
  const launched = fieldNumber(raw, 'Workers Launched');
  if (planned !== undefined || launched !== undefined) {
    node.workers = {};
    if (planned !== undefined) node.workers.planned = planned;
    if (launched !== undefined) node.workers.launched = launched;
  }
  const heapFetches = fieldNumber(raw, 'Heap Fetches');
  if (heapFetches !== undefined) node.heapFetches = Math.round(heapFetches * perLoops);
  const sortMethod = fieldString(raw, 'Sort Method');
  const sortKeys = Array.isArray(raw['Sort Key']) ? raw['Sort Key'].map(String) : undefined;
  if (sortMethod !== undefined || sortKeys !== undefined) {
    node.sort = {};
    if (sortMethod !== undefined) node.sort.method = sortMethod;
    if (sortKeys !== undefined) node.sort.keys = sortKeys;
    const spaceType = fieldString(raw, 'Sort Space Type');
    if (spaceType === 'Disk' || spaceType === 'Memory') node.sort.spaceType = spaceType;
    const used = fieldNumber(raw, 'Sort Space Used');
    if (used !== undefined) node.sort.spaceUsedKb = used;
  }
  const batches = fieldNumber(raw, 'Hash Batches');
  if (batches !== undefined) {
    node.hash = { batches };
    const buckets = fieldNumber(raw, 'Hash Buckets');
    if (buckets !== undefined) node.hash.buckets = buckets;
    const original = fieldNumber(raw, 'Original Hash Batches');
    if (original !== undefined) node.hash.originalBatches = original;
    const peak = fieldNumber(raw, 'Peak Memory Usage');
    if (peak !== undefined) node.hash.peakMemoryKb = peak;
  }
  const subplansRemoved = fieldNumber(raw, 'Subplans Removed');
  if (subplansRemoved !== undefined && subplansRemoved > 0) {
    node.subplansRemoved = subplansRemoved;
    node.detail = [node.detail, `${subplansRemoved.toLocaleString('en')} partitions pruned at run time`].filter(Boolean).join(' · ');
  }
  return node;
}

const AGGREGATE_STRATEGIES: Record<string, string> = { Hashed: 'HashAggregate', Sorted: 'GroupAggregate', Mixed: 'MixedAggregate' };

/**
 * The node's name as psql's text plans print it, which is what people read and search for:
 * "Parallel Seq Scan", "Partial HashAggregate", "Finalize GroupAggregate", "Update" (ModifyTable).
 */
function operationName(raw: JsonRecord): string {
  const type = fieldString(raw, 'Node Type') ?? 'Unknown';
  let name = type;
  if (type === 'Aggregate') name = AGGREGATE_STRATEGIES[fieldString(raw, 'Strategy') ?? ''] ?? 'Aggregate';
  if (type === 'ModifyTable') name = fieldString(raw, 'Operation') ?? type;
  const partial = fieldString(raw, 'Partial Mode');
  if (partial === 'Partial' || partial === 'Finalize') name = `${partial} ${name}`;
  if (raw['Parallel Aware'] === true) name = `Parallel ${name}`;
  return name;
}

/** Exclusive time and buffers, once the children are complete. */
function finish(node: PlanNode): void {
  if (node.timeTotalMs !== undefined) {
    let children = 0;
    for (const child of node.children) children += child.timeTotalMs ?? 0;
    node.timeSelfMs = Math.max(0, node.timeTotalMs - children);
  }
  if (node.buffers) {
    const self = addBuffers(emptyBuffers(), node.buffers);
    for (const child of node.children) addBuffers(self, child.buffers, -1);
    for (const key of Object.keys(self) as (keyof PlanBuffers)[]) self[key] = Math.max(0, self[key]);
    node.buffersSelf = self;
  }
}
