export type SortValue = string | number | null;

export interface SortState {
  column: string;
  direction: 'asc' | 'desc';
}

const collator = new Intl.Collator(undefined, { numeric: true, sensitivity: 'base' });

/**
 * The order in which to show `rows`, as indexes: the rows themselves are left where they are.
 * Empty values go last in either direction, since "unknown" is never the largest or the smallest.
 */
export function sortedOrder<T>(rows: readonly T[], value: (row: T) => SortValue, direction: 'asc' | 'desc'): Uint32Array {
  const keys = rows.map(value);
  const order = new Uint32Array(rows.length);
  for (let i = 0; i < order.length; i++) order[i] = i;
  const sign = direction === 'asc' ? 1 : -1;
  order.sort((a, b) => {
    const x = keys[a] ?? null;
    const y = keys[b] ?? null;
    if (x === null || y === null) return x === y ? a - b : x === null ? 1 : -1;
    const compared = typeof x === 'number' && typeof y === 'number' ? x - y : collator.compare(String(x), String(y));
    return compared === 0 ? a - b : sign * compared;
  });
  return order;
}
