/** A cell by its place on screen: the row's position in the view (after sort and filter) and the column index. */
export interface CellPosition {
  row: number;
  column: number;
}

/** A rectangle of cells: where the click started and where it ended (shift-click moves the focus). */
export interface CellSelection {
  anchor: CellPosition;
  focus: CellPosition;
}

export interface SelectionBounds {
  top: number;
  bottom: number;
  left: number;
  right: number;
}

export function boundsOf(selection: CellSelection): SelectionBounds {
  return {
    top: Math.min(selection.anchor.row, selection.focus.row),
    bottom: Math.max(selection.anchor.row, selection.focus.row),
    left: Math.min(selection.anchor.column, selection.focus.column),
    right: Math.max(selection.anchor.column, selection.focus.column),
  };
}

export function contains(bounds: SelectionBounds | null, row: number, column: number): boolean {
  return bounds !== null && row >= bounds.top && row <= bounds.bottom && column >= bounds.left && column <= bounds.right;
}

export function range(from: number, to: number): number[] {
  const out: number[] = [];
  for (let i = from; i <= to; i++) out.push(i);
  return out;
}

/** Moves the focus one step with the arrow keys, kept inside the result; shift keeps the anchor. */
export function moved(selection: CellSelection, key: string, extend: boolean, rows: number, columns: number): CellSelection | null {
  const delta: Record<string, [number, number]> = { ArrowUp: [-1, 0], ArrowDown: [1, 0], ArrowLeft: [0, -1], ArrowRight: [0, 1] };
  const step = delta[key];
  if (!step || rows === 0 || columns === 0) return null;
  const focus = {
    row: Math.min(rows - 1, Math.max(0, selection.focus.row + step[0])),
    column: Math.min(columns - 1, Math.max(0, selection.focus.column + step[1])),
  };
  return { anchor: extend ? selection.anchor : focus, focus };
}
