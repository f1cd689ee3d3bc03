import { useCallback, useContext, useLayoutEffect, useMemo, useRef, useState, type CSSProperties, type KeyboardEvent, type ReactElement } from 'react';
import { collapsePartitions, planBadges, timeShare, type Badge, type Plan, type PlanNode } from '@shared/explain';
import { displayTree, layoutTree, NODE_HEIGHT, NODE_WIDTH, shareColor, type PlacedNode } from './layout';
import { PlanViewportContext } from './viewport-context';

export interface PlanTreeProps {
  plan: Plan;
  selectedId?: string;
  onSelect?: (node: PlanNode) => void;
  /** Fold sibling scans of one partitioned table into one expandable node (default on). */
  foldPartitions?: boolean;
  /** How many partitions an expanded group shows before a "more" node. */
  maxGroupMembers?: number;
}

const BADGE_COLORS = ['var(--mantine-color-gray-6, #868e96)', 'var(--mantine-color-yellow-7, #f59f00)', 'var(--mantine-color-orange-7, #f76707)', 'var(--mantine-color-red-8, #e03131)'];

/**
 * One plan, whatever the engine, drawn as a top-down tree laid out by d3-flextree: each node
 * coloured by its share of the time, with its badges; partition groups open and close in place.
 */
export function PlanTree({ plan, selectedId, onSelect, foldPartitions = true, maxGroupMembers = 200 }: PlanTreeProps): ReactElement {
  const shown = useMemo(() => (foldPartitions ? collapsePartitions(plan) : plan), [plan, foldPartitions]);
  const badges = useMemo(() => planBadges(shown), [shown]);
  const [expanded, setExpanded] = useState<ReadonlySet<string>>(() => new Set());
  // Partitions are drawn on demand: `maxGroupMembers` at first, as many more at each "show more".
  const [drawn, setDrawn] = useState<ReadonlyMap<string, number>>(() => new Map());
  const layout = useMemo(() => layoutTree(displayTree(shown.root, expanded, (id) => drawn.get(id) ?? maxGroupMembers)), [shown, expanded, drawn, maxGroupMembers]);
  const viewport = useContext(PlanViewportContext);
  // Opening or folding a group moves its node (a parent is centred over its children): the viewport
  // puts it back under the pointer once the new layout is drawn.
  useLayoutEffect(() => viewport?.restore(), [layout, viewport]);
  const toggle = useCallback((id: string) => {
    viewport?.remember(id);
    setExpanded((current) => {
      const next = new Set(current);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });
  }, [viewport]);
  // Keyboard: one node is focusable at a time (roving tabindex); arrows move in drawing order,
  // right and left open and fold a partition group, Enter selects.
  const order = useMemo(() => layout.nodes.flatMap((p) => (p.display.kind === 'node' ? [p.display.node] : [])), [layout]);
  const [focusedId, setFocusedId] = useState<string | undefined>(undefined);
  const container = useRef<HTMLDivElement>(null);
  const current = order.find((n) => n.id === focusedId) ?? order[0];
  const focusNode = (node: PlanNode | undefined): void => {
    if (!node) return;
    setFocusedId(node.id);
    const items = container.current?.querySelectorAll<HTMLElement>('[data-node-id]') ?? [];
    for (const item of items) if (item.dataset['nodeId'] === node.id) item.focus();
  };
  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>): void => {
    if (!current) return;
    const index = order.indexOf(current);
    const handled = (() => {
      switch (event.key) {
        case 'ArrowDown':
          focusNode(order[index + 1]);
          return true;
        case 'ArrowUp':
          focusNode(order[index - 1]);
          return true;
        case 'ArrowRight':
          if (current.group && !expanded.has(current.id)) toggle(current.id);
          return true;
        case 'ArrowLeft':
          if (current.group && expanded.has(current.id)) toggle(current.id);
          return true;
        case 'Enter':
          onSelect?.(current);
          return true;
        default:
          return false;
      }
    })();
    if (handled) event.preventDefault();
  };
  return (
    <div ref={container} role="tree" aria-label={`${plan.engine} plan`} onKeyDown={onKeyDown} style={{ position: 'relative', width: layout.width, height: layout.height, minWidth: '100%' }}>
      <svg width={layout.width} height={layout.height} style={{ position: 'absolute', left: 0, top: 0, pointerEvents: 'none' }} aria-hidden="true">
        {layout.links.map(({ key, from, to }) => {
          const x1 = from.left + NODE_WIDTH / 2;
          const y1 = from.top + NODE_HEIGHT;
          const x2 = to.left + NODE_WIDTH / 2;
          const y2 = to.top;
          const mid = (y1 + y2) / 2;
          return <path key={key} data-link={key} d={`M${x1},${y1} C${x1},${mid} ${x2},${mid} ${x2},${y2}`} fill="none" stroke="var(--mantine-color-gray-5, #adb5bd)" strokeWidth={1.5} />;
        })}
      </svg>
      {layout.nodes.map((placed) =>
        placed.display.kind === 'more' ? (
          <div key={placed.display.key} role="treeitem" aria-level={placed.display.depth + 1} aria-selected={false} style={{ ...boxStyle(placed), borderStyle: 'dashed', justifyContent: 'center', color: 'var(--mantine-color-dimmed, #868e96)' }}>
            {placed.display.hidden.toLocaleString('en')} more partitions not drawn
            <MoreButton groupId={placed.display.groupId} hidden={placed.display.hidden} step={maxGroupMembers} onMore={(groupId) => setDrawn((m) => new Map(m).set(groupId, (m.get(groupId) ?? maxGroupMembers) + maxGroupMembers))} />
          </div>
        ) : (
          <PlanTreeNode
            key={placed.display.key}
            placed={placed}
            node={placed.display.node}
            share={timeShare(shown, placed.display.node)}
            badges={badges.get(placed.display.node.id) ?? []}
            selected={placed.display.node.id === selectedId}
            expanded={expanded.has(placed.display.node.id)}
            focusable={placed.display.node === current}
            onFocus={setFocusedId}
            onSelect={onSelect}
            onToggle={toggle}
          />
        ),
      )}
    </div>
  );
}

