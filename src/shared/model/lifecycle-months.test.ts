import { describe, expect, it } from 'vitest';
import { addMonths, monthDistance, monthOf, monthRange, monthSpan, monthStart } from './lifecycle-months';

describe('lifecycle months', () => {
  it('takes the month of a moment in UTC, whatever the local zone says', () => {
    expect(monthOf(new Date('2026-12-31T23:59:59.999Z'))).toBe('2026-12');
    expect(monthOf(new Date('2027-01-01T00:00:00.000Z'))).toBe('2027-01');
    // 23:30 on 31 January in New York is already February in UTC.
    expect(monthOf(new Date('2026-01-31T23:30:00-05:00'))).toBe('2026-02');
    expect(() => monthOf(new Date('not a date'))).toThrow(RangeError);
  });

  it('adds months across year boundaries, both ways', () => {
    expect(addMonths('2026-12', 1)).toBe('2027-01');
    expect(addMonths('2026-11', 14)).toBe('2028-01');
    expect(addMonths('2027-01', -1)).toBe('2026-12');
    expect(addMonths('2026-03', -27)).toBe('2023-12');
    expect(addMonths('2026-05', 0)).toBe('2026-05');
    expect(() => addMonths('2026-05', 1.5)).toThrow(RangeError);
    expect(() => addMonths('2026-13', 1)).toThrow(/not a month/);
  });

  it('counts the months between two months, negative when the second comes first', () => {
    expect(monthDistance('2026-12', '2027-01')).toBe(1);
    expect(monthDistance('2026-12', '2026-12')).toBe(0);
    expect(monthDistance('2027-02', '2025-11')).toBe(-15);
  });

  it('lists consecutive months over a new year', () => {
    expect(monthRange('2026-11', 4)).toEqual(['2026-11', '2026-12', '2027-01', '2027-02']);
    expect(monthRange('2026-11', 0)).toEqual([]);
    expect(() => monthRange('2026-11', -1)).toThrow(RangeError);
    expect(monthSpan('2025-12', '2026-02')).toEqual(['2025-12', '2026-01', '2026-02']);
    expect(monthSpan('2026-02', '2025-12')).toEqual([]);
    expect(monthRange('2020-01', 49).at(-1)).toBe('2024-01');
  });

  it('starts a month on its first day at midnight UTC, the partition bound', () => {
    expect(monthStart('2027-01').toISOString()).toBe('2027-01-01T00:00:00.000Z');
    expect(monthStart('2024-02').toISOString()).toBe('2024-02-01T00:00:00.000Z');
    expect(monthStart('0042-03').getUTCFullYear()).toBe(42);
    expect(monthOf(monthStart('2026-12'))).toBe('2026-12');
  });
});
