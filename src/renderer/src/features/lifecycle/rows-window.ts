/**
 * Which rows of a long list are on screen: the heatmap draws only those, whatever the fleet's size.
 * `scrollTop` is the scroll container's offset over a spacer as tall as every row.
 */
export function rowsWindow(total: number, scrollTop: number, rowHeight: number, visible: number): { first: number; count: number } {
  const count = Math.max(0, Math.min(total, visible));
  const last = Math.max(0, total - count);
  const first = Math.min(last, Math.max(0, Math.floor(scrollTop / rowHeight)));
  return { first, count };
}
