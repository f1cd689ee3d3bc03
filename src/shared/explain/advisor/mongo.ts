import { isRecord, type JsonRecord } from '../json';
import { walkPlan, type Plan, type PlanNode } from '../model';
import { collectionOf } from '../mongo';
import { clampScore, count, type ResolvedOptions, type Tip } from './tip';

type Use = 'equality' | 'sort' | 'range' | 'unbounded';

interface QueryShape {
  /** Filter fields in the order the query names them. */
  fields: { field: string; use: 'equality' | 'range' }[];
  /** Sort fields with their direction. */
  sort: { field: string; direction: 1 | -1 }[];
}

/**
 * The MongoDB rules: Compass's verdicts (COLLSCAN, in-memory sort, examined vs returned) plus the
 * two a multi-tenant platform adds: every index led by the tenant field, and the
 * equality-sort-range order of compound indexes.
 */
export function mongoTips(plan: Plan, o: ResolvedOptions): Tip[] {
  const tips: Tip[] = [];
  const total = plan.totalMs ?? 0;
  const nodes: PlanNode[] = [];
  walkPlan(plan.root, (node) => nodes.push(node));
  const shape = queryShape(plan, nodes);
  const collection = plan.namespace !== undefined ? collectionOf(plan.namespace) : undefined;
  const timeShare = (node: PlanNode): number | undefined => (total > 0 && node.timeSelfMs !== undefined ? clampScore(node.timeSelfMs / total) : undefined);
  const esrIndex = (): IndexSpec => {
    const spec: IndexSpec = new Map([[o.tenantKey, 1]]);
    for (const f of shape.fields) if (f.use === 'equality') addKey(spec, f.field, 1);
    for (const s of shape.sort) addKey(spec, s.field, s.direction);
    for (const f of shape.fields) if (f.use === 'range') addKey(spec, f.field, 1);
    return spec;
  };
  const fixFor = (spec: IndexSpec): Tip['fix'] | undefined =>
    collection !== undefined && spec.size > 1 ? { kind: 'mongosh', text: createIndexCommand(collection, spec) } : undefined;
  const withFix = (tip: Tip, fix: Tip['fix'] | undefined): Tip => (fix ? { ...tip, fix } : tip);

  const collscans = nodes.filter((n) => n.operation === 'COLLSCAN');
  for (const node of collscans) {
    const examined = node.examined?.documents ?? 0;
    const returned = node.rowsActual ?? 0;
    tips.push(withFix({
      rule: 'mongo.collscan', engine: 'mongo', nodeId: node.id,
      title: `Collection scan of ${collection ?? 'the collection'}`,
      message: `MongoDB read every document of ${collection ?? 'the collection'} to find ${count(returned)}. An index led by ${o.tenantKey}, then the fields the query matches on equality, sorts by and ranges over, reads only those.`,
      evidence: [`${count(examined)} documents examined, ${count(returned)} returned`, ...(node.conditions ?? []).filter((c) => c.kind === 'filter').map((c) => `filter: ${c.text}`)],
      score: timeShare(node) ?? (examined > 0 ? clampScore((examined - returned) / examined) : 0),
    }, fixFor(esrIndex())));
  }

  const docsExamined = nodes.reduce((sum, n) => sum + (n.relationship === 'shard' ? 0 : (n.examined?.documents ?? 0)), 0);
  const queryRoot = nodes.find((n) => !n.operation.startsWith('$') && n.operation !== 'SHARD' && !n.operation.startsWith('MERGE'));
  const returned = queryRoot?.rowsActual ?? 0;
  if (plan.analyzed && collscans.length === 0 && docsExamined / Math.max(1, returned) >= o.t.examinedPerReturned) {
    const fetch = nodes.find((n) => n.operation === 'FETCH' && (n.examined?.documents ?? 0) > 0);
    tips.push(withFix({
      rule: 'mongo.examined-ratio', engine: 'mongo', ...(fetch && { nodeId: fetch.id }),
      title: `${count(docsExamined / Math.max(1, returned))} documents examined per document returned`,
      message: 'The index narrows the search too little: MongoDB fetches many documents and discards most of them in a filter. An index that also holds the filtered fields returns only the matches.',
      evidence: [`${count(docsExamined)} documents examined, ${count(returned)} returned`],
      score: fetch ? (timeShare(fetch) ?? clampScore(1 - returned / docsExamined)) : clampScore(1 - returned / docsExamined),
    }, fixFor(esrIndex())));
  }

  for (const node of nodes) {
    // A $sort right above the query could have been served by an index; one after $group could not.
    const blocking = node.operation === 'SORT' || (node.operation === '$sort' && node.rowsActual !== undefined && sortsQueryOutput(node));
    if (!blocking) continue;
    tips.push(withFix({
      rule: 'mongo.in-memory-sort', engine: 'mongo', nodeId: node.id,
      title: node.sort?.spaceType === 'Disk' ? 'Sort spilled to disk' : 'Sort in memory',
      message: `MongoDB gathered the matching documents and sorted them${node.sort?.spaceType === 'Disk' ? ', spilling to disk' : ' in memory'}, which is limited to 100 MB and blocks until the last one arrives. An index in the order of the sort (after the equality fields) returns them already sorted.`,
      evidence: [`sort on ${(node.sort?.keys ?? []).join(', ') || '?'}`, ...(node.sort?.spaceUsedKb !== undefined ? [`${count(node.sort.spaceUsedKb)} kB sorted`] : []), `${count(node.rowsActual ?? 0)} documents`],
      score: timeShare(node) ?? 0,
    }, fixFor(esrIndex())));
  }

  for (const node of nodes) {
    if (node.operation !== 'IXSCAN') continue;
    const raw = isRecord(node.raw) ? node.raw : {};
    const keyPattern = isRecord(raw['keyPattern']) ? raw['keyPattern'] : undefined;
    if (!keyPattern) continue;
    const keys = Object.keys(keyPattern);
    if (keys[0] !== o.tenantKey && !(keys.length === 1 && keys[0] === '_id')) {
      const spec: IndexSpec = new Map([[o.tenantKey, 1]]);
      for (const k of keys) addKey(spec, k, keyPattern[k] === -1 ? -1 : 1);
      tips.push(withFix({
        rule: 'mongo.tenant-prefix', engine: 'mongo', nodeId: node.id,
        title: `Index ${node.index ?? keys.join('_')} is not led by ${o.tenantKey}`,
        message: `Every query of the platform is scoped to one tenant, so an index that does not start with ${o.tenantKey} walks every tenant's entries and filters them afterwards. Lead it with ${o.tenantKey}.`,
        evidence: [`key pattern ${JSON.stringify(keyPattern)}`, ...(node.examined?.keys !== undefined ? [`${count(node.examined.keys)} keys examined`] : [])],
        score: timeShare(node) ?? 0,
      }, fixFor(spec)));
    }
    const broken = esrViolation(keys, raw['indexBounds'], shape, nodes.some((n) => n.operation === 'SORT'));
    if (broken) {
      const spec: IndexSpec = new Map([[o.tenantKey, 1]]);
      const uses = classifyBounds(keys, raw['indexBounds'], shape);
      for (const want of ['equality', 'sort', 'range', 'unbounded'] as Use[]) {
        for (const k of keys) if (uses.get(k) === want) addKey(spec, k, keyPattern[k] === -1 ? -1 : 1);
      }
      tips.push(withFix({
        rule: 'mongo.esr', engine: 'mongo', nodeId: node.id,
        title: `Index ${node.index ?? keys.join('_')} breaks the equality-sort-range order`,
        message: `${broken} A compound index serves a query best with the fields matched on equality first, then the sort fields, then the ranges.`,
        evidence: [`key pattern ${JSON.stringify(keyPattern)}`, `index bounds ${JSON.stringify(raw['indexBounds'] ?? {})}`],
        score: timeShare(node) ?? 0,
      }, fixFor(spec)));
    }
  }
  return tips;
}

