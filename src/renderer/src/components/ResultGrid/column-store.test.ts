import { describe, expect, it } from 'vitest';
import { CHUNK_ROWS, ColumnStore } from './column-store';
import { isFiltering, NO_FILTER, viewOrder } from './view-order';
import { toTsv, tsvField } from './tsv';

const ID_NAME = [
  { name: 'id', type: 'int8' },
  { name: 'name', type: 'text' },
];

describe('the column store', () => {
  it('appends batches by column and reads rows across them', () => {
    const store = new ColumnStore();
    store.append({ seq: 0, columns: ID_NAME, rows: 2, values: [['1', '2'], ['ada', 'bob']] });
    store.append({ seq: 1, rows: 1, values: [['3'], [null]] });
    expect(store.rowCount).toBe(3);
    expect(store.revision).toBe(2);
    expect([0, 1, 2].map((r) => store.get(0, r))).toEqual(['1', '2', '3']);
    expect([0, 1, 2].map((r) => store.get(1, r))).toEqual(['ada', 'bob', null]);
    // Past the end and an unknown column read as null, never as a neighbour's value.
    expect(store.get(0, 3)).toBeNull();
    expect(store.get(5, 0)).toBeNull();
  });

  it('keeps a column that documents bring later empty for the rows before it', () => {
    const store = new ColumnStore();
    store.append({ seq: 0, columns: [{ name: '_id', type: 'objectId' }], rows: 2, values: [['a', 'b']] });
    store.append({ seq: 1, columns: [{ name: '_id', type: 'objectId' }, { name: 'tags', type: 'array' }], rows: 1, values: [['c'], [['x', 'y']]] });
    expect(store.columns.map((c) => c.name)).toEqual(['_id', 'tags']);
    expect(store.get(1, 0)).toBeNull();
    expect(store.get(1, 2)).toEqual(['x', 'y']);
    expect(store.document(0)).toEqual({ _id: 'a' });
    expect(store.document(2)).toEqual({ _id: 'c', tags: ['x', 'y'] });
  });

  it('grows past a chunk without losing or shifting a row, even for a column that began mid-chunk', () => {
    const store = new ColumnStore();
    const size = 50_000;
    const numbers = (from: number, count: number) => Array.from({ length: count }, (_, i) => from + i);
    store.append({ seq: 0, columns: [{ name: 'n', type: 'int4' }], rows: size, values: [numbers(0, size)] });
    store.append({
      seq: 1,
      columns: [
        { name: 'n', type: 'int4' },
        { name: 'late', type: 'int4' },
      ],
      rows: size,
      values: [numbers(size, size), numbers(size, size)],
    });
    expect(store.rowCount).toBe(2 * size);
    for (const row of [0, size - 1, size, CHUNK_ROWS - 1, CHUNK_ROWS, CHUNK_ROWS + 1, 2 * size - 1]) {
      expect(store.get(0, row)).toBe(row);
      expect(store.get(1, row)).toBe(row >= size ? row : null);
    }
  });

  it('refuses a batch out of sequence and a batch that drops a column', () => {
    const store = new ColumnStore();
    store.append({ seq: 0, columns: ID_NAME, rows: 1, values: [['1'], ['a']] });
    expect(() => store.append({ seq: 2, rows: 1, values: [['3'], ['c']] })).toThrow(/batch 2 arrived where 1 was expected/);
    expect(() => store.append({ seq: 1, columns: [ID_NAME[0]!], rows: 0, values: [[]] })).toThrow(/columns only grow/);
  });
});

function storeOf(columns: { name: string; type: string }[], rows: unknown[][]): ColumnStore {
  const store = new ColumnStore();
  store.append({ seq: 0, columns, rows: rows.length, values: columns.map((_, c) => rows.map((row) => row[c])) });
  return store;
}

describe('sorting and filtering what has arrived', () => {
  const store = storeOf(
    [
      { name: 'id', type: 'int8' },
      { name: 'plan', type: 'text' },
    ],
    [
      ['10', 'gold'],
      ['9', 'silver'],
      [null, 'gold'],
      ['100', 'Bronze'],
      ['-1', null],
    ],
  );
  const rows = (order: Uint32Array | null) => (order ? [...order] : null);

  it('sorts 64-bit integers sent as strings by their value, empty cells last in both directions', () => {
    expect(rows(viewOrder(store, { column: 0, direction: 'asc' }, NO_FILTER))).toEqual([4, 1, 0, 3, 2]);
    expect(rows(viewOrder(store, { column: 0, direction: 'desc' }, NO_FILTER))).toEqual([3, 0, 1, 4, 2]);
  });

  it('sorts text by code units and keeps arrival order among equals', () => {
    expect(rows(viewOrder(store, { column: 1, direction: 'asc' }, NO_FILTER))).toEqual([3, 0, 2, 1, 4]);
  });

  it('leaves arrival order alone when neither sorted nor filtered', () => {
    expect(viewOrder(store, null, NO_FILTER)).toBeNull();
    expect(isFiltering({ global: '  ', columns: { 1: '' } })).toBe(false);
  });

  it('filters per column and across every column, case-insensitively, over the sorted order', () => {
    expect(rows(viewOrder(store, null, { global: '', columns: { 1: 'GOLD' } }))).toEqual([0, 2]);
    expect(rows(viewOrder(store, null, { global: 'bronze', columns: {} }))).toEqual([3]);
    expect(rows(viewOrder(store, { column: 0, direction: 'desc' }, { global: '1', columns: {} }))).toEqual([3, 0, 4]);
    expect(rows(viewOrder(store, null, { global: 'gold', columns: { 0: '10' } }))).toEqual([0]);
  });
});

describe('TSV', () => {
  it('quotes fields with tabs, line breaks or quotes so spreadsheets read them back', () => {
    expect(tsvField('plain')).toBe('plain');
    expect(tsvField('a\tb')).toBe('"a\tb"');
    expect(tsvField('say "hi"\n')).toBe('"say ""hi""\n"');
    expect(tsvField(null)).toBe('');
    expect(tsvField({ a: [1] })).toBe('"{""a"":[1]}"');
    expect(tsvField([1, 2])).toBe('[1,2]');
  });

  it('copies a rectangle in the order given, with the header when asked', () => {
    const store = storeOf(
      [
        { name: 'id', type: 'int4' },
        { name: 'note', type: 'text' },
        { name: 'ok', type: 'bool' },
      ],
      [
        [1, 'x', true],
        [2, 'tab\there', false],
      ],
    );
    expect(toTsv(store, [1, 0], [0, 1], true)).toBe('id\tnote\n2\t"tab\there"\n1\tx');
    expect(toTsv(store, [0], [2])).toBe('true');
  });
});
