import { addBuffers, emptyBuffers, type Plan, type PlanNode } from './model';

/**
 * Folding the scans of one partitioned table. Under an Append or Merge Append, PostgreSQL lists one
 * child per partition; with thousands of partitions the tree becomes unreadable (pev2 #476, #552).
 * Siblings that read partitions of the same parent become one group node carrying their sums; the
 * members stay on the group for the view to expand.
 */
export interface CollapseOptions {
  /** Fold only groups of at least this many partitions (default 2). */
  minMembers?: number;
  /** Partition → parent table, from the catalog when the caller has it; otherwise names decide. */
  partitionParents?: ReadonlyMap<string, string>;
}

const APPENDS = new Set(['Append', 'Merge Append']);

/**
 * The partitioned table a scan reads. PostgreSQL names a partition's alias after the parent's
 * (`events_1`, `events_2`, … for `events`), which holds whatever the partitions are called; the
 * relation name's usual partition suffixes (`_p0001`, `_y2024m01`, `_2024_01`, `_default`) are
 * the fallback.
 */
export function partitionParentOf(node: PlanNode, parents?: ReadonlyMap<string, string>): string | undefined {
  if (node.target === undefined) return undefined;
  const known = parents?.get(node.schema ? `${node.schema}.${node.target}` : node.target) ?? parents?.get(node.target);
  if (known !== undefined) return known;
  const alias = node.alias !== undefined ? /^(.+)_\d+$/.exec(node.alias)?.[1] : undefined;
  if (alias !== undefined && node.alias !== node.target) return alias;
  const stripped = node.target.replace(/_(p\d+|\d+|y\d{4}m\d{2}|\d{4}_\d{2}(_\d{2})?|\d{4}w\d{2}|default)$/i, '');
  return stripped !== node.target ? stripped : undefined;
}

/** A copy of `plan` with partition scans folded. Linear in the number of nodes. */
export function collapsePartitions(plan: Plan, options: CollapseOptions = {}): Plan {
  return { ...plan, root: collapseNode(plan.root, options) };
}

function collapseNode(root: PlanNode, options: CollapseOptions): PlanNode {
  const minMembers = Math.max(2, options.minMembers ?? 2);
  const copy = (node: PlanNode): PlanNode => ({ ...node, children: [...node.children] });
  const top = copy(root);
  const stack: PlanNode[] = [top];
  while (stack.length > 0) {
    const node = stack.pop()!;
    node.children = node.children.map(copy);
    if (APPENDS.has(node.operation) && node.children.length >= minMembers) node.children = foldChildren(node, options, minMembers);
    for (const child of node.children) if (!child.group) stack.push(child);
  }
  return top;
}

function foldChildren(append: PlanNode, options: CollapseOptions, minMembers: number): PlanNode[] {
  const byParent = new Map<string, PlanNode[]>();
  for (const child of append.children) {
    const parent = partitionParentOf(child, options.partitionParents);
    if (parent === undefined) continue;
    const members = byParent.get(parent);
    if (members) members.push(child);
    else byParent.set(parent, [child]);
  }
  const folded = new Map<PlanNode, PlanNode>();
  const skipped = new Set<PlanNode>();
  for (const [parent, members] of byParent) {
    if (members.length < minMembers) continue;
    folded.set(members[0]!, groupNode(append, parent, members));
    for (const member of members.slice(1)) skipped.add(member);
  }
  if (folded.size === 0) return append.children;
  const out: PlanNode[] = [];
  for (const child of append.children) {
    if (skipped.has(child)) continue;
    out.push(folded.get(child) ?? child);
  }
  return out;
}

function groupNode(append: PlanNode, parent: string, members: PlanNode[]): PlanNode {
  const operations: Record<string, number> = {};
  let estimated = 0;
  let actual = 0;
  let anyActual = false;
  let total = 0;
  let self = 0;
  let anyTime = false;
  let costTotal = 0;
  let heapFetches = 0;
  let byFilter = 0;
  let byIndexRecheck = 0;
  let anyRemoved = false;
  let allNever = true;
  let buffers = undefined as ReturnType<typeof emptyBuffers> | undefined;
  let buffersSelf = undefined as ReturnType<typeof emptyBuffers> | undefined;
  for (const m of members) {
    Object.defineProperty(operations, m.operation, { value: (Object.hasOwn(operations, m.operation) ? operations[m.operation]! : 0) + 1, enumerable: true, writable: true, configurable: true });
    estimated += (m.rowsEstimated ?? 0) * Math.max(1, m.loops ?? 1);
    if (m.rowsActual !== undefined) {
      anyActual = true;
      actual += m.rowsActual * (m.loops ?? 1);
    }
    if (m.timeTotalMs !== undefined) {
      anyTime = true;
      total += m.timeTotalMs;
      // A member's subtree (a bitmap scan's index scan) is folded with it, so its whole time is the group's own.
      self += m.timeTotalMs;
    }
    costTotal += m.costTotal ?? 0;
    heapFetches += m.heapFetches ?? 0;
    if (m.rowsRemoved) {
      anyRemoved = true;
      byFilter += m.rowsRemoved.byFilter ?? 0;
      byIndexRecheck += m.rowsRemoved.byIndexRecheck ?? 0;
    }
    if (!m.neverExecuted) allNever = false;
    if (m.buffers) {
      buffers = addBuffers(buffers ?? emptyBuffers(), m.buffers);
      buffersSelf = addBuffers(buffersSelf ?? emptyBuffers(), m.buffers);
    }
  }
  const common = Object.entries(operations).sort((a, b) => b[1] - a[1])[0]![0];
  const node: PlanNode = {
    id: `${append.id}.partitions:${parent}`,
    engine: append.engine,
    operation: Object.keys(operations).length === 1 ? common : `${common} (+${Object.keys(operations).length - 1} other)`,
    target: parent,
    detail: `${members.length.toLocaleString('en')} partitions`,
    relationship: members[0]!.relationship ?? 'Member',
    rowsEstimated: estimated,
    loops: 1,
    costTotal,
    children: [],
    raw: { partitions: members.length, operations },
    group: { parent, members, operations },
  };
  if (members[0]!.schema !== undefined) node.schema = members[0]!.schema;
  if (anyActual) node.rowsActual = actual;
  if (anyTime) {
    node.timeTotalMs = total;
    node.timeSelfMs = self;
  }
  if (heapFetches > 0) node.heapFetches = heapFetches;
  if (anyRemoved) node.rowsRemoved = { byFilter, byIndexRecheck };
  if (allNever) node.neverExecuted = true;
  if (buffers) node.buffers = buffers;
  if (buffersSelf) node.buffersSelf = buffersSelf;
  return node;
}
