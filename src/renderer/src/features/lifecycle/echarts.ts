// Only what the fleet heatmap draws is registered, so the bundle carries the heatmap and nothing
// else of echarts: the heatmap series on a cartesian grid, the piecewise visual map that colours it
// (echarts' heatmap colours only through one) and its tooltip. It is drawn as
// SVG: the rows in view are a few hundred cells, which SVG draws as fast as a canvas, and they stay
// elements a test can read.
import * as echarts from 'echarts/core';
import { HeatmapChart } from 'echarts/charts';
import { GridComponent, TooltipComponent, VisualMapPiecewiseComponent } from 'echarts/components';
import { SVGRenderer } from 'echarts/renderers';

echarts.use([HeatmapChart, GridComponent, TooltipComponent, VisualMapPiecewiseComponent, SVGRenderer]);

export { echarts };
