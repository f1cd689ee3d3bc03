import type { LaneCell, LaneCellState, LaneKind } from '@shared/model/lifecycle';
import { STORE_LABELS, type StoreKind } from '@shared/model/workspace';
import { formatBytes, formatCount } from '../../lib/format';

/** How each state of a lane's month looks, and what it is called in the legend and tooltips. */
export const CELL_STATES: Record<LaneCellState, { label: string; background: string; border: string; meaning: string }> = {
  present: { label: 'present', background: 'var(--mantine-color-teal-8)', border: 'var(--mantine-color-teal-6)', meaning: 'the partition, index or bucket exists' },
  missing: { label: 'missing', background: 'var(--mantine-color-red-9)', border: 'var(--mantine-color-red-5)', meaning: 'the blueprint wants it and it is not there' },
  default_rows: { label: 'default rows', background: 'var(--mantine-color-orange-7)', border: 'var(--mantine-color-orange-4)', meaning: 'rows of this month sit in the default partition' },
  error: { label: 'error', background: 'var(--mantine-color-pink-8)', border: 'var(--mantine-color-pink-4)', meaning: 'a failed ILM step, or a TTL that breaks the blueprint' },
  expired: { label: 'expired', background: 'var(--mantine-color-gray-7)', border: 'var(--mantine-color-gray-5)', meaning: 'past retention: the retention would retire it' },
  none: { label: 'none', background: 'var(--mantine-color-dark-6)', border: 'var(--mantine-color-dark-4)', meaning: 'nothing expected, nothing there' },
};

export const STATE_ORDER: readonly LaneCellState[] = ['present', 'missing', 'default_rows', 'error', 'expired', 'none'];

/** The ILM phase as a cell has room for: its first letter (hot H, warm W, cold C, frozen F, delete D). */
export function phaseMark(phase: string | undefined): string {
  return phase ? phase.charAt(0).toUpperCase() : '';
}

const KIND_WORDS: Record<LaneKind, string> = { partition: 'partitioned table', index: 'index family', bucket: 'time buckets', ttl: 'TTL family' };

/** "PostgreSQL partitioned table": what a lane is, for its label's tooltip. */
export const laneKindLabel = (store: StoreKind, kind: LaneKind): string => `${STORE_LABELS[store]} ${KIND_WORDS[kind]}`;

/** The lines of a cell's tooltip: month and state, then whatever the store said about it. */
export function cellLines(cell: LaneCell): string[] {
  const lines = [`${cell.month}: ${CELL_STATES[cell.state].label}${cell.phase ? ` · ILM ${cell.phase}` : ''}`];
  if (cell.object) lines.push(cell.object);
  const figures = [cell.count !== undefined ? formatCount(cell.count) : null, cell.bytes !== undefined ? formatBytes(cell.bytes) : null].filter(Boolean);
  if (figures.length > 0) lines.push(figures.join(' · '));
  if (cell.detail) lines.push(cell.detail);
  return lines;
}

const MONTH_NAMES = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** `2027-01` as a column header shows it: the month's short name, and the year where one begins. */
export function monthHeading(month: string, first: boolean): { name: string; year: string | null } {
  const [year, number] = month.split('-');
  return { name: MONTH_NAMES[Number(number) - 1] ?? month, year: first || number === '01' ? (year ?? null) : null };
}
