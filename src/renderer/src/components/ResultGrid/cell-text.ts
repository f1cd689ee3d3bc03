import type { ResultColumn } from '@shared/model/workbench';

/**
 * Engine types whose values sort as numbers. 64-bit integers and numerics travel as strings, so
 * without this they would sort as text ("10" before "9").
 */
const NUMERIC_TYPES = new Set([
  'int2',
  'int4',
  'int8',
  'smallint',
  'integer',
  'bigint',
  'float4',
  'float8',
  'real',
  'double precision',
  'numeric',
  'decimal',
  'oid',
  'money',
  'number',
  'int',
  'long',
  'double',
  'float',
  'half_float',
  'scaled_float',
  'short',
  'byte',
  'unsigned_long',
  'decimal128',
]);

export function isNumericColumn(column: Pick<ResultColumn, 'type'>): boolean {
  return NUMERIC_TYPES.has(column.type.toLowerCase());
}

/** A cell as text, the way the grid, the filter and a copy see it; null is the empty string. */
export function cellText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  return JSON.stringify(value);
}

/** A number to sort by, or NaN when the cell is empty or not a number (those sort last). */
export function cellNumber(value: unknown): number {
  if (value === null || value === undefined || value === '') return Number.NaN;
  if (typeof value === 'number') return value;
  if (typeof value === 'string') return Number(value);
  if (typeof value === 'boolean') return value ? 1 : 0;
  return Number.NaN;
}
