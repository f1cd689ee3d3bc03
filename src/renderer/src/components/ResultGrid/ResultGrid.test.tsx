// @vitest-environment jsdom
import { act, cleanup, fireEvent, screen, waitFor } from '@testing-library/react';
import { useState } from 'react';
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { installLayoutShims } from '../../test-support/grid';
import { renderWithProviders } from '../../test-support/render';
import { ColumnStore } from './column-store';
import { ResultGrid } from './ResultGrid';

const MILLION = 1_000_000;
const BATCH = 50_000;

/** A million rows in batches, as the events bring them: a number (descending) and a text column. */
function millionRows(): ColumnStore {
  const store = new ColumnStore();
  for (let seq = 0; seq * BATCH < MILLION; seq++) {
    const ids = new Array<string>(BATCH);
    const names = new Array<string>(BATCH);
    for (let i = 0; i < BATCH; i++) {
      const row = seq * BATCH + i;
      ids[i] = String(MILLION - row);
      names[i] = `tenant-${row % 25}`;
    }
    store.append({
      seq,
      ...(seq === 0 && {
        columns: [
          { name: 'id', type: 'int8' },
          { name: 'name', type: 'text' },
          { name: 'email', type: 'text', masked: true },
        ],
      }),
      rows: BATCH,
      values: [ids, names, ids.map(() => '•••')],
    });
  }
  return store;
}

const grid = () => screen.getByRole('grid', { name: 'Result' });
const renderedRows = () => [...grid().querySelectorAll<HTMLElement>('[role="row"][data-row]')];
const cell = (row: number, column: number) => grid().querySelector<HTMLElement>(`[role="gridcell"][data-row="${row}"][data-col="${column}"]`);

let store: ColumnStore;
let clipboard: string[];

beforeAll(() => {
  installLayoutShims(600, 1200);
  store = millionRows();
});

beforeEach(() => {
  clipboard = [];
  Object.defineProperty(navigator, 'clipboard', {
    configurable: true,
    value: { writeText: vi.fn((text: string) => (clipboard.push(text), Promise.resolve())) },
  });
});

afterEach(() => cleanup());

