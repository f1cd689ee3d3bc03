import { AppError } from '../errors';
import type { Plan, PlanCondition, PlanNode } from './model';
import { compactJson, fieldNumber, fieldString, isRecord, rawWithout, type JsonRecord } from './json';

/**
 * MongoDB `explain('executionStats')` (or 'queryPlanner' / 'allPlansExecution') for find and
 * aggregate, in the shapes the server returns:
 * - find, or an aggregate pushed down whole: `queryPlanner.winningPlan` + `executionStats.executionStages`;
 *   with the slot-based engine the winning plan sits in `winningPlan.queryPlan` and per-stage
 *   statistics are not comparable, so the tree comes from `queryPlan` with the totals on its root;
 * - aggregate with a pipeline: `stages: [{ $cursor: {...} }, { $group: ..., nReturned, executionTimeMillisEstimate }, …]`;
 * - sharded: `winningPlan.shards[]` / `executionStages.shards[]` (find), or `shards: { name: {...} }` (aggregate).
 */
export function looksLikeMongoPlan(value: unknown): boolean {
  return isRecord(value) && (isRecord(value['queryPlanner']) || Array.isArray(value['stages']) || (isRecord(value['shards']) && ('splitPipeline' in value || 'mergeType' in value)));
}

interface Context {
  namespace?: string;
  analyzed: boolean;
}

export function normaliseMongoPlan(value: unknown): Plan {
  if (!looksLikeMongoPlan(value)) {
    throw new AppError('invalid_argument', 'This is not a MongoDB explain: expected queryPlanner, stages or shards.', { reason: 'not_a_plan' });
  }
  const doc = value as JsonRecord;
  const context: Context = { analyzed: false };
  const root = fromDocument(doc, context, '0');
  const plan: Plan = { engine: 'mongo', analyzed: context.analyzed, root, raw: value };
  if (context.namespace !== undefined) plan.namespace = context.namespace;
  const stats = isRecord(doc['executionStats']) ? doc['executionStats'] : undefined;
  const executionMs = stats ? fieldNumber(stats, 'executionTimeMillis') : undefined;
  if (executionMs !== undefined) plan.executionMs = executionMs;
  const total = executionMs ?? root.timeTotalMs;
  if (total !== undefined) plan.totalMs = total;
  const planner = isRecord(doc['queryPlanner']) ? doc['queryPlanner'] : undefined;
  if (planner && Array.isArray(planner['rejectedPlans']) && planner['rejectedPlans'].length > 0) {
    plan.notes = [`${planner['rejectedPlans'].length} rejected plan(s)`];
  }
  assignIds(root, '0');
  fillSelfTimes(root);
  return plan;
}

function fromDocument(doc: JsonRecord, context: Context, id: string): PlanNode {
  if (Array.isArray(doc['stages'])) return fromPipeline(doc['stages'].filter(isRecord), context, id);
  if (isRecord(doc['shards']) && !isRecord(doc['queryPlanner'])) return fromShardedAggregate(doc, context, id);
  const planner = isRecord(doc['queryPlanner']) ? doc['queryPlanner'] : {};
  const winning = isRecord(planner['winningPlan']) ? planner['winningPlan'] : undefined;
  // A sharded find names its namespace per shard only.
  const firstShard = winning && Array.isArray(winning['shards']) ? winning['shards'].find(isRecord) : undefined;
  const namespace = fieldString(planner, 'namespace') ?? (firstShard ? fieldString(firstShard, 'namespace') : undefined);
  if (namespace !== undefined) context.namespace ??= namespace;
  const stats = isRecord(doc['executionStats']) ? doc['executionStats'] : undefined;
  const stages = stats && isRecord(stats['executionStages']) ? stats['executionStages'] : undefined;
  if (stats) context.analyzed = true;
  if (winning && isRecord(winning['queryPlan'])) {
    // Slot-based engine: the query plan tree, with the executed totals on its root.
    const root = stageTree(winning['queryPlan'], context, namespace, false);
    if (stats) {
      const returned = fieldNumber(stats, 'nReturned');
      if (returned !== undefined) root.rowsActual = returned;
      root.loops = 1;
      const ms = fieldNumber(stats, 'executionTimeMillis');
      if (ms !== undefined) root.timeTotalMs = ms;
      root.examined = { keys: fieldNumber(stats, 'totalKeysExamined') ?? 0, documents: fieldNumber(stats, 'totalDocsExamined') ?? 0 };
    }
    return root;
  }
  const tree = stages ?? winning;
  if (!tree) throw new AppError('invalid_argument', 'The MongoDB explain has no winning plan.', { reason: 'not_a_plan' });
  return stageTree(tree, context, namespace, stages !== undefined);
}

