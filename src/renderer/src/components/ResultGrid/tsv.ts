import { cellText } from './cell-text';
import type { ColumnStore } from './column-store';

/**
 * One field of tab-separated text as spreadsheets read it back: quoted (quotes doubled) when it
 * holds a tab, a line break or a quote, as is otherwise.
 */
export function tsvField(value: unknown): string {
  const text = cellText(value);
  return /[\t\n\r"]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** A rectangle of the result as TSV: the given store rows and columns, in the order given, with a header line when asked. */
export function toTsv(store: ColumnStore, rows: readonly number[], columns: readonly number[], header = false): string {
  const lines: string[] = [];
  if (header) lines.push(columns.map((c) => tsvField(store.columns[c]?.name ?? '')).join('\t'));
  for (const row of rows) lines.push(columns.map((c) => tsvField(store.get(c, row))).join('\t'));
  return lines.join('\n');
}
