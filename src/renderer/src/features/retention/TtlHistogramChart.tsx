import ReactEChartsCore from 'echarts-for-react/esm/core';
import { BarChart } from 'echarts/charts';
import { GridComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import type { TtlBuckets } from '@shared/model/tenant';
import { TTL_BUCKET_LABELS, TTL_BUCKET_ORDER } from './ttl-labels';

echarts.use([BarChart, GridComponent, TooltipComponent, CanvasRenderer]);

const ORDER = TTL_BUCKET_ORDER;

/** The chart of `TtlHistogram`, in a module of its own so echarts loads with the first histogram. */
export default function TtlHistogramChart({ ttl, prescribed }: { ttl: TtlBuckets; prescribed: boolean }) {
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
  return <ReactEChartsCore echarts={echarts} option={option} style={{ width: 190, height: 48 }} opts={{ renderer: 'canvas' }} />;
}
