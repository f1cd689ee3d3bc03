import { memo, useRef, type KeyboardEvent, type ReactNode } from 'react';
import { Box, Text, TextInput, UnstyledButton } from '@mantine/core';
import { useVirtualizer } from '@tanstack/react-virtual';
import { ArrowDown, ArrowUp, EyeOff } from 'lucide-react';
import type { ResultColumn } from '@shared/model/workbench';
import { cellText, isNumericColumn } from './cell-text';
import type { ColumnStore } from './column-store';
import { boundsOf, contains, type CellSelection } from './selection';
import type { ResultSort } from './view-order';

export const ROW_HEIGHT = 24;
const HEADER_HEIGHT = 28;
const FILTER_HEIGHT = 30;
const GUTTER = 64;

export interface VirtualGridProps {
  store: ColumnStore;
  /** Bumped when the store grew; the grid reads the store in place. */
  revision: number;
  columns: readonly ResultColumn[];
  widths: readonly number[];
  /** Store row per view position, or null for arrival order. */
  order: Uint32Array | null;
  rowCount: number;
  sort: ResultSort | null;
  onSort(column: number): void;
  columnFilters: Readonly<Record<number, string>>;
  onColumnFilter(column: number, text: string): void;
  selection: CellSelection | null;
  onSelect(selection: CellSelection): void;
  onKeyDown(event: KeyboardEvent<HTMLDivElement>): void;
  label: string;
  /** A fixed height, or 'fill' to take what a flex column leaves. */
  height: number | string;
  /** Shown where rows would be when there are none. */
  empty?: ReactNode;
}

/**
 * The result as a grid with rows AND columns virtualised: only the cells in view are in the DOM,
 * so a million rows of fifty columns scroll like a page. The header (names, sort, per-column
 * filters) sticks to the top and the row numbers to the left.
 */
export function VirtualGrid(props: VirtualGridProps) {
  const { store, columns, widths, order, rowCount, selection } = props;
  const scrollRef = useRef<HTMLDivElement>(null);
  const rows = useVirtualizer({ count: rowCount, getScrollElement: () => scrollRef.current, estimateSize: () => ROW_HEIGHT, overscan: 8 });
  const cols = useVirtualizer({
    horizontal: true,
    count: columns.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: (index) => widths[index] ?? 120,
    overscan: 3,
  });
  const bounds = selection ? boundsOf(selection) : null;
  const totalWidth = GUTTER + cols.getTotalSize();
  const virtualColumns = cols.getVirtualItems();
  const top = HEADER_HEIGHT + FILTER_HEIGHT;

  return (
    <Box
      ref={scrollRef}
      role="grid"
      aria-label={props.label}
      aria-rowcount={rowCount + 1}
      aria-colcount={columns.length}
      aria-multiselectable
      tabIndex={0}
      onKeyDown={props.onKeyDown}
      style={{
        ...(props.height === 'fill' ? { flex: '1 1 0', minHeight: 160 } : { height: props.height }),
        overflow: 'auto',
        position: 'relative',
        border: '1px solid var(--mantine-color-default-border)',
        borderRadius: 4,
        outline: 'none',
        fontSize: 12,
      }}
    >
      <div style={{ width: totalWidth, height: top + rows.getTotalSize(), position: 'relative' }}>
        <div
          role="row"
          aria-rowindex={1}
          style={{
            position: 'sticky',
            top: 0,
            zIndex: 2,
            height: top,
            width: totalWidth,
            background: 'var(--mantine-color-body)',
            borderBottom: '1px solid var(--mantine-color-default-border)',
          }}
        >
          <div style={{ position: 'sticky', left: 0, zIndex: 3, width: GUTTER, height: top, background: 'var(--mantine-color-body)' }} />
          {virtualColumns.map((item) => (
            <HeaderCell
              key={item.key}
              column={columns[item.index]!}
              index={item.index}
              left={GUTTER + item.start}
              width={item.size}
              sorted={props.sort?.column === item.index ? props.sort.direction : null}
              filter={props.columnFilters[item.index] ?? ''}
              onSort={props.onSort}
              onFilter={props.onColumnFilter}
            />
          ))}
        </div>
        {rowCount === 0 && props.empty}
        {rows.getVirtualItems().map((item, slot) => {
          const storeRow = order ? order[item.index]! : item.index;
          return (
            <div
              // Keyed by place on screen, not by row: scrolling reuses the row elements and only
              // their text changes, instead of unmounting and mounting every row a frame.
              key={slot}
              role="row"
              aria-rowindex={item.index + 2}
              data-row={item.index}
              className="tenantscope-grid-row"
              style={{
                position: 'absolute',
                top: top + item.start,
                left: 0,
                width: totalWidth,
                height: ROW_HEIGHT,
                borderBottom: '1px solid var(--mantine-color-default-border)',
              }}
            >
              <div
                role="rowheader"
                style={{
                  position: 'sticky',
                  left: 0,
                  zIndex: 1,
                  width: GUTTER,
                  height: ROW_HEIGHT - 1,
                  lineHeight: `${ROW_HEIGHT - 1}px`,
                  padding: '0 8px',
                  textAlign: 'right',
                  color: 'var(--mantine-color-dimmed)',
                  background: 'var(--mantine-color-body)',
                  fontVariantNumeric: 'tabular-nums',
                }}
              >
                {storeRow + 1}
              </div>
              {virtualColumns.map((column) => (
                <GridCell
                  key={column.key}
                  value={store.get(column.index, storeRow)}
                  numeric={isNumericColumn(columns[column.index]!)}
                  viewRow={item.index}
                  column={column.index}
                  left={GUTTER + column.start}
                  width={column.size}
                  selected={contains(bounds, item.index, column.index)}
                  focused={selection?.focus.row === item.index && selection.focus.column === column.index}
                  onSelect={props.onSelect}
                  anchor={selection?.anchor ?? null}
                />
              ))}
            </div>
          );
        })}
      </div>
    </Box>
  );
}

