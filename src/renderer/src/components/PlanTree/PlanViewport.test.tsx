// @vitest-environment jsdom
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { normalisePlan } from '@shared/explain';
import { postgresFixture } from '@shared/explain/fixtures.test-support';
import { PlanTree } from './PlanTree';
import { PlanViewport } from './PlanViewport';

afterEach(() => cleanup());

const area = (): HTMLElement => screen.getByRole('region', { name: 'Plan drawing' });
const moved = (): string => (area().firstElementChild as HTMLElement).style.transform;

describe('PlanViewport', () => {
  it('zooms with its buttons and the wheel, back to 100 % on request, and keeps node clicks for the tree', () => {
    const plan = normalisePlan(postgresFixture('hashJoin'));
    const onSelect = vi.fn();
    render(
      <PlanViewport height={400} label="Plan drawing">
        <PlanTree plan={plan} onSelect={onSelect} />
      </PlanViewport>,
    );
    expect(area().dataset['scale']).toBe('1.000');
    fireEvent.click(screen.getByRole('button', { name: 'Zoom in' }));
    expect(area().dataset['scale']).toBe('1.250');
    fireEvent.click(screen.getByRole('button', { name: 'Zoom out' }));
    fireEvent.click(screen.getByRole('button', { name: 'Zoom out' }));
    expect(area().dataset['scale']).toBe('0.800');
    const before = moved();
    fireEvent.wheel(area(), { deltaY: -100, clientX: 50, clientY: 50 });
    expect(Number(area().dataset['scale'])).toBeCloseTo(0.92, 3);
    expect(moved()).not.toBe(before);
    fireEvent.click(screen.getByRole('button', { name: /^Actual size/ }));
    expect(area().dataset['scale']).toBe('1.000');
    fireEvent.click(screen.getAllByRole('treeitem')[1]!);
    expect(onSelect).toHaveBeenCalledWith(plan.root.children[0]);
  });
});