function sortsQueryOutput(node: PlanNode): boolean {
  const input = node.children[0];
  return input !== undefined && !input.operation.startsWith('$');
}

/** `db.getCollection("cases").createIndex({ "tenantId": 1, "status": 1 })` */
/** Index keys in order. A Map, not an object: field names come from pasted plans (`__proto__` included). */
type IndexSpec = Map<string, 1 | -1>;

function addKey(spec: IndexSpec, field: string, direction: 1 | -1): void {
  if (!spec.has(field)) spec.set(field, direction);
}

export function createIndexCommand(collection: string, spec: IndexSpec): string {
  const keys = [...spec].map(([k, v]) => `${JSON.stringify(k)}: ${v}`).join(', ');
  return `db.getCollection(${JSON.stringify(collection)}).createIndex({ ${keys} })`;
}

function queryShape(plan: Plan, nodes: PlanNode[]): QueryShape {
  const shape: QueryShape = { fields: [], sort: [] };
  const parsed = findKey(plan.raw, 'parsedQuery', 8);
  const filters = parsed !== undefined ? [parsed] : nodes.map((n) => (isRecord(n.raw) ? n.raw['filter'] : undefined)).filter(isRecord);
  for (const filter of filters) collectFields(filter, shape.fields);
  for (const node of nodes) {
    const raw = isRecord(node.raw) ? node.raw : {};
    const pattern = isRecord(raw['sortPattern']) ? raw['sortPattern'] : isRecord(raw['$sort']) && isRecord(raw['$sort']['sortKey']) && sortsQueryOutput(node) ? raw['$sort']['sortKey'] : undefined;
    if (pattern) for (const [field, dir] of Object.entries(pattern)) if (!shape.sort.some((s) => s.field === field)) shape.sort.push({ field, direction: dir === -1 ? -1 : 1 });
  }
  return shape;
}

