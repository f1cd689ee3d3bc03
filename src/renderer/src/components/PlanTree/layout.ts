import { flextree } from 'd3-flextree';
import type { PlanNode } from '@shared/explain';

/** What the tree draws: plan nodes, and under an expanded partition group its first members. */
export type DisplayNode =
  | { kind: 'node'; key: string; node: PlanNode; depth: number; children: DisplayNode[] }
  | { kind: 'more'; key: string; groupId: string; hidden: number; depth: number; children: DisplayNode[] };

export const NODE_WIDTH = 240;
export const NODE_HEIGHT = 104;
const GAP_X = 24;
const GAP_Y = 44;

/**
 * The tree to draw. A folded group stays one node until expanded; expanded, it shows at most
 * `maxMembers` of its partitions and one "more" node for the rest, so a 10,000-partition plan
 * never puts 10,000 boxes on the page at once. Iterative, as plans can be deep.
 */
export function displayTree(root: PlanNode, expanded: ReadonlySet<string>, maxMembers: number | ((groupId: string) => number)): DisplayNode {
  const limitOf = typeof maxMembers === 'number' ? () => maxMembers : maxMembers;
  const make = (node: PlanNode, depth: number): DisplayNode => ({ kind: 'node', key: node.id, node, depth, children: [] });
  const top = make(root, 0);
  const stack: DisplayNode[] = [top];
  while (stack.length > 0) {
    const display = stack.pop()!;
    if (display.kind !== 'node') continue;
    const { node, depth } = display;
    const group = node.group;
    const limit = group ? limitOf(node.id) : 0;
    const kids = group ? (expanded.has(node.id) ? group.members.slice(0, limit) : []) : node.children;
    for (const kid of kids) {
      const child = make(kid, depth + 1);
      display.children.push(child);
      stack.push(child);
    }
    if (group && expanded.has(node.id) && group.members.length > limit) {
      display.children.push({ kind: 'more', key: `${node.id}:more`, groupId: node.id, hidden: group.members.length - limit, depth: depth + 1, children: [] });
    }
  }
  return top;
}

export interface PlacedNode {
  display: DisplayNode;
  /** Top-left corner of the node's box, in pixels from the tree's top-left. */
  left: number;
  top: number;
}

export interface TreeLayout {
  nodes: PlacedNode[];
  links: { key: string; from: PlacedNode; to: PlacedNode }[];
  width: number;
  height: number;
}

/** Top-down layout with d3-flextree: each node gets its box, parents centred over their children. */
export function layoutTree(root: DisplayNode): TreeLayout {
  const layout = flextree<DisplayNode>({ nodeSize: () => [NODE_WIDTH + GAP_X, NODE_HEIGHT + GAP_Y], children: (d) => d.children });
  const tree = layout.hierarchy(root);
  layout(tree);
  const extents = tree.extents;
  const placed = new Map<DisplayNode, PlacedNode>();
  const nodes: PlacedNode[] = [];
  const links: TreeLayout['links'] = [];
  for (const n of tree.descendants()) {
    const p: PlacedNode = { display: n.data, left: n.x - NODE_WIDTH / 2 - extents.left, top: n.y - extents.top };
    placed.set(n.data, p);
    nodes.push(p);
    if (n.parent) links.push({ key: `${n.parent.data.key}>${n.data.key}`, from: placed.get(n.parent.data)!, to: p });
  }
  return { nodes, links, width: extents.right - extents.left, height: extents.bottom - extents.top - GAP_Y };
}

/** Node colour by its share of the total time: none, then pev2's 10 / 40 / 90 % steps. */
export function shareColor(share: number | undefined): string {
  if (share === undefined || share <= 0.1) return 'var(--mantine-color-gray-4, #ced4da)';
  if (share <= 0.4) return 'var(--mantine-color-yellow-6, #fab005)';
  if (share <= 0.9) return 'var(--mantine-color-orange-6, #fd7e14)';
  return 'var(--mantine-color-red-7, #f03e3e)';
}
