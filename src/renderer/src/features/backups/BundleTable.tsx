import { Badge, Group, Table, Text, Tooltip } from '@mantine/core';
import { Lock } from 'lucide-react';
import type { BundleEntry } from '@shared/contract/backups';
import { STORE_LABELS } from '@shared/model/workspace';
import { formatBytes, formatShortTime } from '../../lib/format';
import { STATUS_COLORS, STATUS_LABELS } from './backup-state';

/** A bundle's status badge, with why when it is incomplete or failed its verify. */
export function StatusBadge({ entry }: { entry: BundleEntry }) {
  const why = entry.status === 'incomplete' ? entry.problem : entry.status === 'verify_failed' ? (entry.verification?.problems[0] ?? null) : null;
  const badge = (
    <Badge size="xs" variant="light" color={STATUS_COLORS[entry.status]} data-testid="bundle-status">
      {STATUS_LABELS[entry.status]}
    </Badge>
  );
  return why ? <Tooltip label={why} multiline maw={420} withArrow>{badge}</Tooltip> : badge;
}

export function HoldLock({ entry }: { entry: BundleEntry }) {
  if (!entry.legalHold) return null;
  return (
    <Tooltip label={`Legal hold: ${entry.legalHold.reason} (${entry.legalHold.operator}, ${formatShortTime(entry.legalHold.at)})`} multiline maw={420} withArrow>
      <Lock size={13} color="var(--mantine-color-yellow-5)" aria-label="Under legal hold" data-testid="legal-hold" />
    </Tooltip>
  );
}

/** The catalog: one row a bundle, newest first as given; a click opens the bundle. */
export function BundleTable({ bundles, onOpen }: { bundles: readonly BundleEntry[]; onOpen(bundleId: string): void }) {
  return (
    <Table fz="xs" verticalSpacing={4} highlightOnHover aria-label="Bundles" stickyHeader>
      <Table.Thead>
        <Table.Tr>
          <Table.Th w={130}>Started</Table.Th>
          <Table.Th>Tenant</Table.Th>
          <Table.Th>Stores</Table.Th>
          <Table.Th w={80} ta="right">
            Size
          </Table.Th>
          <Table.Th w={130}>Status</Table.Th>
          <Table.Th w={28} aria-label="Legal hold" />
          <Table.Th>Operator</Table.Th>
          <Table.Th>Bundle</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {bundles.map((entry) => (
          <Table.Tr
            key={entry.bundleId}
            data-bundle-id={entry.bundleId}
            data-status={entry.status}
            style={{ cursor: 'pointer' }}
            tabIndex={0}
            aria-label={`Open bundle ${entry.bundleId}`}
            onClick={() => onOpen(entry.bundleId)}
            onKeyDown={(event) => {
              if (event.key === 'Enter') onOpen(entry.bundleId);
            }}
          >
            <Table.Td style={{ whiteSpace: 'nowrap' }}>{formatShortTime(entry.startedAt)}</Table.Td>
            <Table.Td>
              <Text size="xs" ff="monospace" truncate maw={300}>
                {entry.tenantId ?? '—'}
              </Text>
            </Table.Td>
            <Table.Td>
              <Group gap={4} wrap="nowrap">
                {entry.stores.map((store) => (
                  <Badge key={store} size="xs" variant="outline" color="gray">
                    {STORE_LABELS[store]}
                  </Badge>
                ))}
              </Group>
            </Table.Td>
            <Table.Td ta="right" style={{ whiteSpace: 'nowrap' }}>
              {formatBytes(entry.sizeBytes)}
            </Table.Td>
            <Table.Td>
              <StatusBadge entry={entry} />
            </Table.Td>
            <Table.Td>
              <HoldLock entry={entry} />
            </Table.Td>
            <Table.Td>
              <Text size="xs" truncate maw={160}>
                {entry.operator ?? '—'}
              </Text>
            </Table.Td>
            <Table.Td>
              <Text size="xs" ff="monospace" c="dimmed" truncate maw={260}>
                {entry.bundleId}
              </Text>
            </Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}
