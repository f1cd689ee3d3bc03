import { AppError } from '../errors';
import type { Plan, PlanNode } from './model';
import { asNumber, fieldNumber, fieldString, isRecord, rawWithout, type JsonRecord } from './json';

/**
 * Elasticsearch `profile: true`: the whole search response, its `profile` object, or the
 * `{ shards: [...] }` inside it. Each shard becomes a node under one "Search" root; under a shard
 * come its query trees (with `breakdown`), the query rewrite, its collectors, its aggregations and
 * the fetch phase. Times are inclusive (a parent's time holds its children's), in nanoseconds in
 * the response and in milliseconds here. Shards run side by side, so time shares are measured
 * against the sum of all shards' work, not the wall-clock `took`.
 */
export function looksLikeElasticProfile(value: unknown): boolean {
  return profileShards(value) !== undefined;
}

function profileShards(value: unknown): JsonRecord[] | undefined {
  if (!isRecord(value)) return undefined;
  const profile = isRecord(value['profile']) ? value['profile'] : value;
  if (!Array.isArray(profile['shards'])) return undefined;
  const shards = profile['shards'].filter(isRecord);
  return shards.every((s) => Array.isArray(s['searches']) || Array.isArray(s['aggregations'])) ? shards : undefined;
}

const NANOS_PER_MS = 1_000_000;

export function normaliseElasticProfile(value: unknown): Plan {
  const shards = profileShards(value);
  if (!shards) {
    throw new AppError('invalid_argument', 'This is not an Elasticsearch profile: expected profile.shards[] with searches.', { reason: 'not_a_plan' });
  }
  const root: PlanNode = { id: '0', engine: 'elastic', operation: 'Search', children: [], raw: isRecord(value) ? rawWithout(value, 'profile', 'hits') : {} };
  const indices = new Set<string>();
  shards.forEach((shard, i) => {
    const node = shardNode(shard, `0.${i}`);
    if (node.target !== undefined) indices.add(node.target);
    root.children.push(node);
  });
  root.timeTotalMs = sum(root.children);
  root.timeSelfMs = 0;
  if (indices.size > 0) root.target = [...indices].join(', ');
  const plan: Plan = { engine: 'elastic', analyzed: true, root, totalMs: root.timeTotalMs, raw: value };
  if (indices.size > 0) plan.namespace = root.target!;
  const took = isRecord(value) ? fieldNumber(value, 'took') : undefined;
  if (took !== undefined) {
    plan.executionMs = took;
    plan.notes = [`took ${took} ms on the coordinating node; shares below are of the shards' summed work`];
  }
  return plan;
}

/** "[nodeId][index][shard]" as every Elasticsearch version prints the shard id. */
function parseShardId(id: string): { node?: string; index?: string; shard?: string } {
  const parts = [...id.matchAll(/\[([^\]]*)\]/g)].map((m) => m[1]!);
  if (parts.length < 3) return {};
  return { node: parts[0]!, index: parts.slice(1, -1).join(']['), shard: parts[parts.length - 1]! };
}

