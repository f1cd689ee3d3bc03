import { useMemo } from 'react';
import { Stack, Table, Text } from '@mantine/core';
import { planStatistics, type Plan, type PlanStatistic } from '@shared/explain';
import { formatMs, formatPercent, formatRows } from './format';

/** Per-table and per-node-type sums, as pgAdmin's and pev2's statistics tabs show them. */
export function StatisticsView({ plan }: { plan: Plan }) {
  const stats = useMemo(() => planStatistics(plan), [plan]);
  return (
    <Stack gap="sm">
      <StatisticTable title="Per table" label="Statistics per table" rows={stats.byTarget} breakdownLabel="Read by" />
      <StatisticTable title="Per node type" label="Statistics per node type" rows={stats.byOperation} breakdownLabel="Tables" />
    </Stack>
  );
}

function StatisticTable({ title, label, rows, breakdownLabel }: { title: string; label: string; rows: PlanStatistic[]; breakdownLabel: string }) {
  return (
    <div>
      <Text size="xs" fw={700} c="dimmed" tt="uppercase" mb={4}>
        {title}
      </Text>
      <Table fz="xs" verticalSpacing={3} striped aria-label={label} style={{ whiteSpace: 'nowrap' }}>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Name</Table.Th>
            <Table.Th ta="right">Nodes</Table.Th>
            <Table.Th ta="right">Self time</Table.Th>
            <Table.Th ta="right">Share</Table.Th>
            <Table.Th ta="right">Rows</Table.Th>
            <Table.Th ta="right">Blocks</Table.Th>
            <Table.Th>{breakdownLabel}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {rows.slice(0, 200).map((s) => (
            <Table.Tr key={s.name} data-statistic={s.name}>
              <Table.Td fw={600}>{s.name}</Table.Td>
              <Table.Td ta="right">{formatRows(s.nodes)}</Table.Td>
              <Table.Td ta="right">{formatMs(s.timeSelfMs)}</Table.Td>
              <Table.Td ta="right">{formatPercent(s.share)}</Table.Td>
              <Table.Td ta="right">{formatRows(s.rows)}</Table.Td>
              <Table.Td ta="right">{formatRows(s.buffersSelf.sharedHit + s.buffersSelf.sharedRead)}</Table.Td>
              <Table.Td c="dimmed" maw={220} style={{ overflow: 'hidden', textOverflow: 'ellipsis', whiteSpace: 'nowrap' }}>
                {Object.entries(s.breakdown)
                  .sort((a, b) => b[1] - a[1])
                  .slice(0, 4)
                  .map(([k, n]) => (n > 1 ? `${k} ×${formatRows(n)}` : k))
                  .join(', ')}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      {rows.length > 200 && (
        <Text size="xs" c="dimmed">
          The first 200 of {formatRows(rows.length)}, by self time.
        </Text>
      )}
    </div>
  );
}