interface HeaderCellProps {
  column: ResultColumn;
  index: number;
  left: number;
  width: number;
  sorted: 'asc' | 'desc' | null;
  filter: string;
  onSort(column: number): void;
  onFilter(column: number, text: string): void;
}

function HeaderCell({ column, index, left, width, sorted, filter, onSort, onFilter }: HeaderCellProps) {
  return (
    <div
      role="columnheader"
      aria-label={column.name}
      aria-colindex={index + 1}
      aria-sort={sorted === 'asc' ? 'ascending' : sorted === 'desc' ? 'descending' : 'none'}
      data-masked={column.masked ? 'true' : undefined}
      style={{ position: 'absolute', top: 0, left, width, padding: '2px 6px', borderLeft: '1px solid var(--mantine-color-default-border)' }}
    >
      <UnstyledButton
        aria-label={`Sort by ${column.name}`}
        title={`${column.name} · ${column.type}${column.masked ? ' · masked for your role' : ''}`}
        onClick={() => onSort(index)}
        style={{ display: 'flex', alignItems: 'center', gap: 4, width: '100%', height: HEADER_HEIGHT - 4, minWidth: 0 }}
      >
        <Text size="xs" fw={600} truncate component="span">
          {column.name}
        </Text>
        <Text size="10px" c="dimmed" component="span" style={{ flexShrink: 0 }}>
          {column.type}
        </Text>
        {column.masked && <EyeOff size={12} aria-label="masked" color="var(--mantine-color-yellow-5)" style={{ flexShrink: 0 }} />}
        {sorted === 'asc' && <ArrowUp size={12} style={{ flexShrink: 0 }} />}
        {sorted === 'desc' && <ArrowDown size={12} style={{ flexShrink: 0 }} />}
      </UnstyledButton>
      <TextInput
        size="xs"
        aria-label={`Filter ${column.name}`}
        placeholder="filter"
        value={filter}
        onChange={(event) => onFilter(index, event.currentTarget.value)}
        styles={{ input: { height: 22, minHeight: 22, fontSize: 11, paddingInline: 6 } }}
      />
    </div>
  );
}

interface GridCellProps {
  value: unknown;
  numeric: boolean;
  viewRow: number;
  column: number;
  left: number;
  width: number;
  selected: boolean;
  focused: boolean;
  anchor: CellSelection['anchor'] | null;
  onSelect(selection: CellSelection): void;
}

const GridCell = memo(function GridCell({ value, numeric, viewRow, column, left, width, selected, focused, anchor, onSelect }: GridCellProps) {
  const text = cellText(value);
  return (
    <div
      role="gridcell"
      aria-selected={selected}
      data-row={viewRow}
      data-col={column}
      title={text.length > 40 ? text.slice(0, 2_000) : undefined}
      onMouseDown={(event) => {
        const here = { row: viewRow, column };
        onSelect({ anchor: event.shiftKey && anchor ? anchor : here, focus: here });
      }}
      style={{
        position: 'absolute',
        top: 0,
        left,
        width,
        height: ROW_HEIGHT - 1,
        lineHeight: `${ROW_HEIGHT - 1}px`,
        padding: '0 6px',
        overflow: 'hidden',
        whiteSpace: 'nowrap',
        textOverflow: 'ellipsis',
        textAlign: numeric ? 'right' : 'left',
        fontVariantNumeric: numeric ? 'tabular-nums' : undefined,
        fontFamily: 'var(--mantine-font-family-monospace)',
        cursor: 'cell',
        userSelect: 'none',
        background: selected ? 'var(--mantine-primary-color-light)' : undefined,
        outline: focused ? '1px solid var(--mantine-primary-color-filled)' : undefined,
        outlineOffset: -1,
        color: value === null ? 'var(--mantine-color-dimmed)' : undefined,
        fontStyle: value === null ? 'italic' : undefined,
      }}
    >
      {value === null ? 'NULL' : text}
    </div>
  );
});