/** Draws the next `step` partitions of a group (the table lists them all). */
function MoreButton({ groupId, hidden, step, onMore }: { groupId: string; hidden: number; step: number; onMore: (groupId: string) => void }): ReactElement {
  return (
    <button
      type="button"
      tabIndex={-1}
      onClick={(event) => {
        event.stopPropagation();
        onMore(groupId);
      }}
      style={{ font: 'inherit', fontSize: 11, marginTop: 4, padding: '0 6px', borderRadius: 4, border: '1px solid currentColor', background: 'none', color: 'inherit', cursor: 'pointer', alignSelf: 'flex-start' }}
    >
      Draw {Math.min(step, hidden).toLocaleString('en')} more
    </button>
  );
}

/** The figures behind the one-line summary: exclusive and inclusive time, loops, estimate. */
function timeTitle(node: PlanNode, share: number | undefined): string {
  const parts: string[] = [];
  if (node.timeSelfMs !== undefined) parts.push(`${node.timeSelfMs.toFixed(3)} ms in this node`);
  if (node.timeTotalMs !== undefined) parts.push(`${node.timeTotalMs.toFixed(3)} ms with its inputs`);
  if (share !== undefined) parts.push(`${(share * 100).toFixed(1)} % of the total`);
  if (node.loops !== undefined && node.loops !== 1) parts.push(`${node.loops.toLocaleString('en')} loops`);
  if (node.rowsEstimated !== undefined) parts.push(`${node.rowsEstimated.toLocaleString('en')} rows estimated per loop`);
  return parts.join('; ');
}

function boxStyle(placed: PlacedNode): CSSProperties {
  return {
    position: 'absolute', left: placed.left, top: placed.top, width: NODE_WIDTH, height: NODE_HEIGHT, boxSizing: 'border-box',
    display: 'flex', flexDirection: 'column', gap: 2, padding: '6px 8px', fontSize: 12, lineHeight: 1.3, overflow: 'hidden',
    border: '1px solid var(--mantine-color-gray-4, #ced4da)', borderRadius: 6, background: 'var(--mantine-color-body, #fff)',
  };
}

