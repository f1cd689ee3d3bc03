// @vitest-environment jsdom
import { cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { mongoFixture, postgresFixture } from '@shared/explain/fixtures.test-support';
import { normalisePlan, normalisePostgresPlan, planBadges, walkPlan, type Plan } from '@shared/explain';
import { PlanTree } from './PlanTree';

afterEach(() => cleanup());

function partitionPlan(partitions: number): Plan {
  const plans = Array.from({ length: partitions }, (_, i) => ({
    'Node Type': 'Seq Scan', 'Parent Relationship': 'Member', 'Relation Name': `events_p${i}`, Alias: `events_${i + 1}`,
    'Plan Rows': 3, 'Actual Rows': 2, 'Actual Loops': 1, 'Actual Total Time': 0.01, 'Rows Removed by Filter': 1,
  }));
  return normalisePostgresPlan([{ Plan: { 'Node Type': 'Append', 'Plan Rows': partitions * 3, 'Actual Rows': partitions * 2, 'Actual Loops': 1, 'Actual Total Time': partitions * 0.01 + 5, Plans: plans }, 'Execution Time': partitions * 0.01 + 6 }]);
}

const items = (): HTMLElement[] => screen.getAllByRole('treeitem');

describe('PlanTree', () => {
  it('draws every node of a captured plan, one link per parent–child pair, laid out top-down', () => {
    const plan = normalisePlan(postgresFixture('hashJoin'));
    const ids: string[] = [];
    walkPlan(plan.root, (n) => ids.push(n.id));
    const { container } = render(<PlanTree plan={plan} />);
    expect(items().map((el) => el.dataset['nodeId'])).toEqual(ids);
    expect(container.querySelectorAll('path[data-link]')).toHaveLength(ids.length - 1);
    const top = (id: string): number => parseFloat(container.querySelector<HTMLElement>(`[data-node-id="${id}"]`)!.style.top);
    expect(top('0')).toBeLessThan(top('0.0'));
    expect(top('0.0')).toBe(top('0.1'));
    expect(top('0.1')).toBeLessThan(top('0.1.0'));
    const left = (id: string): number => parseFloat(container.querySelector<HTMLElement>(`[data-node-id="${id}"]`)!.style.left);
    expect(left('0.0')).toBeLessThan(left('0.1'));
    expect(screen.getAllByText('case_notes').length).toBeGreaterThan(0);
    // The one-line figures carry the exact ones in their title.
    const root = items()[0]!;
    expect(within(root).getByTitle(/ms in this node; .* ms with its inputs; .* % of the total/)).toBeTruthy();
    expect(within(root).getByText('Inner')).toBeTruthy();
  });

  it('colours nodes by their share of the time and shows the badges', () => {
    const plan = normalisePlan(postgresFixture('sortSpill'));
    render(<PlanTree plan={plan} />);
    const sort = items().find((el) => el.dataset['nodeId'] === '0')!;
    expect(Number(sort.dataset['share'])).toBeGreaterThan(0.4);
    expect(sort.style.borderLeft).toMatch(/orange|red/);
    const spill = within(sort).getByText('spilled to disk');
    expect(spill.dataset['grade']).toBe('2');
    expect(spill.getAttribute('title')).toMatch(/kB to disk/);
    const expected = planBadges(plan);
    const shownBadges = items().flatMap((el) => [...el.querySelectorAll<HTMLElement>('[data-badge]')].map((b) => `${el.dataset['nodeId']}:${b.dataset['badge']}`));
    expect(shownBadges).toEqual([...expected].flatMap(([id, list]) => list.map((b) => `${id}:${b.kind}`)));
  });

  it('draws a 10,000-partition plan as one group that opens to its first partitions and folds again', () => {
    const plan = partitionPlan(10_000);
    render(<PlanTree plan={plan} maxGroupMembers={50} />);
    expect(items()).toHaveLength(2);
    const group = items()[1]!;
    expect(group.getAttribute('aria-expanded')).toBe('false');
    expect(within(group).getByText('Seq Scan')).toBeTruthy();
    expect(within(group).getByText('events')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Show 10,000 partitions of events' }));
    expect(items()).toHaveLength(2 + 50 + 1);
    expect(screen.getByText('9,950 more partitions not drawn')).toBeTruthy();
    // More are drawn on demand, the next ones in plan order.
    fireEvent.click(screen.getByRole('button', { name: 'Draw 50 more' }));
    expect(items()).toHaveLength(2 + 100 + 1);
    expect(items()[2 + 99]!.dataset['nodeId']).toBe('0.99');
    expect(screen.getByText('9,900 more partitions not drawn')).toBeTruthy();
    expect(items()[1]!.getAttribute('aria-expanded')).toBe('true');
    fireEvent.click(screen.getByRole('button', { name: 'Fold 10,000 partitions of events' }));
    expect(items()).toHaveLength(2);
  });

  it('draws every partition when folding is off', () => {
    render(<PlanTree plan={partitionPlan(30)} foldPartitions={false} />);
    expect(items()).toHaveLength(31);
  });

  it('reports the clicked node and marks the selected one; a MongoDB plan draws the same way', () => {
    const plan = normalisePlan(mongoFixture('findSortInMemory'));
    const onSelect = vi.fn();
    const { rerender } = render(<PlanTree plan={plan} onSelect={onSelect} />);
    expect(items().map((el) => within(el).getAllByText(/SORT|FETCH|IXSCAN/)[0]!.textContent)).toEqual(['SORT', 'FETCH', 'IXSCAN']);
    fireEvent.click(items()[2]!);
    expect(onSelect).toHaveBeenCalledWith(plan.root.children[0]!.children[0]);
    rerender(<PlanTree plan={plan} onSelect={onSelect} selectedId="0.0.0" />);
    expect(items()[2]!.getAttribute('aria-selected')).toBe('true');
    expect(items()[0]!.getAttribute('aria-selected')).toBe('false');
  });

  it('moves with the keyboard: one focusable node, arrows through the drawing, right/left open and fold a group, Enter selects', () => {
    const plan = partitionPlan(300);
    const onSelect = vi.fn();
    render(<PlanTree plan={plan} onSelect={onSelect} maxGroupMembers={3} />);
    const tree = screen.getByRole('tree');
    expect(items().map((el) => el.tabIndex)).toEqual([0, -1]);
    fireEvent.keyDown(tree, { key: 'ArrowDown' });
    expect(document.activeElement).toBe(items()[1]);
    expect(items().map((el) => el.tabIndex)).toEqual([-1, 0]);
    fireEvent.keyDown(tree, { key: 'ArrowRight' });
    expect(items()).toHaveLength(2 + 3 + 1);
    fireEvent.keyDown(tree, { key: 'ArrowDown' });
    expect(document.activeElement?.getAttribute('data-node-id')).toBe('0.0');
    fireEvent.keyDown(tree, { key: 'Enter' });
    expect(onSelect).toHaveBeenLastCalledWith(plan.root.children[0]);
    fireEvent.keyDown(tree, { key: 'ArrowUp' });
    fireEvent.keyDown(tree, { key: 'ArrowLeft' });
    expect(items()).toHaveLength(2);
  });
});
