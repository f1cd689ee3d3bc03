import { memo } from 'react';
import ReactEChartsCore from 'echarts-for-react/esm/core';
import { BarChart } from 'echarts/charts';
import { GridComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import type { TtlBucket, TtlBuckets } from '@shared/model/tenant';

echarts.use([BarChart, GridComponent, TooltipComponent, CanvasRenderer]);

export const TTL_BUCKET_LABELS: Record<TtlBucket, string> = { none: 'no TTL', under_1m: '< 1 min', under_1h: '< 1 h', under_1d: '< 1 day', longer: '≥ 1 day' };
const ORDER: TtlBucket[] = ['none', 'under_1m', 'under_1h', 'under_1d', 'longer'];

/**
 * A family's keys by TTL left, five small bars. The `no TTL` bar is red where the blueprint
 * prescribes a TTL (those keys never leave), grey where it prescribes none.
 */
export const TtlHistogram = memo(function TtlHistogram({ ttl, prescribed, label }: { ttl: TtlBuckets; prescribed: boolean; label: string }) {
  const option = {
    animation: false,
    grid: { left: 2, right: 2, top: 4, bottom: 14 },
    tooltip: { trigger: 'item', confine: true, formatter: (p: { name: string; value: number }) => `${p.name}: ${p.value.toLocaleString()} key(s)` },
    xAxis: {
      type: 'category',
      data: ORDER.map((b) => TTL_BUCKET_LABELS[b]),
      axisLabel: { fontSize: 8, color: '#909296', interval: 0 },
      axisTick: { show: false },
      axisLine: { lineStyle: { color: '#373A40' } },
    },
    yAxis: { type: 'value', show: false },
    series: [
      {
        type: 'bar',
        barWidth: '70%',
        data: ORDER.map((b) => ({ value: ttl[b], itemStyle: { color: b === 'none' ? (prescribed ? '#fa5252' : '#868e96') : '#4dabf7' } })),
      },
    ],
  };
  return (
    <div role="img" aria-label={`${label}: ${ORDER.map((b) => `${TTL_BUCKET_LABELS[b]} ${ttl[b]}`).join(', ')}`} data-testid="ttl-histogram" style={{ width: 190, height: 48 }}>
      <ReactEChartsCore echarts={echarts} option={option} style={{ width: 190, height: 48 }} opts={{ renderer: 'canvas' }} />
    </div>
  );
});