interface NodeProps {
  placed: PlacedNode;
  node: PlanNode;
  share: number | undefined;
  badges: Badge[];
  selected: boolean;
  expanded: boolean;
  focusable: boolean;
  onFocus: (id: string) => void;
  onSelect: ((node: PlanNode) => void) | undefined;
  onToggle: (id: string) => void;
}

function PlanTreeNode({ placed, node, share, badges, selected, expanded, focusable, onFocus, onSelect, onToggle }: NodeProps): ReactElement {
  const color = shareColor(share);
  const rows = node.rowsActual !== undefined ? `${(node.rowsActual * (node.loops ?? 1)).toLocaleString('en')} rows` : node.rowsEstimated !== undefined ? `~${node.rowsEstimated.toLocaleString('en')} rows` : '';
  const time = node.timeSelfMs !== undefined ? `${node.timeSelfMs.toFixed(node.timeSelfMs < 10 ? 2 : 0)} ms` : '';
  const style: CSSProperties = {
    ...boxStyle(placed),
    borderLeft: `6px solid ${color}`,
    outline: selected ? '2px solid var(--mantine-color-blue-6, #228be6)' : undefined,
    cursor: onSelect ? 'pointer' : 'default',
    opacity: node.neverExecuted ? 0.55 : 1,
  };
  return (
    <div
      role="treeitem"
      aria-level={placed.display.depth + 1}
      aria-selected={selected}
      {...(node.group && { 'aria-expanded': expanded })}
      data-node-id={node.id}
      data-share={share === undefined ? undefined : share.toFixed(4)}
      style={style}
      tabIndex={focusable ? 0 : -1}
      onFocus={() => onFocus(node.id)}
      onClick={() => onSelect?.(node)}
    >
      <div style={{ fontWeight: 600, whiteSpace: 'nowrap', overflow: 'hidden', textOverflow: 'ellipsis' }} title={node.operation}>
        {node.operation}
      </div>
      {(node.target !== undefined || node.index !== undefined) && (
        <div style={{ whiteSpace: 'nowrap', overflow: 'hidden', textOverflow: 'ellipsis' }} title={[node.target, node.index].filter(Boolean).join(' using ')}>
          {node.target}
          {node.index !== undefined && <span style={{ color: 'var(--mantine-color-dimmed, #868e96)' }}> using {node.index}</span>}
        </div>
      )}
      {node.detail !== undefined && !node.group && (
        <div style={{ whiteSpace: 'nowrap', overflow: 'hidden', textOverflow: 'ellipsis', fontFamily: 'var(--mantine-font-family-monospace, monospace)', fontSize: 11 }} title={node.detail}>
          {node.detail}
        </div>
      )}
      <div style={{ color: 'var(--mantine-color-dimmed, #868e96)', whiteSpace: 'nowrap' }} title={timeTitle(node, share)}>
        {[rows, time, share !== undefined ? `${Math.round(share * 100)} %` : ''].filter(Boolean).join(' · ')}
      </div>
      <div style={{ display: 'flex', flexWrap: 'wrap', gap: 4 }}>
        {node.group && (
          <button
            type="button"
            tabIndex={-1}
            aria-label={`${expanded ? 'Fold' : 'Show'} ${node.group.members.length.toLocaleString('en')} partitions of ${node.group.parent}`}
            onClick={(event) => {
              event.stopPropagation();
              onToggle(node.id);
            }}
            style={{ font: 'inherit', fontSize: 11, padding: '0 6px', borderRadius: 4, border: '1px solid currentColor', background: 'none', cursor: 'pointer' }}
          >
            {expanded ? '▾' : '▸'} {node.detail}
          </button>
        )}
        {badges.map((badge) => (
          <span
            key={badge.kind}
            data-badge={badge.kind}
            data-grade={badge.grade}
            title={badge.title}
            style={{ fontSize: 11, padding: '0 5px', borderRadius: 4, color: '#fff', background: BADGE_COLORS[badge.grade] }}
          >
            {badge.label}
          </span>
        ))}
      </div>
    </div>
  );
}
