import type { ResultColumn } from '@shared/model/workbench';
import { cellText, isNumericColumn } from './cell-text';
import type { ColumnStore } from './column-store';

const MIN_WIDTH = 80;
const MAX_WIDTH = 360;
const CHAR_WIDTH = 7.2;
/** Rows looked at to size a column: enough to see typical values, few enough to cost nothing. */
const SAMPLE_ROWS = 50;

/** A width per column from its name and its first values, so ids stay narrow and text gets room. */
export function columnWidths(store: ColumnStore, columns: readonly ResultColumn[]): number[] {
  const sample = Math.min(SAMPLE_ROWS, store.rowCount);
  return columns.map((column, c) => {
    let longest = column.name.length + 3;
    for (let r = 0; r < sample; r++) longest = Math.max(longest, cellText(store.get(c, r)).length);
    const width = Math.round(longest * CHAR_WIDTH + 20);
    return Math.min(isNumericColumn(column) ? 200 : MAX_WIDTH, Math.max(MIN_WIDTH, width));
  });
}
