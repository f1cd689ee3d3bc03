import { describe, expect, it } from 'vitest';
import { sortedOrder } from './DataGridSort';

describe('sortedOrder', () => {
  const rows = [{ v: 'b10' }, { v: null }, { v: 'b2' }, { v: 'a' }];

  it('orders indexes, not rows, with numbers in text compared as numbers and empty values last', () => {
    expect([...sortedOrder(rows, (r) => r.v, 'asc')]).toEqual([3, 2, 0, 1]);
    expect([...sortedOrder(rows, (r) => r.v, 'desc')]).toEqual([0, 2, 3, 1]);
    expect(rows[0]).toEqual({ v: 'b10' });
  });

  it('keeps equal values in their original order', () => {
    expect([...sortedOrder([3, 1, 3, 1], (n) => n, 'desc')]).toEqual([0, 2, 1, 3]);
  });
});
