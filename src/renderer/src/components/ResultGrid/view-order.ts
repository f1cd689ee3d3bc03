import { cellNumber, cellText, isNumericColumn } from './cell-text';
import type { ColumnStore } from './column-store';

export interface ResultSort {
  column: number;
  direction: 'asc' | 'desc';
}

export interface ResultFilter {
  /** Matched against every column of a row. */
  global: string;
  /** Per column index, matched against that column only. */
  columns: Readonly<Record<number, string>>;
}

export const NO_FILTER: ResultFilter = { global: '', columns: {} };

export function isFiltering(filter: ResultFilter): boolean {
  return filter.global.trim() !== '' || Object.values(filter.columns).some((text) => text.trim() !== '');
}

/**
 * The rows to show, as indexes into the store, in the order to show them: sorted, then filtered,
 * over the rows that have arrived. Null means "every row in arrival order", which costs nothing at
 * a million rows. The store's values are never moved.
 */
export function viewOrder(store: ColumnStore, sort: ResultSort | null, filter: ResultFilter): Uint32Array | null {
  const total = store.rowCount;
  let order: Uint32Array | null = null;
  if (sort && sort.column < store.columns.length) order = sortedRows(store, sort, total);
  if (!isFiltering(filter)) return order;
  return filteredRows(store, filter, order, total);
}

function identity(total: number): Uint32Array {
  const order = new Uint32Array(total);
  for (let i = 0; i < total; i++) order[i] = i;
  return order;
}

/**
 * Numbers sort by value through a Float64Array of keys; everything else by UTF-16 code units, which
 * is what a million-row sort can afford (a locale collator is tens of times slower). Empty cells go
 * last either way, and equal keys keep their arrival order.
 */
function sortedRows(store: ColumnStore, sort: ResultSort, total: number): Uint32Array {
  const order = identity(total);
  const sign = sort.direction === 'asc' ? 1 : -1;
  const column = store.columns[sort.column]!;
  if (isNumericColumn(column)) {
    const keys = new Float64Array(total);
    for (let r = 0; r < total; r++) keys[r] = cellNumber(store.get(sort.column, r));
    return order.sort((a, b) => {
      const x = keys[a]!;
      const y = keys[b]!;
      const xMissing = Number.isNaN(x);
      const yMissing = Number.isNaN(y);
      if (xMissing || yMissing) return xMissing === yMissing ? a - b : xMissing ? 1 : -1;
      return x === y ? a - b : sign * (x - y);
    });
  }
  const keys = new Array<string | null>(total);
  for (let r = 0; r < total; r++) {
    const value = store.get(sort.column, r);
    keys[r] = value === null ? null : cellText(value);
  }
  return order.sort((a, b) => {
    const x = keys[a]!;
    const y = keys[b]!;
    if (x === null || y === null) return x === y ? a - b : x === null ? 1 : -1;
    return x === y ? a - b : x < y ? -sign : sign;
  });
}

/** Case-insensitive "contains": every column filter must match its column, and the global text some column. */
function filteredRows(store: ColumnStore, filter: ResultFilter, order: Uint32Array | null, total: number): Uint32Array {
  const global = filter.global.trim().toLowerCase();
  const perColumn = Object.entries(filter.columns)
    .map(([column, text]) => [Number(column), text.trim().toLowerCase()] as const)
    .filter(([column, text]) => text !== '' && column < store.columns.length);
  const columnCount = store.columns.length;
  const kept = new Uint32Array(total);
  let count = 0;
  for (let i = 0; i < total; i++) {
    const row = order ? order[i]! : i;
    let keep = true;
    for (const [column, text] of perColumn) {
      if (!cellText(store.get(column, row)).toLowerCase().includes(text)) {
        keep = false;
        break;
      }
    }
    if (keep && global) {
      keep = false;
      for (let c = 0; c < columnCount; c++) {
        if (cellText(store.get(c, row)).toLowerCase().includes(global)) {
          keep = true;
          break;
        }
      }
    }
    if (keep) kept[count++] = row;
  }
  return kept.slice(0, count);
}
