import type { FleetHorizonRow, Month } from '@shared/model/lifecycle';
import { addMonths } from '@shared/model/lifecycle-months';
import { formatCount } from '../../lib/format';
import { monthHeading } from './cell-states';

/**
 * What one cell of the fleet heatmap says, as the number its colour is chosen by (echarts' heatmap
 * colours through a visual map over one dimension): the four coverage classes of a month, then the
 * two marks in the columns after the months.
 */
export const HEAT_CLASSES = [
  { code: 0, key: 'ready', label: 'ready', color: '#2f9e44', meaning: 'every partitioned table has this month' },
  { code: 1, key: 'partial', label: 'partly ready', color: '#e8a317', meaning: 'some partitioned tables lack this month' },
  { code: 2, key: 'short', label: 'short', color: '#e03131', meaning: 'a month of the keep-ahead window with no partition' },
  { code: 3, key: 'absent', label: 'no partition', color: '#3b3e45', meaning: 'no partition for a month outside the window' },
  { code: 4, key: 'defaultRows', label: 'default rows', color: '#f76707', meaning: 'rows waiting in default partitions' },
  { code: 5, key: 'ilmErrors', label: 'ILM errors', color: '#c2255c', meaning: 'failed ILM steps on the tenant’s indices' },
] as const;

export type HeatClass = (typeof HEAT_CLASSES)[number]['key'];
const codeOf = (key: HeatClass): number => HEAT_CLASSES.find((c) => c.key === key)!.code;

/** The two columns after the months, for the marks that need attention. */
export const MARK_COLUMNS = ['default rows', 'ILM errors'] as const;

/** A month's class for one tenant: a share of 1 is ready whenever it is; an empty month matters only inside the window. */
export function coverageClass(share: number, month: Month, now: Month, keepAhead: number): HeatClass {
  if (share >= 1) return 'ready';
  if (share > 0) return 'partial';
  return month >= now && month <= addMonths(now, keepAhead) ? 'short' : 'absent';
}

/** One heatmap cell: column, row, class code, and the figure behind it (the share, or the mark's count). */
export type HeatCell = [x: number, y: number, code: number, figure: number];

/** The cells of the rows in view: `rows` is only the slice on screen, so y is its place in that slice. */
export function heatCells(rows: readonly FleetHorizonRow[], months: readonly Month[], now: Month, keepAhead: number): HeatCell[] {
  const cells: HeatCell[] = [];
  rows.forEach((row, y) => {
    row.coverage.forEach((share, x) => {
      const month = months[x];
      if (month !== undefined) cells.push([x, y, codeOf(coverageClass(share, month, now, keepAhead)), share]);
    });
    if (row.defaultRows > 0) cells.push([months.length, y, codeOf('defaultRows'), row.defaultRows]);
    if (row.ilmErrors > 0) cells.push([months.length + 1, y, codeOf('ilmErrors'), row.ilmErrors]);
  });
  return cells;
}

const escapeHtml = (text: string): string => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** The tooltip of a cell, as HTML echarts places in its tooltip box. */
export function cellTooltip(cell: HeatCell, rows: readonly FleetHorizonRow[], months: readonly Month[]): string {
  const [x, y, code, figure] = cell;
  const row = rows[y];
  if (!row) return '';
  const lines = [`<b>${escapeHtml(row.tenantId)}</b>`];
  if (x < months.length) {
    const label = HEAT_CLASSES[code]?.label ?? '';
    lines.push(`${months[x]}: ${Math.round(figure * 100)}% of partitioned tables ready (${label})`);
  } else if (x === months.length) lines.push(`~${formatCount(figure)} rows in default partitions`);
  else lines.push(`${figure} failed ILM step${figure === 1 ? '' : 's'}`);
  lines.push(`horizon ${row.horizon ?? 'none'} · ${row.monthsShort} month${row.monthsShort === 1 ? '' : 's'} short`);
  return lines.join('<br/>');
}

/** Where the grid of cells starts below the chart's top (the month labels sit above it), and its right margin. */
export const GRID_TOP = 36;
export const GRID_RIGHT = 8;

