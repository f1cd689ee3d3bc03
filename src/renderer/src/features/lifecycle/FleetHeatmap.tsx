import { useMemo, useRef, useState } from 'react';
import { Box, Text } from '@mantine/core';
import { useElementSize } from '@mantine/hooks';
import ReactEChartsCore from 'echarts-for-react/esm/core';
import type { FleetHorizon, FleetHorizonRow } from '@shared/model/lifecycle';
import { echarts } from './echarts';
import { GRID_TOP, heatmapOption, windowFrame, type HeatCell } from './heatmap-option';
import { rowsWindow } from './rows-window';

const ROW_HEIGHT = 20;
/** Rows drawn at once: the chart is this tall, and scrolling changes which rows it draws. */
const VISIBLE_ROWS = 24;
const LABEL_WIDTH = 270;

/**
 * The fleet heatmap, virtualised: a scroll container holds a spacer as tall as every row, and a
 * chart pinned to its top draws only the rows the scroll offset puts in view — 10,000 tenants cost
 * the same to draw as 24. Clicking a cell or a tenant's name opens that tenant's time view.
 */
export function FleetHeatmap({ fleet, rows, onOpen }: { fleet: FleetHorizon; rows: readonly FleetHorizonRow[]; onOpen(tenantId: string): void }) {
  const [scrollTop, setScrollTop] = useState(0);
  const scroller = useRef<HTMLDivElement>(null);
  const { first, count } = rowsWindow(rows.length, scrollTop, ROW_HEIGHT, VISIBLE_ROWS);
  const inView = useMemo(() => rows.slice(first, first + count), [rows, first, count]);
  const option = useMemo(
    () => heatmapOption({ rows: inView, months: fleet.months, now: fleet.now, keepAhead: fleet.keepAhead, labelWidth: LABEL_WIDTH }),
    [inView, fleet.months, fleet.now, fleet.keepAhead],
  );
  const chartHeight = count * ROW_HEIGHT + GRID_TOP;
  const { ref: chartBox, width: chartWidth } = useElementSize();
  const frame = windowFrame({ chartWidth, labelWidth: LABEL_WIDTH, months: fleet.months, now: fleet.now, keepAhead: fleet.keepAhead });
  const onOpenRef = useRef(onOpen);
  onOpenRef.current = onOpen;
  const inViewRef = useRef(inView);
  inViewRef.current = inView;
  const events = useMemo(
    () => ({
      click: (params: { componentType?: string; value?: unknown }) => {
        if (params.componentType === 'yAxis' && typeof params.value === 'string') onOpenRef.current(params.value);
        else if (Array.isArray(params.value)) {
          const row = inViewRef.current[(params.value as HeatCell)[1]];
          if (row) onOpenRef.current(row.tenantId);
        }
      },
    }),
    [],
  );

  if (rows.length === 0) return null;
  return (
    <Box>
      <Box
        ref={scroller}
        role="figure"
        aria-label="Fleet horizon heatmap"
        data-rows={rows.length}
        data-first-row={first}
        data-rows-drawn={count}
        data-tenants-drawn={inView.map((r) => r.tenantId).join(' ')}
        onScroll={(event) => setScrollTop(event.currentTarget.scrollTop)}
        style={{ height: chartHeight, overflowY: rows.length > count ? 'auto' : 'hidden', position: 'relative' }}
      >
        <Box style={{ height: rows.length * ROW_HEIGHT + GRID_TOP }}>
          <Box ref={chartBox} style={{ position: 'sticky', top: 0, height: chartHeight }}>
            <ReactEChartsCore echarts={echarts} option={option} notMerge style={{ height: chartHeight, width: '100%' }} onEvents={events} opts={{ renderer: 'svg' }} />
            {frame && (
              <Box
                aria-hidden
                data-testid="keep-ahead-frame"
                style={{ position: 'absolute', top: GRID_TOP - 1, left: frame.left, width: frame.width, height: count * ROW_HEIGHT + 2, border: '1.5px dashed #dce3f0', borderRadius: 2, pointerEvents: 'none' }}
              />
            )}
          </Box>
        </Box>
      </Box>
      <Text size="xs" c="dimmed" mt={4} data-testid="heatmap-window">
        {rows.length > count ? `Tenants ${first + 1}–${first + count} of ${rows.length}; scroll for more.` : `${rows.length} tenant${rows.length === 1 ? '' : 's'}.`}
      </Text>
    </Box>
  );
}