/** A stage and its inputs, iteratively. */
function stageTree(rootStage: JsonRecord, context: Context, namespace: string | undefined, withStats: boolean): PlanNode {
  const root = stageNode(rootStage, namespace, withStats);
  const stack: { raw: JsonRecord; node: PlanNode }[] = [{ raw: rootStage, node: root }];
  while (stack.length > 0) {
    const { raw, node } = stack.pop()!;
    for (const input of stageInputs(raw)) {
      if (input.shard) {
        node.children.push(shardNode(input.shard, context, withStats));
        continue;
      }
      const child = stageNode(input.stage, namespace, withStats);
      node.children.push(child);
      stack.push({ raw: input.stage, node: child });
    }
  }
  return root;
}

type StageInput = { stage: JsonRecord; shard?: undefined } | { shard: JsonRecord; stage?: undefined };

function stageInputs(raw: JsonRecord): StageInput[] {
  const inputs: StageInput[] = [];
  for (const key of ['inputStage', 'outerStage', 'innerStage', 'thenStage', 'elseStage']) {
    const v = raw[key];
    if (isRecord(v)) inputs.push({ stage: v });
  }
  if (Array.isArray(raw['inputStages'])) for (const v of raw['inputStages']) if (isRecord(v)) inputs.push({ stage: v });
  if (Array.isArray(raw['shards'])) for (const v of raw['shards']) if (isRecord(v)) inputs.push({ shard: v });
  return inputs;
}

/** One shard of a sharded find: its own winning plan or execution stages under a shard node. */
function shardNode(shard: JsonRecord, context: Context, withStats: boolean): PlanNode {
  const name = fieldString(shard, 'shardName') ?? 'shard';
  const node: PlanNode = { id: '', engine: 'mongo', operation: 'SHARD', target: name, relationship: 'shard', children: [], raw: rawWithout(shard, 'executionStages', 'winningPlan', 'rejectedPlans') };
  const stages = isRecord(shard['executionStages']) ? shard['executionStages'] : undefined;
  const winning = isRecord(shard['winningPlan']) ? (isRecord(shard['winningPlan']['queryPlan']) ? shard['winningPlan']['queryPlan'] : shard['winningPlan']) : undefined;
  const namespace = fieldString(shard, 'namespace') ?? context.namespace;
  const tree = stages ?? winning;
  if (tree) node.children.push(stageTree(tree, context, namespace, withStats && stages !== undefined));
  if (withStats) {
    const returned = fieldNumber(shard, 'nReturned');
    if (returned !== undefined) {
      node.rowsActual = returned;
      node.loops = 1;
    }
    const ms = fieldNumber(shard, 'executionTimeMillis') ?? fieldNumber(shard, 'executionTimeMillisEstimate');
    if (ms !== undefined) node.timeTotalMs = ms;
    const keys = fieldNumber(shard, 'totalKeysExamined');
    const documents = fieldNumber(shard, 'totalDocsExamined');
    if (keys !== undefined || documents !== undefined) node.examined = { keys: keys ?? 0, documents: documents ?? 0 };
  }
  return node;
}

const COLLECTION_STAGES = new Set(['COLLSCAN', 'FETCH', 'IXSCAN', 'IDHACK', 'EXPRESS_IXSCAN', 'EXPRESS_CLUSTERED_IXSCAN', 'DISTINCT_SCAN', 'COUNT_SCAN', 'CLUSTERED_IXSCAN', 'TEXT_MATCH']);

