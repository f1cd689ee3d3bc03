import { useCallback, useState } from 'react';
import { Button, Grid, Group, Paper, Progress, SimpleGrid, Stack, Table, Text, UnstyledButton } from '@mantine/core';
import { RefreshCw, X } from 'lucide-react';
import type { ListedKey } from '@shared/contract/tenants';
import { TTL_BUCKETS, type NamespaceMap, type TtlBucket } from '@shared/model/tenant';
import { formatAge, formatBytes, formatCount } from '../../lib/format';
import { KeyList } from './KeyList';
import { KeyValueView } from './KeyValueView';
import { countNote, samplingNote } from './namespace-notes';
import { useNamespaceMap } from './useNamespaceMap';

const TTL_LABELS: Record<TtlBucket, string> = { none: 'no TTL', under_1m: '< 1 min', under_1h: '< 1 h', under_1d: '< 1 day', longer: '≥ 1 day' };

function Figure({ label, value }: { label: string; value: string }) {
  return (
    <div data-figure={label}>
      <Text size="xs" c="dimmed">
        {label}
      </Text>
      <Text size="sm" fw={600}>
        {value}
      </Text>
    </div>
  );
}

function familyBytes(map: NamespaceMap, family: string, keys: number): number {
  return (map.families.find((f) => f.name === family)?.meanBytes ?? 0) * keys;
}

/**
 * A tenant's Redis keys: its share of the namespace map (families, memory estimate, TTL buckets),
 * a key browser by family, and the value of the key chosen.
 */
export function RedisKeys({ workspaceId, tenantId }: { workspaceId: string; tenantId: string }) {
  const ns = useNamespaceMap(workspaceId);
  const [family, setFamily] = useState<string | null>(null);
  const [selected, setSelected] = useState<ListedKey | null>(null);
  const [listing, setListing] = useState(0);
  const [listed, setListed] = useState<{ family: string | null; count: number } | null>(null);
  const mine = ns.map?.tenants.find((t) => t.id === tenantId);
  const families = mine ? Object.entries(mine.families).sort((a, b) => b[1] - a[1]) : [];
  const onListed = useCallback((count: number, complete: boolean) => setListed(complete ? { family, count } : null), [family]);
  const mapCount = mine ? (family === null ? mine.keys : (mine.families[family] ?? 0)) : 0;
  const note = ns.map && mine && listed && listed.family === family ? countNote(ns.map, mapCount, listed.count) : null;
  const approx = ns.map?.ttlIsEstimate ? '~' : '';

  return (
    <Stack gap="sm">
      <Paper withBorder p="xs" radius="sm" aria-label="Namespace map">
        <Group justify="space-between" wrap="nowrap" mb={6}>
          <Text size="xs" c="dimmed" data-map-age>
            {ns.map
              ? `Namespace map built ${formatAge(ns.map.builtAt)} · ${formatCount(ns.map.totalKeys)} keys in ${ns.map.scanCalls} SCAN calls, ${Math.round(ns.map.durationMs)} ms`
              : ns.walking
                ? 'Walking the keyspace…'
                : 'No namespace map yet'}
          </Text>
          <Group gap={6}>
            {ns.walking && (
              <Button size="compact-xs" variant="default" color="red" leftSection={<X size={12} />} onClick={ns.cancel}>
                Cancel
              </Button>
            )}
            <Button size="compact-xs" variant="default" leftSection={<RefreshCw size={12} />} disabled={ns.walking} onClick={() => ns.load(true)}>
              Refresh map
            </Button>
          </Group>
        </Group>
        {ns.walking && ns.progress && (
          <Group gap="xs" wrap="nowrap" mb={6}>
            <Progress
              style={{ flex: 1 }}
              size="sm"
              value={ns.progress.keysTotal ? Math.min(100, (100 * ns.progress.keysSeen) / ns.progress.keysTotal) : 0}
              aria-label="Walk progress"
            />
            <Text size="xs" c="dimmed">
              {formatCount(ns.progress.keysSeen)}
              {ns.progress.keysTotal !== null && ` of ${formatCount(ns.progress.keysTotal)}`} keys
            </Text>
          </Group>
        )}
        {ns.error && (
          <Text size="xs" c="red" mb={6}>
            {ns.error}
          </Text>
        )}
        {ns.map && !mine && (
          <Text size="xs" c="dimmed">
            No keys under this tenant’s prefix.
          </Text>
        )}
        {mine && ns.map && (
          <SimpleGrid cols={{ base: 3, md: 7 }} spacing="xs">
            <Figure label="Keys" value={formatCount(mine.keys)} />
            <Figure label="Memory (estimate)" value={`~${formatBytes(mine.bytesEstimate)}`} />
            {TTL_BUCKETS.map((bucket) => (
              <Figure key={bucket} label={TTL_LABELS[bucket]} value={`${approx}${formatCount(mine.ttl[bucket])}`} />
            ))}
          </SimpleGrid>
        )}
        {mine && ns.map && (
          <Text size="xs" c="dimmed" mt={6} data-sampling>
            {samplingNote(ns.map)}
          </Text>
        )}
      </Paper>
      {ns.map && mine && (
        <Grid gap="sm">
          <Grid.Col span={{ base: 12, md: 3 }}>
            <Table fz="xs" verticalSpacing={3} horizontalSpacing="xs" highlightOnHover aria-label="Key families">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Family</Table.Th>
                  <Table.Th ta="right">Keys</Table.Th>
                  <Table.Th ta="right">Memory</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {[['all', mine.keys] as const, ...families].map(([name, keys]) => {
                  const value = name === 'all' ? null : name;
                  const active = family === value;
                  return (
                    <Table.Tr key={name} bg={active ? 'var(--mantine-primary-color-light)' : undefined} data-family={name}>
                      <Table.Td>
                        <UnstyledButton fz="xs" fw={active ? 700 : 400} onClick={() => setFamily(value)} aria-label={`Browse ${name === 'all' ? 'all keys' : name}`}>
                          {name === 'all' ? 'all keys' : name}
                        </UnstyledButton>
                      </Table.Td>
                      <Table.Td ta="right">{formatCount(keys)}</Table.Td>
                      <Table.Td ta="right" c="dimmed">
                        {name === 'all' ? formatBytes(mine.bytesEstimate) : formatBytes(familyBytes(ns.map as NamespaceMap, name, keys))}
                      </Table.Td>
                    </Table.Tr>
                  );
                })}
              </Table.Tbody>
            </Table>
          </Grid.Col>
          <Grid.Col span={{ base: 12, md: 5 }}>
            <KeyList
              workspaceId={workspaceId}
              tenantId={tenantId}
              family={family}
              selected={selected?.keyRef ?? null}
              onSelect={setSelected}
              reloadToken={listing}
              onListed={onListed}
            />
            {note && (
              <Text size="xs" c="orange" mt={4} data-count-note>
                {note}
              </Text>
            )}
          </Grid.Col>
          <Grid.Col span={{ base: 12, md: 4 }}>
            {selected ? (
              <KeyValueView
                workspaceId={workspaceId}
                tenantId={tenantId}
                listed={selected}
                onKeyNameUnmasked={() => setListing((n) => n + 1)}
              />
            ) : (
              <Text size="xs" c="dimmed" p="sm">
                Choose a key to see its value and TTL.
              </Text>
            )}
          </Grid.Col>
        </Grid>
      )}
    </Stack>
  );
}