function shardNode(shard: JsonRecord, id: string): PlanNode {
  const shardId = fieldString(shard, 'id') ?? '';
  const parsed = parseShardId(shardId);
  const index = fieldString(shard, 'index') ?? parsed.index;
  const node: PlanNode = { id, engine: 'elastic', operation: 'Shard', relationship: 'shard', children: [], raw: rawWithout(shard, 'searches', 'aggregations', 'fetch') };
  if (index !== undefined) node.target = index;
  if (shardId) node.detail = shardId;
  const kids: { raw: JsonRecord; operation?: string; relationship: string }[] = [];
  const searches = Array.isArray(shard['searches']) ? shard['searches'].filter(isRecord) : [];
  let rewriteNanos = 0;
  for (const search of searches) {
    for (const query of Array.isArray(search['query']) ? search['query'].filter(isRecord) : []) kids.push({ raw: query, relationship: 'query' });
    rewriteNanos += fieldNumber(search, 'rewrite_time') ?? 0;
    for (const collector of Array.isArray(search['collector']) ? search['collector'].filter(isRecord) : []) kids.push({ raw: collector, relationship: 'collector' });
  }
  for (const aggregation of Array.isArray(shard['aggregations']) ? shard['aggregations'].filter(isRecord) : []) kids.push({ raw: aggregation, relationship: 'aggregation' });
  if (isRecord(shard['fetch'])) kids.push({ raw: shard['fetch'], operation: 'Fetch', relationship: 'fetch' });
  let i = 0;
  for (const kid of kids) node.children.push(profiledTree(kid.raw, `${id}.${i++}`, kid.relationship, index, kid.operation));
  if (rewriteNanos > 0) {
    node.children.push({ id: `${id}.${i}`, engine: 'elastic', operation: 'Rewrite', relationship: 'rewrite', timeTotalMs: rewriteNanos / NANOS_PER_MS, timeSelfMs: rewriteNanos / NANOS_PER_MS, children: [], raw: { rewrite_time: rewriteNanos } });
  }
  node.timeTotalMs = sum(node.children);
  node.timeSelfMs = 0;
  return node;
}

/** A query, collector, aggregation or fetch tree; all share `children` and `time_in_nanos`. */
function profiledTree(rootRaw: JsonRecord, rootId: string, relationship: string, index: string | undefined, operation?: string): PlanNode {
  const order: PlanNode[] = [];
  const make = (raw: JsonRecord, id: string, op?: string): PlanNode => {
    const type = op ?? fieldString(raw, 'type') ?? fieldString(raw, 'name') ?? 'Unknown';
    const node: PlanNode = { id, engine: 'elastic', operation: type, relationship, children: [], raw: rawWithout(raw, 'children') };
    const description = fieldString(raw, 'description') ?? fieldString(raw, 'reason');
    if (description) node.detail = description;
    const field = description !== undefined ? fieldOf(description) : undefined;
    node.target = field ?? index;
    if (node.target === undefined) delete node.target;
    const nanos = fieldNumber(raw, 'time_in_nanos');
    if (nanos !== undefined) node.timeTotalMs = nanos / NANOS_PER_MS;
    if (isRecord(raw['breakdown'])) {
      const entries: [string, number][] = [];
      for (const [k, v] of Object.entries(raw['breakdown'])) {
        const n = asNumber(v);
        if (n !== undefined) entries.push([k, n]);
      }
      node.breakdown = Object.fromEntries(entries);
    }
    if (description !== undefined && relationship === 'query') node.conditions = [{ kind: 'query', text: description }];
    order.push(node);
    return node;
  };
  const root = make(rootRaw, rootId, operation);
  const stack: { raw: JsonRecord; node: PlanNode }[] = [{ raw: rootRaw, node: root }];
  while (stack.length > 0) {
    const { raw, node } = stack.pop()!;
    const children = Array.isArray(raw['children']) ? raw['children'].filter(isRecord) : [];
    children.forEach((childRaw, i) => {
      const child = make(childRaw, `${node.id}.${i}`);
      node.children.push(child);
      stack.push({ raw: childRaw, node: child });
    });
  }
  for (let i = order.length - 1; i >= 0; i--) {
    const node = order[i]!;
    if (node.timeTotalMs !== undefined) node.timeSelfMs = Math.max(0, node.timeTotalMs - sum(node.children));
  }
  return root;
}

/** The field a Lucene query description is about: "message:get" → "message", "+tenant_id:x #status:open" → undefined. */
export function fieldOf(description: string): string | undefined {
  const fields = new Set<string>();
  for (const match of description.matchAll(/(?:^|[\s(+#-])([A-Za-z_@][\w.@-]*):/g)) fields.add(match[1]!);
  return fields.size === 1 ? [...fields][0] : undefined;
}

function sum(nodes: PlanNode[]): number {
  let total = 0;
  for (const node of nodes) total += node.timeTotalMs ?? 0;
  return total;
}
