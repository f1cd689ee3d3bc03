import { Badge, Table, Text } from '@mantine/core';
import type { BundlePart } from '@shared/model/backup';
import { STORE_LABELS } from '@shared/model/workspace';
import { formatCount } from '../../lib/format';
import { totalOf, type RestoredPart } from './backup-state';

/**
 * Where a restore put each part and what it read back, beside the manifest's counts: the restored
 * copy's own evidence, since the tenant browser opens tenants by id and not a schema by name.
 */
export function RestoredCounts({ restored, parts }: { restored: readonly RestoredPart[]; parts: readonly BundlePart[] }) {
  return (
    <Table fz="xs" verticalSpacing={2} aria-label="Restored counts" data-testid="restored-counts">
      <Table.Thead>
        <Table.Tr>
          <Table.Th w={120}>Store</Table.Th>
          <Table.Th>Restored into</Table.Th>
          <Table.Th ta="right" w={100}>
            Restored
          </Table.Th>
          <Table.Th ta="right" w={120} style={{ whiteSpace: 'nowrap' }}>
            In the manifest
          </Table.Th>
          <Table.Th w={90} />
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {restored.map((part) => {
          const expected = parts.find((p) => p.store === part.store);
          const want = expected ? totalOf(expected.counts) : null;
          const got = totalOf(part.counts);
          const differing = expected ? Object.keys(expected.counts).filter((name) => expected.counts[name] !== part.counts[name]) : [];
          return (
            <Table.Tr key={part.store} data-restored={part.store}>
              <Table.Td>{STORE_LABELS[part.store]}</Table.Td>
              <Table.Td>
                <Text size="xs" ff="monospace" data-testid="restored-target">
                  {part.target}
                </Text>
              </Table.Td>
              <Table.Td ta="right" data-testid="restored-total">
                {formatCount(got)}
              </Table.Td>
              <Table.Td ta="right">{want === null ? '—' : formatCount(want)}</Table.Td>
              <Table.Td>
                {want !== null && (
                  <Badge size="xs" variant="light" color={differing.length === 0 ? 'teal' : 'red'} title={differing.join(', ')}>
                    {differing.length === 0 ? 'match' : `${differing.length} differ`}
                  </Badge>
                )}
              </Table.Td>
            </Table.Tr>
          );
        })}
      </Table.Tbody>
    </Table>
  );
}