/**
 * The keep-ahead window's frame over the chart, in pixels: echarts places a category at its middle,
 * so a frame round whole cells is drawn over the chart rather than by it. Null when the window is
 * not in view or the chart has no width yet.
 */
export function windowFrame(input: { chartWidth: number; labelWidth: number; months: readonly Month[]; now: Month; keepAhead: number }): { left: number; width: number } | null {
  const first = input.months.indexOf(input.now);
  const last = input.months.indexOf(addMonths(input.now, input.keepAhead));
  const columns = input.months.length + MARK_COLUMNS.length;
  const column = (input.chartWidth - input.labelWidth - GRID_RIGHT) / columns;
  if (first < 0 || last < 0 || column <= 0) return null;
  return { left: input.labelWidth + first * column, width: (last - first + 1) * column };
}

export interface HeatmapInput {
  /** Only the rows on screen, in order. */
  rows: readonly FleetHorizonRow[];
  months: readonly Month[];
  now: Month;
  keepAhead: number;
  labelWidth: number;
}

/** The echarts option for the rows in view: months then the two mark columns across, tenants down, the keep-ahead window's months brighter. */
export function heatmapOption(input: HeatmapInput) {
  const { rows, months, now, keepAhead } = input;
  const cells = heatCells(rows, months, now, keepAhead);
  const windowEnd = addMonths(now, keepAhead);
  const muted = '#909296';
  return {
    animation: false,
    backgroundColor: 'transparent',
    grid: { left: input.labelWidth, right: GRID_RIGHT, top: GRID_TOP, bottom: 0 },
    tooltip: {
      trigger: 'item',
      confine: true,
      backgroundColor: '#25262b',
      borderColor: '#373a40',
      textStyle: { color: '#c1c2c5', fontSize: 12 },
      formatter: (params: { value?: unknown }) => (Array.isArray(params.value) ? cellTooltip(params.value as HeatCell, rows, months) : ''),
    },
    xAxis: {
      type: 'category',
      position: 'top',
      data: [...months, ...MARK_COLUMNS],
      axisTick: { show: false },
      axisLine: { show: false },
      splitArea: { show: false },
      axisLabel: {
        interval: 0,
        fontSize: 11,
        color: muted,
        lineHeight: 14,
        formatter: (value: string, index: number) => {
          if (index >= months.length) return value;
          const heading = monthHeading(value, index === 0);
          const inWindow = value >= now && value <= windowEnd;
          const name = value === now ? '{now|now}' : inWindow ? `{window|${heading.name}}` : heading.name;
          return `${heading.year ?? ''}\n${name}`;
        },
        rich: { now: { fontWeight: 'bold', color: '#dce3f0', fontSize: 11, lineHeight: 14 }, window: { color: '#b5c5e2', fontSize: 11, lineHeight: 14 } },
      },
    },
    yAxis: {
      type: 'category',
      inverse: true,
      data: rows.map((row) => row.tenantId),
      triggerEvent: true,
      axisTick: { show: false },
      axisLine: { show: false },
      axisLabel: { fontSize: 11, color: '#c1c2c5', fontFamily: 'JetBrains Mono, Menlo, Consolas, monospace', width: input.labelWidth - 12, overflow: 'truncate' },
    },
    visualMap: {
      type: 'piecewise',
      show: false,
      dimension: 2,
      seriesIndex: 0,
      pieces: HEAT_CLASSES.map((c) => ({ value: c.code, color: c.color, label: c.label })),
    },
    series: [
      {
        type: 'heatmap',
        data: cells,
        itemStyle: { borderColor: '#1a1b1e', borderWidth: 2 },
        emphasis: { itemStyle: { borderColor: '#dce3f0', borderWidth: 1 } },
        label: {
          show: true,
          fontSize: 10,
          color: '#fff',
          formatter: (params: { value?: unknown }) => {
            const value = params.value as HeatCell | undefined;
            return value && value[0] >= months.length ? formatCount(value[3]) : '';
          },
        },
      },
    ],
  };
}