function collectFields(filter: JsonRecord, out: QueryShape['fields']): void {
  for (const [key, value] of Object.entries(filter)) {
    if (key === '$and' && Array.isArray(value)) {
      for (const part of value) if (isRecord(part)) collectFields(part, out);
      continue;
    }
    if (key.startsWith('$')) continue;
    const operators = isRecord(value) ? Object.keys(value).filter((k) => k.startsWith('$')) : [];
    const use = operators.length === 0 || operators.some((op) => op === '$eq' || op === '$in') ? 'equality' : 'range';
    const existing = out.find((f) => f.field === key);
    if (existing) {
      if (use === 'equality') existing.use = 'equality';
    } else out.push({ field: key, use });
  }
}

function findKey(value: unknown, key: string, depth: number): JsonRecord | undefined {
  if (depth < 0) return undefined;
  if (Array.isArray(value)) {
    for (const item of value) {
      const found = findKey(item, key, depth - 1);
      if (found) return found;
    }
    return undefined;
  }
  if (!isRecord(value)) return undefined;
  if (isRecord(value[key])) return value[key];
  for (const child of Object.values(value)) {
    const found = findKey(child, key, depth - 1);
    if (found) return found;
  }
  return undefined;
}

/** `["[\"open\", \"open\"]"]` is equality, `["[MinKey, MaxKey]"]` unbounded, anything else a range. */
function boundsUse(bounds: unknown): 'equality' | 'range' | 'unbounded' {
  if (!Array.isArray(bounds) || bounds.length === 0) return 'unbounded';
  const intervals = bounds.map(String);
  if (intervals.every((s) => /^\[\s*MinKey,\s*MaxKey\s*\]$/.test(s) || /^\[\s*MaxKey,\s*MinKey\s*\]$/.test(s))) return 'unbounded';
  const isPoint = (s: string): boolean => {
    if (!s.startsWith('[') || !s.endsWith(']')) return false;
    const half = (s.length - 4) / 2;
    return Number.isInteger(half) && half > 0 && s.slice(1, 1 + half) === s.slice(3 + half, 3 + 2 * half) && s.slice(1 + half, 3 + half) === ', ';
  };
  return intervals.every(isPoint) ? 'equality' : 'range';
}

function classifyBounds(keys: string[], indexBounds: unknown, shape: QueryShape): Map<string, Use> {
  const uses = new Map<string, Use>();
  const bounds = isRecord(indexBounds) ? indexBounds : {};
  for (const k of keys) {
    const use = boundsUse(bounds[k]);
    uses.set(k, use === 'unbounded' && shape.sort.some((s) => s.field === k) ? 'sort' : use);
  }
  return uses;
}

/** Why the index's field order breaks equality-sort-range for this query, or undefined. */
function esrViolation(keys: string[], indexBounds: unknown, shape: QueryShape, blockingSort: boolean): string | undefined {
  const uses = classifyBounds(keys, indexBounds, shape);
  const firstRange = keys.findIndex((k) => uses.get(k) === 'range');
  if (firstRange < 0) return undefined;
  const laterEquality = keys.slice(firstRange + 1).find((k) => uses.get(k) === 'equality');
  if (laterEquality) return `The range on ${keys[firstRange]} comes before the equality match on ${laterEquality}, so the index scans every ${keys[firstRange]} in the range for each value.`;
  const laterSort = keys.slice(firstRange + 1).find((k) => shape.sort.some((s) => s.field === k));
  if (laterSort && blockingSort) return `The range on ${keys[firstRange]} comes before the sort field ${laterSort}, so the index cannot return documents in sort order and MongoDB sorts them in memory.`;
  return undefined;
}

