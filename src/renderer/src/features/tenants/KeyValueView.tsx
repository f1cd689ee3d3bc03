import type { ReactNode } from 'react';
import { Badge, Code, Group, Paper, ScrollArea, Stack, Table, Text } from '@mantine/core';
import { Timer } from 'lucide-react';
import type { ListedKey } from '@shared/contract/tenants';
import type { KeyValue } from '@shared/model/tenant';
import { api } from '../../api';
import { UnmaskableValue, looksMasked } from '../access';
import { formatBytes, formatTtl } from '../../lib/format';
import { isMaskedRedisField, keyNameField } from './redis-fields';
import { useCall } from '../../lib/useCall';

/** Shows one value of the key: through the unmask control where the masking rules hide it. */
type Cell = (path: string, value: string) => ReactNode;

function Rows({ head, rows }: { head: string[]; rows: ReactNode[][] }) {
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

function Body({ value, cell }: { value: KeyValue; cell: Cell }) {
  switch (value.type) {
    case 'string':
      return (
        <Code block style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-all' }}>
          {cell('value', value.value)}
        </Code>
      );
    case 'hash':
      return <Rows head={['Field', 'Value']} rows={value.fields.map(([field, shown]) => [field, cell(field, shown)])} />;
    case 'list':
      return <Rows head={['#', 'Item']} rows={value.items.map((item, i) => [i, cell('value', item)])} />;
    case 'set':
      return <Rows head={['Member']} rows={value.members.map((m) => [cell('value', m)])} />;
    case 'zset':
      return <Rows head={['Member', 'Score']} rows={value.members.map((m) => [cell('value', m.member), m.score])} />;
  }
}

function sizeOf(value: KeyValue): string {
  if (value.type === 'string') return formatBytes(value.bytes);
  const unit = { hash: 'fields', list: 'items', set: 'members', zset: 'members' }[value.type];
  return `${value.length} ${unit}`;
}

export interface KeyValueViewProps {
  workspaceId: string;
  tenantId: string;
  /** The row of the key list: its ref to open it by, its name as shown, and its family. */
  listed: Pick<ListedKey, 'keyRef' | 'key' | 'family'>;
  /** The admin unmasked the key names of the family: the list shows them in clear once read again. */
  onKeyNameUnmasked?(): void;
}

/**
 * A Redis value shown by its type, with its TTL and size; a long value says it is cut. Values the
 * masking rules hide (a session's fields, a token anywhere) offer an unmask with a reason to a
 * platform admin, and say why not to anyone else; after an unmask the value is read again. So does
 * a key name that carries a credential (a session id). The key is opened by its ref; the family is
 * the one the main process classified the key in.
 */
export function KeyValueView({ workspaceId, tenantId, listed, onKeyNameUnmasked }: KeyValueViewProps) {
  const { keyRef, family } = listed;
  const value = useCall((signal) => api().tenants.keyValue({ workspaceId, tenantId, keyRef }, { signal }), [workspaceId, tenantId, keyRef]);
  const keyName = value.data?.key ?? listed.key;
  // An empty value hides nothing, so it is shown as it is rather than as "unmasked".
  const cell: Cell = (path, shown) =>
    shown !== '' && isMaskedRedisField(family, path) ? (
      <UnmaskableValue workspaceId={workspaceId} tenantId={tenantId} field={`redis:${family}#${path}`} value={shown} onUnmasked={value.reload} />
    ) : (
      shown
    );
  const nameMasked = looksMasked(listed.key);
  return (
    <Paper withBorder p="xs" radius="sm" aria-label="Key value" data-key={keyName}>
      <Stack gap={4} mb={6}>
        {nameMasked ? (
          <div data-key-name>
            <UnmaskableValue
              workspaceId={workspaceId}
              tenantId={tenantId}
              field={keyNameField(family)}
              value={keyName}
              onUnmasked={() => {
                value.reload();
                onKeyNameUnmasked?.();
              }}
            />
          </div>
        ) : (
          <Text size="xs" ff="monospace" fw={600} style={{ wordBreak: 'break-all' }} data-key-name>
            {keyName}
          </Text>
        )}
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
          <Body value={value.data} cell={cell} />
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
