import { Table, Text } from '@mantine/core';
import type { PlanRecord } from '@shared/contract/explain';
import { formatMs } from './format';

/** The workspace's kept plans, newest first; one opens on click. */
export function KeptPlans({ records, error, onOpen }: { records: PlanRecord[] | null; error: string | null; onOpen(planId: string): void }) {
  if (error) {
    return (
      <Text size="xs" c="dimmed">
        Kept plans could not be listed: {error}
      </Text>
    );
  }
  if (!records || records.length === 0) {
    return (
      <Text size="xs" c="dimmed">
        {records ? 'No plan kept yet: every run is kept here, per query and tenant.' : 'Reading kept plans…'}
      </Text>
    );
  }
  return (
    <div style={{ maxHeight: 220, overflow: 'auto' }}>
      <Table fz="xs" verticalSpacing={2} highlightOnHover aria-label="Kept plans">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>When</Table.Th>
            <Table.Th>Tenant</Table.Th>
            <Table.Th>Plan</Table.Th>
            <Table.Th>Statement</Table.Th>
            <Table.Th ta="right">Time</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {records.map((r) => (
            <Table.Tr key={r.id} data-plan-id={r.id} onClick={() => onOpen(r.id)} style={{ cursor: 'pointer' }}>
              <Table.Td style={{ whiteSpace: 'nowrap' }}>{r.at.slice(0, 19).replace('T', ' ')}</Table.Td>
              <Table.Td>{r.tenantId ?? '—'}</Table.Td>
              <Table.Td>{r.headline}</Table.Td>
              <Table.Td maw={320} style={{ overflow: 'hidden', textOverflow: 'ellipsis', whiteSpace: 'nowrap', fontFamily: 'var(--mantine-font-family-monospace)' }}>
                {r.statement}
              </Table.Td>
              <Table.Td ta="right">{formatMs(r.totalTimeMs)}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </div>
  );
}
