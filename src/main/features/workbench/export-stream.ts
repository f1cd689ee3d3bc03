import { Readable, type Transform } from 'node:stream';
import { stringify } from 'csv-stringify';
import type { RecordKind } from '@shared/masking';
import type { ResultColumn, RowBatch } from '@shared/model/workbench';
import type { StoreKind } from '@shared/model/workspace';
import { ResultAssembler, type PartReader } from './result-assembler';
import type { ResultMasking } from './result-masking';
import type { UserRows } from './stores';

export type ExportFormat = 'csv' | 'json';

export interface ExportSource {
  parts: UserRows;
  engine: StoreKind;
  masking: ResultMasking;
  documentKind?: RecordKind;
}

/** Counts kept while an export streams, read once it has ended. */
export interface ExportCounts {
  rows: number;
  truncated: boolean;
  /** Columns of the header, once it is out. */
  width: number;
}

/**
 * Quoted beyond what csv-stringify quotes itself (delimiters, quotes, `\n`), as COPY's CSV does: an
 * empty string, so it stays apart from NULL (written as nothing), and a lone carriage return.
 */
const ALSO_QUOTED = [/^$/, /\r/];
/** COPY quotes `\.` when it is a row's only value: alone on a line it would read as the end of data. */
const END_OF_DATA = /^\\\.$/;

const cellText = (value: unknown): string | null => {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string') return value;
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
};

/**
 * The rows of a run, pulled from the runner only as the stream reading them asks, so the server is
 * read as fast as the file or the download takes the bytes and no more. CSV: the header (the first
 * columns the runner names), then one array per row with the server's text. JSON: one line per row.
 * Documents whose fields first appear after the first batch go to JSON lines whole; a CSV keeps
 * the columns of its header.
 */
async function* records(source: ExportSource, format: ExportFormat, counts: ExportCounts): AsyncGenerator<unknown[] | string, void, undefined> {
  const assembler = new ResultAssembler({
    runId: 'run_export00',
    engine: source.engine,
    masking: source.masking,
    textValues: format === 'csv',
    ...(source.documentKind && { documentKind: source.documentKind }),
  });
  let reader: PartReader | undefined;
  let header: ResultColumn[] | undefined;
  for await (const part of source.parts) {
    let batch: RowBatch;
    if (part.kind === 'columns') {
      reader = assembler.reader(part.columns);
      if (!header && format === 'csv') {
        header = assembler.columns;
        counts.width = header.length;
        yield header.map((column) => column.name);
      }
      continue;
    }
    if (part.kind === 'truncated') counts.truncated = true;
    if (part.kind === 'rows') batch = assembler.rowsBatch((reader ??= assembler.reader([])), part.rows);
    else if (part.kind === 'documents') batch = assembler.documentsBatch(part.documents);
    else continue;
    counts.rows += batch.rows;
    const columns = assembler.columns;
    if (format === 'json') {
      for (let r = 0; r < batch.rows; r += 1) {
        const record: Record<string, unknown> = {};
        for (let c = 0; c < batch.values.length; c += 1) record[columns[c]?.name ?? `column${c}`] = batch.values[c]?.[r] ?? null;
        yield JSON.stringify(record) + '\n';
      }
      continue;
    }
    if (!header) {
      header = columns;
      counts.width = header.length;
      yield header.map((column) => column.name);
    }
    const width = header.length;
    for (let r = 0; r < batch.rows; r += 1) {
      const record = new Array<string | null>(width);
      for (let c = 0; c < width; c += 1) record[c] = cellText(batch.values[c]?.[r]);
      yield record;
    }
  }
}

/**
 * The stages of an export, for `stream.pipeline(...stages, destination)`: the rows, then (for CSV)
 * csv-stringify writing what `COPY (query) TO STDOUT WITH (FORMAT csv, HEADER)` writes for
 * PostgreSQL, byte for byte. Destroying the pipeline returns the runner, which closes its cursor.
 */
export function exportStages(source: ExportSource, format: ExportFormat, counts: ExportCounts): [Readable, ...Transform[]] {
  const rows = Readable.from(records(source, format, counts), { objectMode: true, highWaterMark: 16 });
  if (format === 'json') return [rows];
  const csv = stringify({
    eof: true,
    record_delimiter: '\n',
    quoted_match: ALSO_QUOTED,
    cast: {
      string: (value, context) => (counts.width === 1 && context.column === 0 && END_OF_DATA.test(value) ? { value, quoted: true } : value),
    },
  });
  return [rows, csv];
}
