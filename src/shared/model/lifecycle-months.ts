import type { Month } from './lifecycle';

/**
 * Calendar months as the lifecycle views count them: UTC, so a partition bound `2026-12-01` is the
 * month `2026-12` wherever the console runs. Months are compared as strings (`YYYY-MM` sorts in
 * time order) and counted through a month index (years × 12 + month), which never meets a time zone
 * or a month's length.
 */

const MONTH_PATTERN = /^(\d{4})-(0[1-9]|1[0-2])$/;

/** Years × 12 + the zero-based month: consecutive months are consecutive numbers across years. */
function indexOf(month: Month): number {
  const match = MONTH_PATTERN.exec(month);
  if (!match) throw new RangeError(`${JSON.stringify(month)} is not a month (YYYY-MM).`);
  return Number(match[1]) * 12 + Number(match[2]) - 1;
}

function monthAt(index: number): Month {
  const year = Math.floor(index / 12);
  if (year < 0 || year > 9999) throw new RangeError(`Month index ${index} is outside the years 0000–9999.`);
  return `${String(year).padStart(4, '0')}-${String((index % 12) + 1).padStart(2, '0')}`;
}

/** The UTC month a moment falls in. */
export function monthOf(date: Date): Month {
  if (Number.isNaN(date.getTime())) throw new RangeError('An invalid date has no month.');
  return monthAt(date.getUTCFullYear() * 12 + date.getUTCMonth());
}

/** The month `count` months after `month` (before it when negative). */
export function addMonths(month: Month, count: number): Month {
  if (!Number.isInteger(count)) throw new RangeError(`Months are added in whole months; got ${count}.`);
  return monthAt(indexOf(month) + count);
}

/** How many months `to` is after `from`: 0 for the same month, negative when it is before. */
export function monthDistance(from: Month, to: Month): number {
  return indexOf(to) - indexOf(from);
}

/** `count` consecutive months starting at `from`. */
export function monthRange(from: Month, count: number): Month[] {
  if (!Number.isInteger(count) || count < 0) throw new RangeError(`A month range has a whole, non-negative length; got ${count}.`);
  const first = indexOf(from);
  return Array.from({ length: count }, (_, i) => monthAt(first + i));
}

/** Every month from `from` to `to`, both included; empty when `to` is before `from`. */
export function monthSpan(from: Month, to: Month): Month[] {
  return monthRange(from, Math.max(0, monthDistance(from, to) + 1));
}

/** The first instant of the month, UTC: the lower bound of its partition. */
export function monthStart(month: Month): Date {
  const index = indexOf(month);
  const start = new Date(0);
  // setUTCFullYear, since Date.UTC reads the years 0–99 as 1900–1999.
  start.setUTCFullYear(Math.floor(index / 12), index % 12, 1);
  return start;
}
