/**
 * jsdom lays nothing out, so a virtualised list would see a zero-height viewport and render no
 * rows; these give every element a viewport-sized box.
 */
export function installLayoutShims(height = 600, width = 1400): void {
  Object.defineProperty(window.HTMLElement.prototype, 'offsetHeight', { configurable: true, get: () => height });
  Object.defineProperty(window.HTMLElement.prototype, 'offsetWidth', { configurable: true, get: () => width });
  Object.defineProperty(window.HTMLElement.prototype, 'clientHeight', { configurable: true, get: () => height });
  Object.defineProperty(window.HTMLElement.prototype, 'clientWidth', { configurable: true, get: () => width });
}

/** The keys of the rows a grid shows, in order. */
export function gridRowKeys(label: string): string[] {
  const grid = document.querySelector(`[role="grid"][aria-label="${label}"]`);
  if (!grid) throw new Error(`no grid ${label}`);
  return [...grid.querySelectorAll<HTMLElement>('[data-row-key]')].map((row) => row.dataset.rowKey ?? '');
}
