import { useMemo, useRef, type CSSProperties, type ReactNode } from 'react';
import { Box, Text, UnstyledButton } from '@mantine/core';
import { useVirtualizer } from '@tanstack/react-virtual';
import { ArrowDown, ArrowUp } from 'lucide-react';
import { sortedOrder, type SortState, type SortValue } from './DataGridSort';

export type { SortState, SortValue } from './DataGridSort';

export interface DataGridColumn<T> {
  id: string;
  header: ReactNode;
  /** The accessible name of the column (the header may be an icon). */
  label: string;
  /** Fixed width in pixels; columns without one share what is left. */
  width?: number;
  align?: 'left' | 'right';
  cell(row: T): ReactNode;
  /** What the column sorts by; a column without it does not sort. */
  sortValue?(row: T): SortValue;
}

export interface DataGridProps<T> {
  /** Read in place: the grid never copies it, so a caller may append batches and bump `revision`. */
  rows: readonly T[];
  /** Changes whenever `rows` changed in place (rows appended or replaced). */
  revision?: number;
  columns: readonly DataGridColumn<T>[];
  rowKey(row: T): string;
  sort: SortState | null;
  onSortChange(sort: SortState | null): void;
  onRowClick?(row: T): void;
  /** The key of the row to show as chosen. */
  selectedKey?: string | null;
  /** Accessible name of the grid. */
  label: string;
  height: number | string;
  rowHeight?: number;
  empty?: ReactNode;
}

const HEADER_HEIGHT = 30;
// Hover needs a selector; Mantine's own styles are injected the same way (the CSP allows it).
const ROW_HOVER = '.tenantscope-grid-row:hover{background:var(--mantine-color-default-hover)}';

function nextSort(current: SortState | null, column: string): SortState | null {
  if (current?.column !== column) return { column, direction: 'asc' };
  return current.direction === 'asc' ? { column, direction: 'desc' } : null;
}

/**
 * A dense, virtualised table: a sticky header with sortable columns and only the rows in view in
 * the DOM, so ten thousand rows scroll like ten. Sorting keeps an index order beside the rows.
 */
export function DataGrid<T>(props: DataGridProps<T>) {
  const { rows, revision = 0, columns, sort, rowHeight = 28 } = props;
  const scrollRef = useRef<HTMLDivElement>(null);
  const sortColumn = columns.find((c) => c.id === sort?.column && c.sortValue);

  const order = useMemo(
    () => (sortColumn?.sortValue && sort ? sortedOrder(rows, sortColumn.sortValue, sort.direction) : null),
    // `revision` stands for in-place changes of `rows`.
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [rows, revision, rows.length, sortColumn, sort?.direction],
  );

  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => rowHeight,
    overscan: 12,
  });

  const template = columns.map((c) => (c.width ? `${c.width}px` : 'minmax(120px, 1fr)')).join(' ');
  const minWidth = columns.reduce((sum, c) => sum + (c.width ?? 120), 0);
  const rowStyle: CSSProperties = { display: 'grid', gridTemplateColumns: template, alignItems: 'center', minWidth };

  return (
    <Box
      ref={scrollRef}
      role="grid"
      aria-label={props.label}
      aria-rowcount={rows.length + 1}
      style={{ height: props.height, overflow: 'auto', position: 'relative', border: '1px solid var(--mantine-color-default-border)', borderRadius: 4 }}
    >
      <div
        role="row"
        aria-rowindex={1}
        style={{
          ...rowStyle,
          position: 'sticky',
          top: 0,
          zIndex: 1,
          height: HEADER_HEIGHT,
          background: 'var(--mantine-color-body)',
          borderBottom: '1px solid var(--mantine-color-default-border)',
        }}
      >
        {columns.map((column) => {
          const sorted = sort?.column === column.id ? sort.direction : null;
          const content = (
            <Text size="xs" fw={600} c="dimmed" truncate component="span">
              {column.header}
            </Text>
          );
          return (
            <div
              key={column.id}
              role="columnheader"
              aria-label={column.label}
              aria-sort={sorted === 'asc' ? 'ascending' : sorted === 'desc' ? 'descending' : 'none'}
              style={{ padding: '0 8px', display: 'flex', justifyContent: column.align === 'right' ? 'flex-end' : 'flex-start', minWidth: 0 }}
            >
              {column.sortValue ? (
                <UnstyledButton
                  aria-label={`Sort by ${column.label}`}
                  onClick={() => props.onSortChange(nextSort(sort, column.id))}
                  style={{ display: 'flex', alignItems: 'center', gap: 3, minWidth: 0 }}
                >
                  {content}
                  {sorted === 'asc' && <ArrowUp size={12} />}
                  {sorted === 'desc' && <ArrowDown size={12} />}
                </UnstyledButton>
              ) : (
                content
              )}
            </div>
          );
        })}
      </div>
      <style>{ROW_HOVER}</style>
      {rows.length === 0 && props.empty}
      <div role="rowgroup" style={{ height: virtualizer.getTotalSize(), position: 'relative', minWidth }}>
        {virtualizer.getVirtualItems().map((item) => {
          const row = rows[order ? order[item.index]! : item.index];
          if (row === undefined) return null;
          const key = props.rowKey(row);
          const selected = key === props.selectedKey;
          return (
            <div
              key={key}
              role="row"
              aria-rowindex={item.index + 2}
              aria-selected={selected}
              data-row-key={key}
              className="tenantscope-grid-row"
              onClick={props.onRowClick ? () => props.onRowClick?.(row) : undefined}
              tabIndex={props.onRowClick ? 0 : undefined}
              onKeyDown={
                props.onRowClick
                  ? (event) => {
                      if (event.key === 'Enter') props.onRowClick?.(row);
                    }
                  : undefined
              }
              style={{
                ...rowStyle,
                position: 'absolute',
                top: 0,
                left: 0,
                right: 0,
                height: rowHeight,
                transform: `translateY(${item.start}px)`,
                cursor: props.onRowClick ? 'pointer' : undefined,
                background: selected ? 'var(--mantine-primary-color-light)' : undefined,
                borderBottom: '1px solid var(--mantine-color-default-border)',
              }}
            >
              {columns.map((column) => (
                <div
                  key={column.id}
                  role="gridcell"
                  style={{
                    padding: '0 8px',
                    overflow: 'hidden',
                    whiteSpace: 'nowrap',
                    textOverflow: 'ellipsis',
                    textAlign: column.align ?? 'left',
                    fontSize: 13,
                    fontVariantNumeric: column.align === 'right' ? 'tabular-nums' : undefined,
                  }}
                >
                  {column.cell(row)}
                </div>
              ))}
            </div>
          );
        })}
      </div>
    </Box>
  );
}
