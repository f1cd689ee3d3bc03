import { Badge, Group, Paper, SimpleGrid, Stack, Table, Text } from '@mantine/core';
import type { BundlePart } from '@shared/model/backup';
import { STORE_LABELS } from '@shared/model/workspace';
import { formatBytes, formatCount, formatShortTime } from '../../lib/format';
import { formatDuration, shortDigest, totalOf } from './backup-state';

/** What each store's counts are counts of. */
const COUNTED: Record<BundlePart['store'], [string, string]> = {
  postgres: ['Table', 'Rows'],
  mongo: ['Collection', 'Documents'],
  redis: ['Key family', 'Keys'],
  elastic: ['Index', 'Documents'],
};

/** `pg_dump 15.8`; a version string that already names its tool (`pg_dump (PostgreSQL) 15.18`) is shown as it is. */
export function toolLabel(tool: { name: string; version: string }): string {
  return tool.version.startsWith(tool.name) ? tool.version : `${tool.name} ${tool.version}`;
}

/** One store's part of a manifest: when and how it was taken, its counts, and its files with their digests. */
export function ManifestPart({ part }: { part: BundlePart }) {
  const [what, unit] = COUNTED[part.store];
  const counts = Object.entries(part.counts).sort(([a], [b]) => a.localeCompare(b));
  const bytes = part.files.reduce((sum, f) => sum + f.bytes, 0);
  return (
    <Paper withBorder p="sm" role="region" aria-label={`${STORE_LABELS[part.store]} part`} data-part={part.store}>
      <Stack gap={6}>
        <Group gap="xs" wrap="wrap">
          <Text size="sm" fw={600}>
            {STORE_LABELS[part.store]}
          </Text>
          <Badge size="xs" variant="outline" color="gray">
            {part.format}
          </Badge>
          <Text size="xs" c="dimmed">
            server {part.server.version}
            {part.tool ? ` · ${toolLabel(part.tool)}` : ''}
          </Text>
          <Text size="xs" c="dimmed">
            {formatShortTime(part.startedAt)} · {formatDuration(part.startedAt, part.endedAt)}
          </Text>
        </Group>
        {/* Each table in a box of its own: a grid cell would stretch the shorter table's rows to the taller one's height. */}
        <SimpleGrid cols={{ base: 1, lg: 2 }} spacing="sm">
          <div>
            <Table fz="xs" verticalSpacing={2} aria-label={`${STORE_LABELS[part.store]} counts`}>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{what}</Table.Th>
                  <Table.Th ta="right" w={90}>
                    {unit}
                  </Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {counts.map(([name, count]) => (
                  <Table.Tr key={name} data-count={name}>
                    <Table.Td>
                      <Text size="xs" ff="monospace" truncate>
                        {name}
                      </Text>
                    </Table.Td>
                    <Table.Td ta="right">{formatCount(count)}</Table.Td>
                  </Table.Tr>
                ))}
                <Table.Tr>
                  <Table.Td fw={600}>{counts.length} in all</Table.Td>
                  <Table.Td ta="right" fw={600} data-testid={`total-${part.store}`}>
                    {formatCount(totalOf(part.counts))}
                  </Table.Td>
                </Table.Tr>
              </Table.Tbody>
            </Table>
          </div>
          <div>
            <Table fz="xs" verticalSpacing={2} aria-label={`${STORE_LABELS[part.store]} files`}>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>File</Table.Th>
                  <Table.Th ta="right" w={80}>
                    Size
                  </Table.Th>
                  <Table.Th w={120}>SHA-256</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {part.files.map((file) => (
                  <Table.Tr key={file.path} data-file={file.path}>
                    <Table.Td>
                      <Text size="xs" ff="monospace" truncate>
                        {file.path}
                      </Text>
                    </Table.Td>
                    <Table.Td ta="right">{formatBytes(file.bytes)}</Table.Td>
                    <Table.Td>
                      <Text size="xs" ff="monospace" c="dimmed" title={file.sha256}>
                        {shortDigest(file.sha256)}
                      </Text>
                    </Table.Td>
                  </Table.Tr>
                ))}
                <Table.Tr>
                  <Table.Td fw={600}>{part.files.length} file(s)</Table.Td>
                  <Table.Td ta="right" fw={600}>
                    {formatBytes(bytes)}
                  </Table.Td>
                  <Table.Td />
                </Table.Tr>
              </Table.Tbody>
            </Table>
          </div>
        </SimpleGrid>
      </Stack>
    </Paper>
  );
}
