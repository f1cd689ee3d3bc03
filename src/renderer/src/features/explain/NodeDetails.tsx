import type { ReactNode } from 'react';
import { Badge, Code, Group, Stack, Table, Text } from '@mantine/core';
import { nodeBadges, timeShare, totalRows, type Plan, type PlanNode } from '@shared/explain';
import { formatMs, formatPercent, formatRows } from './format';

const GRADE_COLORS = ['gray', 'yellow', 'orange', 'red'] as const;

/** Everything one node says, for the node clicked in the tree: figures, conditions, buffers, badges. */
export function NodeDetails({ plan, node }: { plan: Plan; node: PlanNode }) {
  const badges = nodeBadges(plan, node);
  const facts: [string, ReactNode][] = [];
  const add = (label: string, value: ReactNode | undefined): void => {
    if (value !== undefined && value !== '') facts.push([label, value]);
  };
  add('Target', [node.schema, node.target].filter(Boolean).join('.') || undefined);
  add('Index', node.index);
  add('Relationship', node.relationship);
  add('Detail', node.detail);
  add('Rows', node.rowsActual !== undefined ? `${formatRows(totalRows(node))} actual · ${formatRows(node.rowsEstimated)} estimated per loop` : node.rowsEstimated !== undefined ? `${formatRows(node.rowsEstimated)} estimated` : undefined);
  add('Loops', node.loops !== undefined && node.loops !== 1 ? formatRows(node.loops) : undefined);
  add('Time', node.timeSelfMs !== undefined ? `${formatMs(node.timeSelfMs)} in this node · ${formatMs(node.timeTotalMs)} with its inputs · ${formatPercent(timeShare(plan, node))} of the total` : undefined);
  add('Cost', node.costTotal !== undefined ? `${node.costStartup ?? 0}..${node.costTotal}` : undefined);
  add('Removed', node.rowsRemoved ? Object.entries(node.rowsRemoved).map(([k, v]) => `${formatRows(v)} ${k.replace('by', 'by ').toLowerCase()}`).join(' · ') : undefined);
  add('Heap fetches', node.heapFetches !== undefined ? formatRows(node.heapFetches) : undefined);
  add('Workers', node.workers ? `${node.workers.launched ?? '?'} launched of ${node.workers.planned ?? '?'} planned` : undefined);
  add('Sort', node.sort ? [node.sort.method, node.sort.keys?.join(', '), node.sort.spaceType && `${node.sort.spaceType} ${node.sort.spaceUsedKb ?? '?'} kB`].filter(Boolean).join(' · ') : undefined);
  add('Hash', node.hash ? `${node.hash.buckets ?? '?'} buckets · ${node.hash.batches ?? 1} batch(es) · ${node.hash.peakMemoryKb ?? '?'} kB peak` : undefined);
  add('Examined', node.examined ? `${formatRows(node.examined.keys)} keys · ${formatRows(node.examined.documents)} documents` : undefined);
  add('I/O', node.io ? `${formatMs(node.io.readMs)} reading · ${formatMs(node.io.writeMs)} writing` : undefined);
  add('Partitions', node.group ? `${formatRows(node.group.members.length)} of ${node.group.parent}: ${Object.entries(node.group.operations).map(([op, n]) => `${formatRows(n)} ${op}`).join(', ')}` : undefined);
  add('Pruned', node.subplansRemoved !== undefined ? `${formatRows(node.subplansRemoved)} partitions removed at run time` : undefined);
  return (
    <Stack gap="xs" aria-label="Node details" role="region">
      <Group gap="xs">
        <Text fw={700} size="sm">
          {node.operation}
        </Text>
        {node.neverExecuted && <Badge color="gray">never executed</Badge>}
        {badges
          .filter((b) => b.kind !== 'never-executed')
          .map((b) => (
            <Badge key={b.kind} color={GRADE_COLORS[b.grade]} variant="filled" size="sm" title={b.title}>
              {b.label}
            </Badge>
          ))}
      </Group>
      <Table withRowBorders={false} verticalSpacing={2} fz="xs">
        <Table.Tbody>
          {facts.map(([label, value]) => (
            <Table.Tr key={label}>
              <Table.Td c="dimmed" w={110} style={{ verticalAlign: 'top' }}>
                {label}
              </Table.Td>
              <Table.Td>{value}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      {(node.conditions ?? []).map((c, i) => (
        <div key={`${c.kind}-${i}`}>
          <Text size="xs" c="dimmed">
            {c.kind}
          </Text>
          <Code block fz="xs" style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-word' }}>
            {c.text}
          </Code>
        </div>
      ))}
      {node.buffersSelf && <BuffersTable node={node} />}
      {node.breakdown && (
        <Table fz="xs" verticalSpacing={2}>
          <Table.Tbody>
            {Object.entries(node.breakdown)
              .filter(([, ns]) => ns > 0)
              .sort((a, b) => b[1] - a[1])
              .map(([phase, ns]) => (
                <Table.Tr key={phase}>
                  <Table.Td>{phase}</Table.Td>
                  <Table.Td ta="right">{formatMs(ns / 1e6)}</Table.Td>
                </Table.Tr>
              ))}
          </Table.Tbody>
        </Table>
      )}
    </Stack>
  );
}

function BuffersTable({ node }: { node: PlanNode }) {
  const self = node.buffersSelf!;
  const all = node.buffers;
  const rows: [string, number, number | undefined][] = [
    ['shared hit', self.sharedHit, all?.sharedHit],
    ['shared read', self.sharedRead, all?.sharedRead],
    ['shared dirtied', self.sharedDirtied, all?.sharedDirtied],
    ['shared written', self.sharedWritten, all?.sharedWritten],
    ['temp read', self.tempRead, all?.tempRead],
    ['temp written', self.tempWritten, all?.tempWritten],
    ['local hit', self.localHit, all?.localHit],
    ['local read', self.localRead, all?.localRead],
  ];
  return (
    <Table fz="xs" verticalSpacing={2} aria-label="Buffers">
      <Table.Thead>
        <Table.Tr>
          <Table.Th>Buffers (8 kB blocks)</Table.Th>
          <Table.Th ta="right">this node</Table.Th>
          <Table.Th ta="right">with inputs</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {rows
          .filter(([, s, a]) => s > 0 || (a ?? 0) > 0)
          .map(([label, s, a]) => (
            <Table.Tr key={label}>
              <Table.Td>{label}</Table.Td>
              <Table.Td ta="right">{formatRows(s)}</Table.Td>
              <Table.Td ta="right">{formatRows(a)}</Table.Td>
            </Table.Tr>
          ))}
      </Table.Tbody>
    </Table>
  );
}