describe('the result grid', { timeout: 60_000 }, () => {
  it('holds a million rows but puts only the rows in view in the DOM', () => {
    renderWithProviders(<ResultGrid store={store} revision={store.revision} label="Result" height={600} />);
    expect(grid().getAttribute('aria-rowcount')).toBe(String(MILLION + 1));
    const shown = renderedRows();
    expect(shown.length).toBeGreaterThan(10);
    expect(shown.length).toBeLessThan(60);
    expect(cell(0, 0)?.textContent).toBe('1000000');
    // The masked column says so in its header.
    expect(screen.getByRole('columnheader', { name: 'email' }).dataset.masked).toBe('true');
  });

  it('renders the rows at the scroll position, far down the million', () => {
    renderWithProviders(<ResultGrid store={store} revision={store.revision} label="Result" height={600} />);
    act(() => {
      grid().scrollTop = 24 * 700_000;
      fireEvent.scroll(grid());
    });
    const rows = renderedRows().map((row) => Number(row.dataset.row));
    expect(Math.min(...rows)).toBeGreaterThan(699_000);
    expect(Math.max(...rows)).toBeLessThan(701_000);
    expect(renderedRows().length).toBeLessThan(60);
  });

  it('virtualises columns as well: of 300 columns only those in view are cells', () => {
    const wide = new ColumnStore();
    const columns = Array.from({ length: 300 }, (_, c) => ({ name: `c${c}`, type: 'text' }));
    wide.append({ seq: 0, columns, rows: 3, values: columns.map((_, c) => [`r0c${c}`, `r1c${c}`, `r2c${c}`]) });
    renderWithProviders(<ResultGrid store={wide} revision={wide.revision} label="Result" height={600} />);
    const headers = screen.getAllByRole('columnheader');
    expect(headers.length).toBeGreaterThan(3);
    expect(headers.length).toBeLessThan(40);
    expect(cell(1, 0)?.textContent).toBe('r1c0');
    expect(cell(1, 299)).toBeNull();
  });

  it('sorts a million rows numerically from the header, and filters them', async () => {
    renderWithProviders(<ResultGrid store={store} revision={store.revision} label="Result" height={600} />);
    fireEvent.click(screen.getByRole('button', { name: 'Sort by id' }));
    await waitFor(() => expect(cell(0, 0)?.textContent).toBe('1'));
    expect(cell(1, 0)?.textContent).toBe('2');
    expect(screen.getByRole('columnheader', { name: 'id' }).getAttribute('aria-sort')).toBe('ascending');
    fireEvent.change(screen.getByLabelText('Filter name'), { target: { value: 'tenant-7' } });
    await waitFor(() => expect(screen.getByTestId('filter-count').textContent).toBe('40,000 of 1,000,000 rows match'));
    // Sorted ascending by id and keeping only rows whose index ends …7 of 25: the smallest id is 1,000,000 − 999,982.
    expect(cell(0, 1)?.textContent).toBe('tenant-7');
    expect(cell(0, 0)?.textContent).toBe('18');
  });

  it('copies a cell, a row and a selection as TSV', async () => {
    const small = new ColumnStore();
    small.append({
      seq: 0,
      columns: [
        { name: 'id', type: 'int4' },
        { name: 'note', type: 'text' },
      ],
      rows: 3,
      values: [
        [1, 2, 3],
        ['a', 'tab\there', null],
      ],
    });
    renderWithProviders(<ResultGrid store={small} revision={small.revision} label="Result" height={600} />);
    fireEvent.mouseDown(cell(0, 0)!);
    fireEvent.mouseDown(cell(2, 1)!, { shiftKey: true });
    expect(cell(1, 1)?.getAttribute('aria-selected')).toBe('true');
    fireEvent.click(screen.getByRole('button', { name: 'Copy selection' }));
    await waitFor(() => expect(clipboard).toEqual(['id\tnote\n1\ta\n2\t"tab\there"\n3\t']));
    fireEvent.click(screen.getByRole('button', { name: 'Copy cell' }));
    await waitFor(() => expect(clipboard[1]).toBe(''));
    fireEvent.keyDown(grid(), { key: 'ArrowUp' });
    fireEvent.click(screen.getByRole('button', { name: 'Copy row' }));
    await waitFor(() => expect(clipboard[2]).toBe('id\tnote\n2\t"tab\there"'));
    fireEvent.keyDown(grid(), { key: 'c', ctrlKey: true });
    await waitFor(() => expect(clipboard[3]).toBe('"tab\there"'));
  });

  it('shows documents whole in the document view', () => {
    const docs = new ColumnStore();
    docs.append({
      seq: 0,
      columns: [
        { name: '_id', type: 'objectId' },
        { name: 'address', type: 'object' },
      ],
      rows: 2,
      values: [
        ['a1', 'a2'],
        [{ city: 'Lyon' }, null],
      ],
    });
    renderWithProviders(<ResultGrid store={docs} revision={docs.revision} documents label="Result" height={400} />);
    const list = screen.getByRole('listbox', { name: 'Documents' });
    const first = list.querySelector<HTMLElement>('[data-row="0"]')!;
    expect(first.textContent).toBe('{"_id":"a1","address":{"city":"Lyon"}}');
    fireEvent.click(first);
    expect(screen.getByText(/"city": "Lyon"/)).toBeTruthy();
  });

  it('keeps a sorted view following the rows that stream in after the sort', async () => {
    const growing = new ColumnStore();
    growing.append({ seq: 0, columns: [{ name: 'n', type: 'int4' }], rows: 2, values: [[3, 1]] });
    let announce = (): void => undefined;
    function Streaming() {
      const [revision, setRevision] = useState(growing.revision);
      announce = () => setRevision(growing.revision);
      return <ResultGrid store={growing} revision={revision} streaming label="Result" height={600} />;
    }
    renderWithProviders(<Streaming />);
    fireEvent.click(screen.getByRole('button', { name: 'Sort by n' }));
    await waitFor(() => expect(cell(0, 0)?.textContent).toBe('1'));
    growing.append({ seq: 1, rows: 1, values: [[0]] });
    act(() => announce());
    await waitFor(() => expect(cell(0, 0)?.textContent).toBe('0'), { timeout: 5_000 });
    expect([0, 1, 2].map((row) => cell(row, 0)?.textContent)).toEqual(['0', '1', '3']);
  });
});
