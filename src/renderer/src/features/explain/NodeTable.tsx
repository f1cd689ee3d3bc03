import { useMemo, useState } from 'react';
import { planNodeRows, type Plan, type PlanNodeRow } from '@shared/explain';
import { DataGrid, type DataGridColumn, type SortState } from '../../components/DataGrid';
import { formatMs, formatPercent, formatRows } from './format';

const right = { align: 'right' as const };

function misestimateText(value: number | undefined): string {
  if (value === undefined) return '—';
  const factor = Math.abs(value);
  return `${factor >= 100 ? Math.round(factor).toLocaleString('en') : factor.toFixed(1)}× ${value >= 0 ? 'under' : 'over'}`;
}

const COLUMNS: DataGridColumn<PlanNodeRow>[] = [
  {
    id: 'operation', header: 'Node', label: 'Node',
    cell: (r) => <span style={{ paddingLeft: Math.min(r.depth, 12) * 10 }}>{r.operation}</span>,
    sortValue: (r) => r.operation,
  },
  { id: 'target', header: 'Target', label: 'Target', width: 150, cell: (r) => [r.target, r.index && `using ${r.index}`].filter(Boolean).join(' '), sortValue: (r) => r.target ?? null },
  { id: 'timeSelfMs', header: 'Self time', label: 'Self time', width: 92, ...right, cell: (r) => formatMs(r.timeSelfMs), sortValue: (r) => r.timeSelfMs ?? null },
  { id: 'share', header: 'Share', label: 'Share', width: 64, ...right, cell: (r) => formatPercent(r.share), sortValue: (r) => r.share ?? null },
  { id: 'rowsActual', header: 'Rows', label: 'Rows', width: 84, ...right, cell: (r) => formatRows(r.rowsActual), sortValue: (r) => r.rowsActual ?? null },
  { id: 'rowsEstimated', header: 'Estimated', label: 'Estimated', width: 84, ...right, cell: (r) => formatRows(r.rowsEstimated), sortValue: (r) => r.rowsEstimated ?? null },
  // Sorted by how far off, whichever the direction: the worst estimate first when descending.
  { id: 'misestimate', header: 'Misestimate', label: 'Misestimate', width: 100, ...right, cell: (r) => misestimateText(r.misestimate), sortValue: (r) => (r.misestimate === undefined ? null : Math.abs(r.misestimate)) },
  { id: 'loops', header: 'Loops', label: 'Loops', width: 64, ...right, cell: (r) => formatRows(r.loops), sortValue: (r) => r.loops ?? null },
  { id: 'sharedRead', header: 'Read', label: 'Shared blocks read', width: 70, ...right, cell: (r) => formatRows(r.sharedRead), sortValue: (r) => r.sharedRead ?? null },
  { id: 'sharedHit', header: 'Hit', label: 'Shared blocks hit', width: 70, ...right, cell: (r) => formatRows(r.sharedHit), sortValue: (r) => r.sharedHit ?? null },
  { id: 'tempBlocks', header: 'Temp', label: 'Temp blocks', width: 64, ...right, cell: (r) => formatRows(r.tempBlocks), sortValue: (r) => r.tempBlocks ?? null },
  { id: 'rowsRemoved', header: 'Removed', label: 'Rows removed', width: 84, ...right, cell: (r) => formatRows(r.rowsRemoved), sortValue: (r) => r.rowsRemoved ?? null },
];

/**
 * Every node as a row (a folded partition group as its members), sortable by any figure: the
 * slowest node or the worst estimate is one click away, whatever the size of the plan.
 */
export function NodeTable({ plan, selectedId, onSelect, height }: { plan: Plan; selectedId?: string; onSelect(id: string): void; height: number | string }) {
  const rows = useMemo(() => planNodeRows(plan), [plan]);
  const [sort, setSort] = useState<SortState | null>(plan.analyzed ? { column: 'timeSelfMs', direction: 'desc' } : null);
  return (
    <DataGrid
      label="Plan nodes"
      rows={rows}
      columns={COLUMNS}
      rowKey={(r) => r.id}
      sort={sort}
      onSortChange={setSort}
      onRowClick={(r) => onSelect(r.id)}
      selectedKey={selectedId ?? null}
      height={height}
      rowHeight={26}
    />
  );
}
