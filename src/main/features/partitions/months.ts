import type { Month } from '@shared/model/lifecycle';

/** Month arithmetic in UTC and the reading of partition bounds as the server prints them. */

// Months go through whole numbers (year × 12 + month − 1): a pass over 80,000 partitions does this
// arithmetic hundreds of thousands of times, and Date objects with toISOString would dominate it.
const pad = (n: number): string => (n < 10 ? `0${n}` : String(n));
const monthOfIndex = (index: number): Month => `${Math.floor(index / 12)}-${pad((index % 12) + 1)}`;
const indexOfMonth = (month: Month): number => Number(month.slice(0, 4)) * 12 + Number(month.slice(5, 7)) - 1;

export function monthOfDate(date: Date): Month {
  return monthOfIndex(date.getUTCFullYear() * 12 + date.getUTCMonth());
}

export function addMonths(month: Month, count: number): Month {
  return monthOfIndex(indexOfMonth(month) + count);
}

export function monthStartMs(month: Month): number {
  return Date.UTC(Number(month.slice(0, 4)), Number(month.slice(5, 7)) - 1, 1);
}

/** The month a millisecond instant falls in (UTC). */
const monthOfMs = (ms: number): Month => monthOfDate(new Date(ms));

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
  const match = /^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2})(?::(\d{2})(\.\d+)?)?)?(?:([+-])(\d{2})(?::?(\d{2}))?)?$/.exec(text.trim());
  if (!match) return null;
  const [, y, mo, d, h = '0', mi = '0', sec = '0', fraction, sign, oh = '0', om = '0'] = match;
  const local = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(sec), fraction ? Math.round(Number(fraction) * 1000) : 0);
  if (!Number.isFinite(local)) return null;
  const offsetMs = sign ? (sign === '-' ? -1 : 1) * (Number(oh) * 60 + Number(om)) * 60_000 : 0;
  return local - offsetMs;
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
  const firstMonth = Number.isFinite(range.fromMs) ? monthOfMs(range.fromMs) : null;
  const lastMonth = Number.isFinite(range.toMs) ? monthOfMs(range.toMs - 1) : null;
  const exact = firstMonth !== null && firstMonth === lastMonth && range.fromMs === monthStartMs(firstMonth) && range.toMs === monthStartMs(addMonths(firstMonth, 1));
  return { month: exact ? firstMonth : null, firstMonth, lastMonth };
}

/** The month a scheme name `<table>_yYYYYmMM` names, or null. */
export function monthOfPartitionName(table: string, name: string): Month | null {
  if (!name.startsWith(`${table}_y`)) return null;
  const match = /^(\d{4})m(0[1-9]|1[0-2])$/.exec(name.slice(table.length + 2));
  return match ? `${match[1]}-${match[2]}` : null;
}
