import { Readable, type Transform } from 'node:stream';
import { stringify, type Options as CsvOptions } from 'csv-stringify/sync';
import { AppError } from '@shared/errors';
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
 * Rows per chunk written. A chunk of a few hundred rows is a string V8 keeps in its young
 * generation; a whole batch's would be a "large object", freed only by a full collection, and a
 * million rows of those grow the heap by hundreds of megabytes before one comes.
 */
const CHUNK_ROWS = 500;

/** What csv-stringify is told so its CSV is COPY's: `\n` line ends, and the quoting above. */
function csvOptions(width: number): CsvOptions {
  return {
    eof: true,
    record_delimiter: '\n',
    quoted_match: ALSO_QUOTED,
    cast: {
      string: (value, context) => (width === 1 && context.column === 0 && END_OF_DATA.test(value) ? { value, quoted: true } : value),
    },
  };
}

/**
 * The bytes of a run, pulled from the runner only as the stream reading them asks, so the server
 * is read as fast as the file or the download takes the bytes and no more. One chunk per batch:
 * CSV through csv-stringify (the header is the first columns the runner names), or one JSON
 * object per line. Documents whose fields first appear after the first batch go to JSON lines
 * whole; a CSV keeps the columns of its header.
 */
async function* chunks(source: ExportSource, format: ExportFormat, counts: ExportCounts): AsyncGenerator<string, void, undefined> {
  const assembler = new ResultAssembler({
    runId: 'run_export00',
    engine: source.engine,
    masking: source.masking,
    textValues: format === 'csv',
    ...(source.documentKind && { documentKind: source.documentKind }),
  });
  let reader: PartReader | undefined;
  let header: ResultColumn[] | undefined;
  let options: CsvOptions | undefined;
  const headerLine = (columns: ResultColumn[]): string => {
    header = columns;
    counts.width = columns.length;
    options = csvOptions(columns.length);
    return stringify([columns.map((column) => column.name)], options);
  };
  for await (const part of source.parts) {
    let batch: RowBatch;
    if (part.kind === 'columns') {
      reader = assembler.reader(part.columns);
      if (!header && format === 'csv') yield headerLine(assembler.columns);
      continue;
    }
    if (part.kind === 'truncated') counts.truncated = true;
    if (part.kind === 'rows' && format === 'csv' && header && reader && assembler.passesThrough(reader) && reader.slots.length === counts.width) {
      // PostgreSQL's text values, nothing masked: written as they came, one allocation fewer per cell.
      assembler.countPassedThrough(part.rows.length);
      counts.rows += part.rows.length;
      for (let r = 0; r < part.rows.length; r += CHUNK_ROWS) yield stringify(part.rows.slice(r, r + CHUNK_ROWS), options);
      continue;
    }
    if (part.kind === 'rows') batch = assembler.rowsBatch((reader ??= assembler.reader([])), part.rows);
    else if (part.kind === 'documents') batch = assembler.documentsBatch(part.documents);
    else continue;
    counts.rows += batch.rows;
    if (format === 'json') {
      const columns = assembler.columns;
      const lines: string[] = [];
      for (let r = 0; r < batch.rows; r += 1) {
        const record: Record<string, unknown> = {};
        for (let c = 0; c < batch.values.length; c += 1) record[columns[c]?.name ?? `column${c}`] = batch.values[c]?.[r] ?? null;
        lines.push(JSON.stringify(record) + '\n');
      }
      for (let r = 0; r < lines.length; r += CHUNK_ROWS) yield lines.slice(r, r + CHUNK_ROWS).join('');
      continue;
    }
    const prefix = header ? '' : headerLine(assembler.columns);
    const width = counts.width;
    const records: Array<Array<string | null>> = new Array(batch.rows);
    for (let r = 0; r < batch.rows; r += 1) {
      const record = new Array<string | null>(width);
      for (let c = 0; c < width; c += 1) record[c] = cellText(batch.values[c]?.[r]);
      records[r] = record;
    }
    if (prefix) yield prefix;
    for (let r = 0; r < records.length; r += CHUNK_ROWS) yield stringify(records.slice(r, r + CHUNK_ROWS), options);
  }
}

/**
 * The stages of an export, for `stream.pipeline(...stages, destination)`: CSV as csv-stringify
 * writes it with the options above — what `COPY (query) TO STDOUT WITH (FORMAT csv, HEADER)`
 * writes for PostgreSQL, byte for byte — or JSON lines. Destroying the pipeline returns the
 * runner, which closes its cursor.
 */
export function exportStages(source: ExportSource, format: ExportFormat, counts: ExportCounts, settled?: (error?: unknown) => void): [Readable, ...Transform[]] {
  return [Readable.from(watched(chunks(source, format, counts), settled), { objectMode: false, highWaterMark: 1 })];
}

/** Tells `settled` how the export ended: all written, failed, or stopped by its reader (a closed download). */
async function* watched(inner: AsyncGenerator<string, void, undefined>, settled?: (error?: unknown) => void): AsyncGenerator<string, void, undefined> {
  let ended = false;
  try {
    yield* inner;
    ended = true;
    settled?.();
  } catch (error) {
    ended = true;
    settled?.(error);
    throw error;
  } finally {
    if (!ended) settled?.(new AppError('cancelled', 'The export was stopped before its last row.'));
  }
}
