import type { Month } from '@shared/model/lifecycle';

/** Month arithmetic in UTC and the reading of partition bounds as the server prints them. */

export function monthOfDate(date: Date): Month {
  return date.toISOString().slice(0, 7);
}

export function addMonths(month: Month, count: number): Month {
  const [year, mm] = month.split('-').map(Number) as [number, number];
  return monthOfDate(new Date(Date.UTC(year, mm - 1 + count, 1)));
}

export function monthStartMs(month: Month): number {
  const [year, mm] = month.split('-').map(Number) as [number, number];
  return Date.UTC(year, mm - 1, 1);
}

/** `from`, `from + 1`, … `to`, both included; empty when `to` is before `from`. */
export function monthRange(from: Month, to: Month): Month[] {
  const out: Month[] = [];
  for (let m = from; m <= to; m = addMonths(m, 1)) out.push(m);
  return out;
}

/** The bound literal of a month's first instant: exact for timestamptz, and read alike by timestamp and date keys. */
export function boundLiteral(month: Month): string {
  return `${month}-01 00:00:00+00`;
}

/** A range bound in milliseconds; -Infinity / Infinity for MINVALUE / MAXVALUE. */
export interface BoundRange {
  fromMs: number;
  toMs: number;
}

/**
 * Turns the text of a time literal as PostgreSQL prints it (`2026-01-01`, `2026-01-01 00:00:00`,
 * `2026-01-01 00:00:00+00`, `2026-01-01 02:00:00+02:00`) into milliseconds; a value without an
 * offset counts as UTC. Null for anything else (a number key, a BC date).
 */
export function parseTimeLiteral(text: string): number | null {
  const match = /^(\d{4}-\d{2}-\d{2})(?:[ T](\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?))?([+-]\d{2}(?::?\d{2})?)?$/.exec(text.trim());
  if (!match) return null;
  const [, day, time = '00:00:00', offset] = match;
  let zone = 'Z';
  if (offset) zone = offset.length === 3 ? `${offset}:00` : offset.includes(':') ? offset : `${offset.slice(0, 3)}:${offset.slice(3)}`;
  const ms = Date.parse(`${day}T${time}${zone}`);
  return Number.isFinite(ms) ? ms : null;
}

function boundValue(text: string): number | null {
  const trimmed = text.trim();
  if (/^MINVALUE$/i.test(trimmed)) return -Infinity;
  if (/^MAXVALUE$/i.test(trimmed)) return Infinity;
  const quoted = /^'((?:[^']|'')*)'(?:::[\w ]+)?$/.exec(trimmed);
  return quoted ? parseTimeLiteral(quoted[1]!.replaceAll("''", "'")) : null;
}

/**
 * A one-column range bound from `pg_get_expr(relpartbound)`: `FOR VALUES FROM ('…') TO ('…')`.
 * Null for DEFAULT, list and hash bounds, several key columns, or values that are not times.
 */
export function parseRangeBound(bound: string | null): BoundRange | null {
  if (!bound) return null;
  const match = /^FOR VALUES FROM \((.+)\) TO \((.+)\)$/s.exec(bound.trim());
  if (!match) return null;
  const fromMs = boundValue(match[1]!);
  const toMs = boundValue(match[2]!);
  if (fromMs === null || toMs === null || !(fromMs < toMs)) return null;
  return { fromMs, toMs };
}

export interface BoundMonths {
  /** The month when the range is exactly one calendar month. */
  month: Month | null;
  firstMonth: Month | null;
  lastMonth: Month | null;
}

export function monthsOfRange(range: BoundRange | null): BoundMonths {
  if (!range) return { month: null, firstMonth: null, lastMonth: null };
  const firstMonth = Number.isFinite(range.fromMs) ? monthOfDate(new Date(range.fromMs)) : null;
  const lastMonth = Number.isFinite(range.toMs) ? monthOfDate(new Date(range.toMs - 1)) : null;
  const exact = firstMonth !== null && firstMonth === lastMonth && range.fromMs === monthStartMs(firstMonth) && range.toMs === monthStartMs(addMonths(firstMonth, 1));
  return { month: exact ? firstMonth : null, firstMonth, lastMonth };
}

/** The month a scheme name `<table>_yYYYYmMM` names, or null. */
export function monthOfPartitionName(table: string, name: string): Month | null {
  if (!name.startsWith(`${table}_y`)) return null;
  const match = /^(\d{4})m(0[1-9]|1[0-2])$/.exec(name.slice(table.length + 2));
  return match ? `${match[1]}-${match[2]}` : null;
}
