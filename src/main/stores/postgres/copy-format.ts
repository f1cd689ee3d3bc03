import { AppError } from '@shared/errors';

function escapeCopyText(text: string): string {
  return text.replace(/[\\\n\r\t]/g, (c) => (c === '\\' ? '\\\\' : c === '\n' ? '\\n' : c === '\r' ? '\\r' : '\\t'));
}

/** An element of a PostgreSQL array literal: always double-quoted, so commas and braces are data. */
function arrayElement(value: unknown): string {
  if (value === null || value === undefined) return 'NULL';
  if (Array.isArray(value)) return arrayLiteral(value);
  return `"${scalarText(value).replace(/[\\"]/g, (c) => `\\${c}`)}"`;
}

function arrayLiteral(values: unknown[]): string {
  return `{${values.map(arrayElement).join(',')}}`;
}

function scalarText(value: unknown): string {
  if (value instanceof Date) return value.toISOString();
  if (value instanceof Uint8Array) return `\\x${Buffer.from(value).toString('hex')}`;
  if (typeof value === 'boolean') return value ? 't' : 'f';
  if (typeof value === 'bigint' || typeof value === 'number' || typeof value === 'string') return String(value);
  return JSON.stringify(value);
}

/**
 * One value in COPY's text format: `\N` for null, arrays as array literals, plain objects as JSON
 * (for json/jsonb columns), bytes as `\x…` hex, then backslash, tab and line breaks escaped.
 * A JSON array meant for a jsonb column must be passed as a string, or it becomes a PostgreSQL array.
 */
export function copyField(value: unknown): string {
  if (value === null || value === undefined) return '\\N';
  if (typeof value === 'number' && !Number.isFinite(value)) return Number.isNaN(value) ? 'NaN' : value > 0 ? 'Infinity' : '-Infinity';
  return escapeCopyText(Array.isArray(value) ? arrayLiteral(value) : scalarText(value));
}

/** One row as a COPY text line; a row of the wrong width is refused before anything is sent. */
export function copyLine(row: readonly unknown[], width: number, index: number): string {
  if (row.length !== width) {
    throw new AppError('invalid_argument', `Row ${index + 1} has ${row.length} values for ${width} columns.`);
  }
  return `${row.map(copyField).join('\t')}\n`;
}