function stageNode(raw: JsonRecord, namespace: string | undefined, withStats: boolean): PlanNode {
  const operation = fieldString(raw, 'stage') ?? 'UNKNOWN';
  const node: PlanNode = { id: '', engine: 'mongo', operation, children: [], raw: rawWithout(raw, 'inputStage', 'inputStages', 'outerStage', 'innerStage', 'thenStage', 'elseStage', 'shards') };
  const collection = namespace !== undefined ? collectionOf(namespace) : undefined;
  if (collection !== undefined && COLLECTION_STAGES.has(operation)) node.target = collection;
  const index = fieldString(raw, 'indexName');
  if (index !== undefined) node.index = index;
  if (isRecord(raw['keyPattern'])) node.detail = compactJson(raw['keyPattern']);
  const conditions: PlanCondition[] = [];
  if (isRecord(raw['filter'])) conditions.push({ kind: 'filter', text: compactJson(raw['filter'], 400) });
  if (isRecord(raw['indexBounds'])) conditions.push({ kind: 'index', text: compactJson(raw['indexBounds'], 400) });
  if (conditions.length > 0) node.conditions = conditions;
  if (isRecord(raw['sortPattern'])) {
    node.sort = { keys: Object.keys(raw['sortPattern']) };
    if (withStats) {
      node.sort.spaceType = raw['usedDisk'] === true ? 'Disk' : 'Memory';
      const mem = fieldNumber(raw, 'memUsage') ?? fieldNumber(raw, 'totalDataSizeSorted');
      if (mem !== undefined) node.sort.spaceUsedKb = Math.ceil(mem / 1024);
    }
  }
  if (withStats) {
    node.loops = 1;
    node.rowsActual = fieldNumber(raw, 'nReturned') ?? 0;
    const ms = fieldNumber(raw, 'executionTimeMillisEstimate') ?? fieldNumber(raw, 'executionTimeMillis');
    if (ms !== undefined) node.timeTotalMs = ms;
    const keys = fieldNumber(raw, 'keysExamined');
    const documents = fieldNumber(raw, 'docsExamined');
    if (keys !== undefined || documents !== undefined) {
      node.examined = {};
      if (keys !== undefined) node.examined.keys = keys;
      if (documents !== undefined) node.examined.documents = documents;
    }
    if (documents !== undefined && isRecord(raw['filter'])) node.rowsRemoved = { byFilter: Math.max(0, documents - node.rowsActual) };
    if (fieldNumber(raw, 'works') === 0 && node.rowsActual === 0 && documents === undefined && keys === undefined) node.neverExecuted = true;
  }
  return node;
}

/** An aggregation pipeline is a chain: each stage's input is the one before it. */
function fromPipeline(stages: JsonRecord[], context: Context, id: string): PlanNode {
  let below: PlanNode | undefined;
  for (const stage of stages) {
    let node: PlanNode;
    const cursor = isRecord(stage['$cursor']) ? stage['$cursor'] : undefined;
    if (cursor) {
      node = fromDocument(cursor, context, id);
      const returned = fieldNumber(stage, 'nReturned');
      if (returned !== undefined && node.rowsActual === undefined) node.rowsActual = returned;
    } else {
      const name = Object.keys(stage).find((k) => k.startsWith('$')) ?? 'stage';
      node = { id: '', engine: 'mongo', operation: name, children: [], raw: stage };
      node.detail = compactJson(stage[name]);
      const returned = fieldNumber(stage, 'nReturned');
      if (returned !== undefined) {
        context.analyzed = true;
        node.rowsActual = returned;
        node.loops = 1;
      }
      const ms = fieldNumber(stage, 'executionTimeMillisEstimate');
      if (ms !== undefined) node.timeTotalMs = ms;
      if (name === '$sort') {
        const spec = isRecord(stage[name]) ? stage[name] : {};
        node.sort = { keys: isRecord(spec['sortKey']) ? Object.keys(spec['sortKey']) : [] };
        if (typeof stage['usedDisk'] === 'boolean') node.sort.spaceType = stage['usedDisk'] ? 'Disk' : 'Memory';
        const bytes = fieldNumber(stage, 'totalDataSizeSortedBytesEstimate');
        if (bytes !== undefined) node.sort.spaceUsedKb = Math.ceil(bytes / 1024);
      }
      if (name === '$lookup' || name === '$unionWith') {
        const spec = isRecord(stage[name]) ? stage[name] : {};
        const from = fieldString(spec, 'from') ?? fieldString(spec, 'coll');
        if (from !== undefined) node.target = from;
        const docs = fieldNumber(stage, 'totalDocsExamined');
        const keys = fieldNumber(stage, 'totalKeysExamined');
        if (docs !== undefined || keys !== undefined) node.examined = { documents: docs ?? 0, keys: keys ?? 0 };
      }
    }
    if (below) node.children.push(below);
    below = node;
  }
  if (!below) throw new AppError('invalid_argument', 'The MongoDB aggregate explain has no stages.', { reason: 'not_a_plan' });
  return below;
}

