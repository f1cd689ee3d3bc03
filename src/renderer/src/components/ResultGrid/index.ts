// The result grid: a columnar store filled batch by batch, and the virtualised view of it.
export { ColumnStore } from './column-store';
export { ResultGrid, type ResultGridProps } from './ResultGrid';
export { cellText, isNumericColumn } from './cell-text';
export { toTsv } from './tsv';
export { viewOrder, NO_FILTER, type ResultSort, type ResultFilter } from './view-order';
