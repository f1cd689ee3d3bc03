import type { ResultColumn, RowBatch } from '@shared/model/workbench';

/** Rows per chunk: a column grows by whole chunks, so appending never copies what arrived before. */
export const CHUNK_ROWS = 65_536;
const CHUNK_SHIFT = 16;
const CHUNK_MASK = CHUNK_ROWS - 1;

/** One column's values, in chunks of `CHUNK_ROWS`; chunks before `firstRow`'s are absent (the column came later). */
interface ColumnValues {
  readonly chunks: (unknown[] | undefined)[];
  /** The first row this column has a value for: documents bring fields as they arrive. */
  readonly firstRow: number;
}

/**
 * A result held by column: one chunked array per column, appended batch by batch as the
 * `workbench.batch` events arrive. A million rows of ten columns is ten million array slots and
 * nothing else: no object per row, none per cell. Columns only grow, as the contract says; rows of
 * earlier batches read as null in a later column.
 */
export class ColumnStore {
  private columnList: ResultColumn[] = [];
  private readonly values: ColumnValues[] = [];
  private rowTotal = 0;
  private nextSeq = 0;
  /** Changes with every append, so views know to look again. */
  revision = 0;

  get columns(): readonly ResultColumn[] {
    return this.columnList;
  }

  get rowCount(): number {
    return this.rowTotal;
  }

  /**
   * Adds one batch. Batches arrive in order over one connection; one that skips a sequence number
   * means rows were lost, which the caller must hear about rather than show a result with a hole.
   */
  append(batch: Pick<RowBatch, 'seq' | 'columns' | 'rows' | 'values'>): void {
    if (batch.seq !== this.nextSeq) throw new Error(`batch ${batch.seq} arrived where ${this.nextSeq} was expected`);
    this.nextSeq += 1;
    if (batch.columns) this.setColumns(batch.columns);
    const start = this.rowTotal;
    for (let c = 0; c < this.columnList.length; c++) {
      const column = this.values[c]!;
      const incoming = batch.values[c];
      for (let r = 0; r < batch.rows; r++) {
        const row = start + r;
        const chunkIndex = row >>> CHUNK_SHIFT;
        let chunk = column.chunks[chunkIndex];
        if (!chunk) {
          // A column that began inside this chunk has nulls before its first row, so the array stays packed.
          const lead = chunkIndex === column.firstRow >>> CHUNK_SHIFT ? column.firstRow & CHUNK_MASK : 0;
          chunk = new Array<unknown>(lead).fill(null);
          column.chunks[chunkIndex] = chunk;
        }
        chunk.push(incoming === undefined ? null : (incoming[r] ?? null));
      }
    }
    this.rowTotal += batch.rows;
    this.revision += 1;
  }

  /** The value of row `row` in column `column`: null when the column came after that row. */
  get(column: number, row: number): unknown {
    const values = this.values[column];
    if (!values || row < values.firstRow || row >= this.rowTotal) return null;
    return values.chunks[row >>> CHUNK_SHIFT]?.[row & CHUNK_MASK] ?? null;
  }

  /** One row as a document: column name → value, leaving out fields that only appeared after it. */
  document(row: number): Record<string, unknown> {
    const document: Record<string, unknown> = {};
    this.columnList.forEach((column, c) => {
      if (row >= this.values[c]!.firstRow) document[column.name] = this.get(c, row);
    });
    return document;
  }

  private setColumns(columns: readonly ResultColumn[]): void {
    if (columns.length < this.columnList.length) throw new Error('a batch dropped columns; columns only grow');
    columns.forEach((column, c) => {
      if (c < this.columnList.length) {
        if (this.columnList[c]!.name !== column.name) throw new Error(`column ${c} was ${this.columnList[c]!.name} and is now ${column.name}`);
        return;
      }
      this.values.push({ chunks: [], firstRow: this.rowTotal });
    });
    this.columnList = [...columns];
  }
}