function fromShardedAggregate(doc: JsonRecord, context: Context, id: string): PlanNode {
  const shards = doc['shards'] as JsonRecord;
  const root: PlanNode = { id, engine: 'mongo', operation: fieldString(doc, 'mergeType') === undefined ? 'SHARD_MERGE' : `MERGE (${fieldString(doc, 'mergeType')})`, children: [], raw: rawWithout(doc, 'shards') };
  for (const [name, shard] of Object.entries(shards)) {
    if (!isRecord(shard)) continue;
    const node: PlanNode = { id: '', engine: 'mongo', operation: 'SHARD', target: name, relationship: 'shard', children: [fromDocument(shard, context, id)], raw: rawWithout(shard, 'stages', 'queryPlanner', 'executionStats') };
    const child = node.children[0]!;
    if (child.rowsActual !== undefined) {
      node.rowsActual = child.rowsActual;
      node.loops = 1;
    }
    if (child.timeTotalMs !== undefined) node.timeTotalMs = child.timeTotalMs;
    root.children.push(node);
  }
  let rows = 0;
  let time = 0;
  for (const shard of root.children) {
    rows += shard.rowsActual ?? 0;
    time = Math.max(time, shard.timeTotalMs ?? 0);
  }
  if (context.analyzed) {
    root.rowsActual = rows;
    root.loops = 1;
    root.timeTotalMs = time;
  }
  return root;
}

export function collectionOf(namespace: string): string {
  const dot = namespace.indexOf('.');
  return dot < 0 ? namespace : namespace.slice(dot + 1);
}

function assignIds(root: PlanNode, rootId: string): void {
  root.id = rootId;
  const stack: PlanNode[] = [root];
  while (stack.length > 0) {
    const node = stack.pop()!;
    node.children.forEach((child, i) => {
      child.id = `${node.id}.${i}`;
      stack.push(child);
    });
  }
}

/**
 * Stage times are inclusive estimates; a stage's own time is what its inputs do not explain.
 * Shards run side by side, so a merge stage's inputs overlap in time: their longest, not their sum.
 */
function fillSelfTimes(root: PlanNode): void {
  const order: PlanNode[] = [];
  const stack: PlanNode[] = [root];
  while (stack.length > 0) {
    const node = stack.pop()!;
    order.push(node);
    for (const child of node.children) stack.push(child);
  }
  for (let i = order.length - 1; i >= 0; i--) {
    const node = order[i]!;
    if (node.timeTotalMs === undefined) continue;
    const times = node.children.map((c) => c.timeTotalMs ?? 0);
    const parallel = node.children.length > 1 && node.children.every((c) => c.relationship === 'shard');
    const children = parallel ? Math.max(0, ...times) : times.reduce((a, b) => a + b, 0);
    node.timeSelfMs = Math.max(0, node.timeTotalMs - children);
  }
}
