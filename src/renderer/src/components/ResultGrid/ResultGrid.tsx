import { useEffect, useMemo, useRef, useState, type KeyboardEvent, type ReactNode } from 'react';
import { Button, Group, SegmentedControl, Stack, Text, TextInput } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { Copy, Search } from 'lucide-react';
import type { ColumnStore } from './column-store';
import { columnWidths } from './column-widths';
import { DocumentView } from './DocumentView';
import { boundsOf, moved, range, type CellSelection } from './selection';
import { toTsv } from './tsv';
import { isFiltering, viewOrder, type ResultFilter, type ResultSort } from './view-order';
import { VirtualGrid } from './VirtualGrid';

export interface ResultGridProps {
  store: ColumnStore;
  /** The store's revision when the parent last rendered: the grid reads the store in place. */
  revision: number;
  /** True while batches still arrive: sorting and filtering then follow them at a calmer pace. */
  streaming?: boolean;
  /** Offer the document view (MongoDB and Elasticsearch rows are documents). */
  documents?: boolean;
  label: string;
  /** A fixed height, or 'fill' to take what the flex column it sits in leaves. */
  height: number | string;
  empty?: ReactNode;
}

/** While rows stream in, a sorted or filtered view is recomputed at most this often, not per batch. */
const REORDER_PACE_MS = 750;

/**
 * A result: the virtualised grid (or the documents), sort and filter over what has arrived, cell
 * selection, and copying a cell, a row or a selection as TSV.
 */
