import { describe, expect, it } from 'vitest';
import { addMonths, monthOfPartitionName, monthRange, monthsOfRange, parseRangeBound, parseTimeLiteral } from './months';

describe('partition months', () => {
  it('counts months across new years', () => {
    expect(addMonths('2026-11', 3)).toBe('2027-02');
    expect(addMonths('2026-01', -1)).toBe('2025-12');
    expect(monthRange('2026-11', '2027-02')).toEqual(['2026-11', '2026-12', '2027-01', '2027-02']);
    expect(monthRange('2027-02', '2026-11')).toEqual([]);
  });

  it('reads bounds as the server prints them for timestamptz, timestamp and date keys', () => {
    // timestamptz in a session whose TimeZone is UTC, and in one two hours east of it.
    expect(monthsOfRange(parseRangeBound("FOR VALUES FROM ('2026-01-01 00:00:00+00') TO ('2026-02-01 00:00:00+00')"))).toEqual({ month: '2026-01', firstMonth: '2026-01', lastMonth: '2026-01' });
    expect(monthsOfRange(parseRangeBound("FOR VALUES FROM ('2026-01-01 02:00:00+02') TO ('2026-02-01 02:00:00+02')")).month).toBe('2026-01');
    expect(monthsOfRange(parseRangeBound("FOR VALUES FROM ('2026-01-01') TO ('2026-02-01')")).month).toBe('2026-01');
    expect(monthsOfRange(parseRangeBound("FOR VALUES FROM ('2026-01-01 00:00:00') TO ('2026-02-01 00:00:00')")).month).toBe('2026-01');
    // A partition cut at local midnight somewhere else is not a UTC month: it spans two.
    expect(monthsOfRange(parseRangeBound("FOR VALUES FROM ('2026-01-01 00:00:00+01') TO ('2026-02-01 00:00:00+01')"))).toEqual({ month: null, firstMonth: '2025-12', lastMonth: '2026-01' });
    expect(monthsOfRange(parseRangeBound("FOR VALUES FROM ('2026-01-01') TO ('2026-04-01')"))).toEqual({ month: null, firstMonth: '2026-01', lastMonth: '2026-03' });
    expect(parseRangeBound("FOR VALUES FROM (MINVALUE) TO ('2026-01-01')")).toEqual({ fromMs: -Infinity, toMs: Date.UTC(2026, 0, 1) });
    expect(parseRangeBound('DEFAULT')).toBeNull();
    expect(parseRangeBound("FOR VALUES IN ('a')")).toBeNull();
    expect(parseRangeBound('FOR VALUES FROM (1) TO (10)')).toBeNull();
    expect(parseTimeLiteral('2026-03-01 00:00:00.5+0530')).toBe(Date.parse('2026-03-01T00:00:00.5+05:30'));
  });

  it('reads the month out of a scheme name only for its own table', () => {
    expect(monthOfPartitionName('interactions', 'interactions_y2026m03')).toBe('2026-03');
    expect(monthOfPartitionName('interactions', 'interactions_y2026m13')).toBeNull();
    expect(monthOfPartitionName('interactions', 'interactions_default')).toBeNull();
    expect(monthOfPartitionName('inter', 'interactions_y2026m03')).toBeNull();
  });
});
