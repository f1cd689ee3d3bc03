import { Badge, Group, Paper, SimpleGrid, Stack, Table, Text } from '@mantine/core';
import type { DriftItem, StoreAnswer, Tenant } from '@shared/model/tenant';
import { STORE_KINDS, STORE_LABELS, type StoreKind } from '@shared/model/workspace';
import { formatBytes, formatCount } from '../../lib/format';

function footprintLines(tenant: Tenant, store: StoreKind): string[] | null {
  const f = tenant.footprint;
  switch (store) {
    case 'postgres':
      return f.postgres
        ? [f.postgres.schema ? `schema ${f.postgres.schema}` : 'no schema', `${f.postgres.tables} tables`, `~${formatCount(f.postgres.rowsEstimate)} rows`, `~${formatBytes(f.postgres.bytesEstimate)}`]
        : null;
    case 'mongo':
      return f.mongo ? [`${f.mongo.collections} collections`, `${formatCount(f.mongo.documents)} documents`, formatBytes(f.mongo.bytes)] : null;
    case 'redis':
      return f.redis
        ? [`${formatCount(f.redis.keys)} keys`, `~${formatBytes(f.redis.bytesEstimate)}`, Object.entries(f.redis.families).map(([name, n]) => `${name} ${n}`).join(' · ')]
        : null;
    case 'elastic':
      return f.elastic ? [`${f.elastic.indices} indices`, `${formatCount(f.elastic.documents)} documents`, formatBytes(f.elastic.bytes)] : null;
  }
}

/** One card per store: what it holds for the tenant, or why it has nothing to say. */
export function StoreFootprints({ tenant, stores }: { tenant: Tenant; stores: StoreAnswer[] }) {
  return (
    <SimpleGrid cols={{ base: 2, lg: 4 }} spacing="xs">
      {STORE_KINDS.map((store) => {
        const answer = stores.find((s) => s.store === store);
        const lines = footprintLines(tenant, store);
        return (
          <Paper key={store} withBorder p="xs" radius="sm" data-footprint={store}>
            <Group justify="space-between" mb={4}>
              <Text size="xs" fw={700}>
                {STORE_LABELS[store]}
              </Text>
              {answer && answer.state !== 'ok' && (
                <Badge size="xs" variant="light" color={answer.state === 'not_configured' ? 'gray' : 'red'}>
                  {answer.state.replace('_', ' ')}
                </Badge>
              )}
            </Group>
            {lines ? (
              lines.map((line) => (
                <Text key={line} size="xs" ff={line.startsWith('schema') ? 'monospace' : undefined} style={{ wordBreak: line.startsWith('schema') ? 'break-all' : 'break-word' }}>
                  {line}
                </Text>
              ))
            ) : (
              <Text size="xs" c="dimmed">
                {answer?.state === 'ok' ? 'nothing for this tenant' : (answer?.reason ?? (answer?.state === 'not_configured' ? 'not configured' : 'no answer'))}
              </Text>
            )}
          </Paper>
        );
      })}
    </SimpleGrid>
  );
}

/** Blueprint drift as a list: what the preset prescribes and the tenant lacks, and what it has extra. */
export function DriftList({ drift }: { drift: DriftItem[] | null }) {
  if (drift === null) {
    return (
      <Text size="xs" c="dimmed">
        No blueprint to compare with: the workspace has no PostgreSQL or the preset prescribes none.
      </Text>
    );
  }
  if (drift.length === 0) {
    return (
      <Text size="xs" c="teal" data-drift="none">
        Matches the blueprint: every table, index, policy and partition is there, nothing extra.
      </Text>
    );
  }
  return (
    <Table fz="xs" verticalSpacing={3} horizontalSpacing="xs" aria-label="Blueprint drift" striped>
      <Table.Thead>
        <Table.Tr>
          <Table.Th w={80}>Change</Table.Th>
          <Table.Th w={110}>Kind</Table.Th>
          <Table.Th>Name</Table.Th>
          <Table.Th>Table</Table.Th>
          <Table.Th>Seed section</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {drift.map((item) => (
          <Table.Tr key={`${item.change}-${item.kind}-${item.table ?? ''}-${item.name}`} data-drift={item.change}>
            <Table.Td>
              <Badge size="xs" variant="light" color={item.change === 'missing' ? 'red' : 'yellow'}>
                {item.change}
              </Badge>
            </Table.Td>
            <Table.Td>{item.kind.replace(/_/g, ' ')}</Table.Td>
            <Table.Td ff="monospace">{item.name}</Table.Td>
            <Table.Td ff="monospace">{item.table ?? ''}</Table.Td>
            <Table.Td c="dimmed">{item.source ?? ''}</Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}

export function InconsistencyList({ tenant }: { tenant: Tenant }) {
  if (tenant.inconsistencies.length === 0) {
    return (
      <Text size="xs" c="teal">
        The stores agree about this tenant.
      </Text>
    );
  }
  return (
    <Stack gap={4}>
      {tenant.inconsistencies.map((i) => (
        <Group key={`${i.kind}-${i.store}`} gap={6} wrap="nowrap" data-inconsistency={i.kind}>
          <Badge size="xs" color="orange" variant="light">
            {STORE_LABELS[i.store]}
          </Badge>
          <Text size="xs">{i.message}</Text>
        </Group>
      ))}
    </Stack>
  );
}
