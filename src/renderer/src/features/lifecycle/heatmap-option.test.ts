import { describe, expect, it } from 'vitest';
import type { FleetHorizonRow, Month } from '@shared/model/lifecycle';
import { monthRange } from '@shared/model/lifecycle-months';
import { cellTooltip, coverageClass, GRID_RIGHT, heatCells, heatmapOption, HEAT_CLASSES, windowFrame } from './heatmap-option';
import { filterFleet, fleetCounts } from './fleet-filter';
import { rowsWindow } from './rows-window';

const months: Month[] = monthRange('2026-07', 12); // 2026-07 … 2027-06
const now = '2027-01';
const code = (key: string): number => HEAT_CLASSES.find((c) => c.key === key)!.code;

function row(tenantId: string, readyThrough: Month | null, extra: Partial<FleetHorizonRow> = {}): FleetHorizonRow {
  return { tenantId, coverage: months.map((m) => (readyThrough && m <= readyThrough ? 1 : 0)), horizon: readyThrough, monthsShort: 0, defaultRows: 0, ilmErrors: 0, ...extra };
}

describe('the fleet heatmap’s cells', () => {
  it('calls an empty month short only inside the keep-ahead window, across the new year', () => {
    expect(coverageClass(0, '2027-01', now, 4)).toBe('short');
    expect(coverageClass(0, '2027-05', now, 4)).toBe('short');
    expect(coverageClass(0, '2027-06', now, 4)).toBe('absent');
    expect(coverageClass(0, '2026-12', now, 4)).toBe('absent');
    expect(coverageClass(0.5, '2026-12', now, 4)).toBe('partial');
    expect(coverageClass(1, '2027-06', now, 4)).toBe('ready');
  });

  it('places each row of the slice at its place in view, and the marks in the two columns after the months', () => {
    const rows = [row('t-a', '2027-02', { defaultRows: 1_500 }), row('t-b', '2027-05', { ilmErrors: 3 })];
    const cells = heatCells(rows, months, now, 4);
    expect(cells.filter((c) => c[1] === 0 && c[0] < 12)).toHaveLength(12);
    // t-a: ready through February, so March–May of the window are short.
    expect(cells.find((c) => c[1] === 0 && c[0] === months.indexOf('2027-03'))?.[2]).toBe(code('short'));
    expect(cells.find((c) => c[1] === 0 && c[0] === months.indexOf('2027-02'))?.[2]).toBe(code('ready'));
    expect(cells.filter((c) => c[0] >= 12)).toEqual([
      [12, 0, code('defaultRows'), 1_500],
      [13, 1, code('ilmErrors'), 3],
    ]);
  });

  it('draws nothing in the month columns of a tenant with no partition figures', () => {
    const cells = heatCells([{ tenantId: 't-es', coverage: [], horizon: null, monthsShort: 0, defaultRows: 0, ilmErrors: 2 }], months, now, 4);
    expect(cells).toEqual([[13, 0, code('ilmErrors'), 2]]);
  });

  it('says in a tooltip what the cell means, and escapes what it shows', () => {
    const rows = [row('t-<b>', '2027-02', { monthsShort: 3, defaultRows: 12_345 })];
    expect(cellTooltip([months.indexOf('2027-03'), 0, code('short'), 0], rows, months)).toBe(
      '<b>t-&#60;b&#62;</b><br/>2027-03: 0% of partitioned tables ready (short)<br/>horizon 2027-02 · 3 months short',
    );
    expect(cellTooltip([12, 0, code('defaultRows'), 12_345], rows, months)).toContain('~12 345 rows in default partitions');
  });

  it('builds the option for the rows in view only, with now and the keep-ahead window’s months set apart', () => {
    const option = heatmapOption({ rows: [row('t-a', '2027-02'), row('t-b', null)], months, now, keepAhead: 4, labelWidth: 270 });
    expect(option.yAxis.data).toEqual(['t-a', 't-b']);
    expect(option.xAxis.data).toEqual([...months, 'default rows', 'ILM errors']);
    expect(option.visualMap.pieces.map((p) => p.value)).toEqual([0, 1, 2, 3, 4, 5]);
    const label = option.xAxis.axisLabel.formatter;
    expect(label('2026-07', 0)).toBe('2026\nJul');
    expect(label('2026-09', 2)).toBe('\nSep');
    expect(label('2027-01', 6)).toBe('2027\n{now|now}');
    expect(label('2027-05', 10)).toBe('\n{window|May}');
    expect(label('2027-06', 11)).toBe('\nJun');
    expect(label('ILM errors', 13)).toBe('ILM errors');
  });

  it('frames the keep-ahead window round whole columns, and not at all when it is out of view', () => {
    // 12 months and 2 mark columns of 50 px after 270 px of labels.
    const chartWidth = 270 + 14 * 50 + GRID_RIGHT;
    expect(windowFrame({ chartWidth, labelWidth: 270, months, now, keepAhead: 4 })).toEqual({ left: 270 + 6 * 50, width: 5 * 50 });
    expect(windowFrame({ chartWidth, labelWidth: 270, months, now, keepAhead: 6 })).toBeNull();
    expect(windowFrame({ chartWidth: 0, labelWidth: 270, months, now, keepAhead: 4 })).toBeNull();
  });
});

describe('the rows in view', () => {
  it('starts at the row the scroll offset reaches and never runs past the end', () => {
    expect(rowsWindow(10_000, 0, 22, 26)).toEqual({ first: 0, count: 26 });
    expect(rowsWindow(10_000, 22 * 500 + 10, 22, 26)).toEqual({ first: 500, count: 26 });
    expect(rowsWindow(10_000, 22 * 20_000, 22, 26)).toEqual({ first: 9_974, count: 26 });
    expect(rowsWindow(5, 300, 22, 26)).toEqual({ first: 0, count: 5 });
    expect(rowsWindow(0, 0, 22, 26)).toEqual({ first: 0, count: 0 });
  });
});

describe('filtering the fleet', () => {
  const rows = [row('alpha-1', '2027-02', { monthsShort: 3 }), row('beta-2', '2027-05'), row('gamma-3', '2027-05', { ilmErrors: 1 }), row('delta-4', '2027-05', { defaultRows: 9 })];

  it('keeps the fleet’s order, by part of a tenant id and by what needs attention', () => {
    expect(filterFleet(rows, { text: 'MA', attentionOnly: false }).map((r) => r.tenantId)).toEqual(['gamma-3']);
    expect(filterFleet(rows, { text: 'ta-', attentionOnly: true }).map((r) => r.tenantId)).toEqual(['delta-4']);
    expect(filterFleet(rows, { text: '', attentionOnly: true }).map((r) => r.tenantId)).toEqual(['alpha-1', 'gamma-3', 'delta-4']);
  });

  it('counts the tenants short, the premake’s targets, and those with marks', () => {
    expect(fleetCounts(rows)).toEqual({ tenants: 4, short: ['alpha-1'], withDefaultRows: 1, withIlmErrors: 1 });
  });
});