export function ResultGrid({ store, revision, streaming = false, documents = false, label, height, empty }: ResultGridProps) {
  const [sort, setSort] = useState<ResultSort | null>(null);
  const [globalText, setGlobalText] = useState('');
  const [columnText, setColumnText] = useState<Record<number, string>>({});
  const [selection, setSelection] = useState<CellSelection | null>(null);
  const [mode, setMode] = useState<'grid' | 'documents'>(documents ? 'documents' : 'grid');
  const [filter] = useDebouncedValue<ResultFilter>(useMemo(() => ({ global: globalText, columns: columnText }), [globalText, columnText]), 200);
  const orderRevision = usePacedRevision(revision, streaming && (sort !== null || isFiltering(filter)));

  const columns = store.columns;
  const order = useMemo(
    () => viewOrder(store, sort, filter),
    // `orderRevision` stands for rows appended to the store in place.
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [store, orderRevision, sort, filter],
  );
  const rowCount = order ? order.length : store.rowCount;
  // Widths settle once the first rows are in; later batches do not make columns jump.
  const haveRows = store.rowCount > 0;
  const widths = useMemo(
    () => columnWidths(store, columns),
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [store, columns.length, haveRows],
  );

  useEffect(() => setSelection(null), [sort, filter]);

  const storeRow = (viewRow: number) => (order ? order[viewRow]! : viewRow);

  async function copy(text: string, what: string): Promise<void> {
    try {
      await navigator.clipboard.writeText(text);
      notifications.show({ color: 'teal', message: `Copied ${what} as TSV` });
    } catch (failure) {
      notifications.show({ color: 'red', title: 'Nothing was copied', message: failure instanceof Error ? failure.message : String(failure) });
    }
  }

  function copySelection(): void {
    if (!selection) return;
    const b = boundsOf(selection);
    const rows = range(b.top, b.bottom).map(storeRow);
    const cells = rows.length * (b.right - b.left + 1);
    void copy(toTsv(store, rows, range(b.left, b.right), cells > 1), cells === 1 ? 'a cell' : `${rows.length} × ${b.right - b.left + 1} cells`);
  }

  function copyCell(): void {
    if (selection) void copy(toTsv(store, [storeRow(selection.focus.row)], [selection.focus.column]), 'a cell');
  }

  function copyRow(): void {
    if (selection) void copy(toTsv(store, [storeRow(selection.focus.row)], range(0, columns.length - 1), true), 'a row');
  }

  function onKeyDown(event: KeyboardEvent<HTMLDivElement>): void {
    if ((event.ctrlKey || event.metaKey) && event.key.toLowerCase() === 'c' && selection) {
      event.preventDefault();
      copySelection();
      return;
    }
    if (!selection) return;
    const next = moved(selection, event.key, event.shiftKey, rowCount, columns.length);
    if (next) {
      event.preventDefault();
      setSelection(next);
    }
  }

  const shown = isFiltering(filter) ? `${rowCount.toLocaleString('en')} of ${store.rowCount.toLocaleString('en')} rows match` : null;

  return (
    <Stack gap={6} style={height === 'fill' ? { flex: '1 1 0', minHeight: 0 } : undefined}>
      <Group gap="xs" wrap="nowrap">
        {documents && (
          <SegmentedControl
            size="xs"
            value={mode}
            onChange={(value) => setMode(value as 'grid' | 'documents')}
            data={[
              { value: 'documents', label: 'Documents' },
              { value: 'grid', label: 'Grid' },
            ]}
            aria-label="Result view"
          />
        )}
        <TextInput
          size="xs"
          w={240}
          leftSection={<Search size={13} />}
          placeholder="Filter every column"
          aria-label="Filter every column"
          value={globalText}
          onChange={(event) => setGlobalText(event.currentTarget.value)}
        />
        {shown && (
          <Text size="xs" c="dimmed" data-testid="filter-count">
            {shown}
          </Text>
        )}
        <Group gap={4} ml="auto" wrap="nowrap">
          <Button size="compact-xs" variant="default" leftSection={<Copy size={12} />} disabled={!selection} onClick={copyCell}>
            Copy cell
          </Button>
          <Button size="compact-xs" variant="default" disabled={!selection} onClick={copyRow}>
            Copy row
          </Button>
          <Button size="compact-xs" variant="default" disabled={!selection} onClick={copySelection}>
            Copy selection
          </Button>
        </Group>
      </Group>
      {mode === 'documents' && documents ? (
        <DocumentView
          store={store}
          revision={revision}
          order={order}
          rowCount={rowCount}
          selected={selection?.focus.row ?? null}
          onSelect={(row) => setSelection({ anchor: { row, column: 0 }, focus: { row, column: 0 } })}
          height={height}
        />
      ) : (
        <VirtualGrid
          store={store}
          revision={revision}
          columns={columns}
          widths={widths}
          order={order}
          rowCount={rowCount}
          sort={sort}
          onSort={(column) =>
            setSort((current) =>
              current?.column !== column ? { column, direction: 'asc' } : current.direction === 'asc' ? { column, direction: 'desc' } : null,
            )
          }
          columnFilters={columnText}
          onColumnFilter={(column, text) => setColumnText((current) => ({ ...current, [column]: text }))}
          selection={selection}
          onSelect={setSelection}
          onKeyDown={onKeyDown}
          label={label}
          height={height}
          empty={empty}
        />
      )}
    </Stack>
  );
}

/**
 * The revision a sorted or filtered view follows: the latest one at most every `REORDER_PACE_MS`
 * while rows stream, so a million-row sort is not redone for every batch; at once otherwise.
 */
function usePacedRevision(revision: number, paced: boolean): number {
  const [current, setCurrent] = useState(revision);
  const latest = useRef(revision);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  latest.current = revision;
  useEffect(() => {
    // Unpaced, the revision is used as it comes (below); turning pacing on changes the sort or
    // filter, which recomputes the view anyway, so a stale `current` costs nothing.
    if (!paced) return;
    // A throttle, not a debounce: batches arrive without pause, and the view must still move.
    timer.current ??= setTimeout(() => {
      timer.current = null;
      setCurrent(latest.current);
    }, REORDER_PACE_MS);
  }, [revision, paced]);
  useEffect(
    () => () => {
      if (timer.current) clearTimeout(timer.current);
    },
    [],
  );
  return paced ? current : revision;
}
