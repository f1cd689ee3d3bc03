import { Badge, Code, Group, Paper, ScrollArea, Stack, Table, Text } from '@mantine/core';
import { Timer } from 'lucide-react';
import type { KeyValue } from '@shared/model/tenant';
import { api } from '../../api';
import { formatBytes, formatTtl } from './format';
import { useCall } from './useCall';

function Rows({ head, rows }: { head: string[]; rows: (string | number)[][] }) {
  return (
    <Table fz="xs" verticalSpacing={2} horizontalSpacing="xs" striped withColumnBorders aria-label="Value">
      <Table.Thead>
        <Table.Tr>
          {head.map((h) => (
            <Table.Th key={h}>{h}</Table.Th>
          ))}
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {rows.map((row, i) => (
          <Table.Tr key={i}>
            {row.map((cell, j) => (
              <Table.Td key={j} ff="monospace" style={j === 0 && row.length > 1 ? { whiteSpace: 'nowrap' } : { wordBreak: 'break-all' }}>
                {cell}
              </Table.Td>
            ))}
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}

function Body({ value }: { value: KeyValue }) {
  switch (value.type) {
    case 'string':
      return (
        <Code block style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-all' }}>
          {value.value}
        </Code>
      );
    case 'hash':
      return <Rows head={['Field', 'Value']} rows={value.fields} />;
    case 'list':
      return <Rows head={['#', 'Item']} rows={value.items.map((item, i) => [i, item])} />;
    case 'set':
      return <Rows head={['Member']} rows={value.members.map((m) => [m])} />;
    case 'zset':
      return <Rows head={['Member', 'Score']} rows={value.members.map((m) => [m.member, m.score])} />;
  }
}

function sizeOf(value: KeyValue): string {
  if (value.type === 'string') return formatBytes(value.bytes);
  const unit = { hash: 'fields', list: 'items', set: 'members', zset: 'members' }[value.type];
  return `${value.length} ${unit}`;
}

/** A Redis value shown by its type, with its TTL and size; a long value says it is cut. */
export function KeyValueView({ workspaceId, tenantId, keyName }: { workspaceId: string; tenantId: string; keyName: string }) {
  const value = useCall((signal) => api().tenants.keyValue({ workspaceId, tenantId, key: keyName }, { signal }), [workspaceId, tenantId, keyName]);
  return (
    <Paper withBorder p="xs" radius="sm" aria-label="Key value" data-key={keyName}>
      <Stack gap={4} mb={6}>
        <Text size="xs" ff="monospace" fw={600} style={{ wordBreak: 'break-all' }}>
          {keyName}
        </Text>
        {value.data && (
          <Group gap={8} wrap="nowrap">
            <Badge size="xs" variant="light" data-value-type={value.data.type}>
              {value.data.type}
            </Badge>
            <Group gap={3} wrap="nowrap" data-ttl={value.data.ttlMs ?? 'none'}>
              <Timer size={12} />
              <Text size="xs">{value.data.ttlMs === null ? 'no TTL' : `TTL ${formatTtl(value.data.ttlMs)}`}</Text>
            </Group>
            <Text size="xs" c="dimmed">
              {sizeOf(value.data)}
            </Text>
          </Group>
        )}
      </Stack>
      {value.loading && (
        <Text size="xs" c="dimmed">
          Reading…
        </Text>
      )}
      {value.error && (
        <Text size="xs" c="red">
          {value.error}
        </Text>
      )}
      {value.data && (
        <ScrollArea.Autosize mah={420}>
          <Body value={value.data} />
          {value.data.truncated && (
            <Text size="xs" c="dimmed" mt={4}>
              Only the first part is shown.
            </Text>
          )}
        </ScrollArea.Autosize>
      )}
    </Paper>
  );
}
