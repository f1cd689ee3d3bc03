import { useState } from 'react';
import { Alert, Badge, Button, Group, Loader, Stack, Table, Text, TextInput } from '@mantine/core';
import { Archive, Database, Trash2 } from 'lucide-react';
import { dropConfirmation } from '@shared/contract/retention';
import type { JobSummary } from '@shared/model/job';
import type { MongoBucketFamily, MongoRetention, TtlIndexState } from '@shared/model/retention';
import { api } from '../../api';
import { ConfirmDanger } from '../../components/ConfirmDanger';
import { EmptyState } from '../../components/EmptyState';
import { formatBytes, formatCount } from '../../lib/format';
import { useCall } from '../../lib/useCall';
import { JobLine } from './JobLine';
import { seconds } from './RedisTtlTab';
import { useFollowedJob } from '../../lib/useFollowedJob';

const TTL_BADGE: Record<TtlIndexState, { color: string; label: string }> = {
  ok: { color: 'teal', label: 'as prescribed' },
  missing: { color: 'red', label: 'missing' },
  wrong_seconds: { color: 'orange', label: 'other seconds' },
  not_ttl: { color: 'red', label: 'not a TTL index' },
  unexpected: { color: 'yellow', label: 'not prescribed' },
  no_collection: { color: 'gray', label: 'no collection yet' },
};

function BucketRow({ family, mayChange, onDrop }: { family: MongoBucketFamily; mayChange: boolean; onDrop(family: MongoBucketFamily): void }) {
  const expired = family.buckets.filter((b) => b.expired);
  const sized = family.buckets.some((b) => b.documents !== null);
  return (
    <Table.Tr data-tenant={family.tenantId} data-family={family.family}>
      <Table.Td ff="monospace" fz="xs">
        {family.tenantId}
      </Table.Td>
      <Table.Td>{family.family}</Table.Td>
      <Table.Td>
        <Group gap={3}>
          {family.buckets.map((b) => (
            <Badge key={b.month} size="xs" variant={b.expired ? 'filled' : 'light'} color={b.expired ? 'orange' : 'blue'} title={sized ? `${formatCount(b.documents ?? 0)} documents, ${formatBytes(b.bytes ?? 0)}` : b.collection}>
              {b.month}
            </Badge>
          ))}
          {family.missingMonths.map((m) => (
            <Badge key={`missing-${m}`} size="xs" variant="outline" color="red" title="no bucket for this month inside the retention">
              {m} missing
            </Badge>
          ))}
        </Group>
      </Table.Td>
      {sized && (
        <Table.Td ta="right">
          {formatCount(family.buckets.reduce((sum, b) => sum + (b.documents ?? 0), 0))} · {formatBytes(family.buckets.reduce((sum, b) => sum + (b.bytes ?? 0), 0))}
        </Table.Td>
      )}
      <Table.Td>
        kept from {family.keepFrom} ({family.retentionMonths} months)
      </Table.Td>
      <Table.Td>
        {mayChange && expired.length > 0 && (
          <Button size="compact-xs" color="red" variant="light" leftSection={<Archive size={12} />} onClick={() => onDrop(family)}>
            Export then drop {expired.length}
          </Button>
        )}
      </Table.Td>
    </Table.Tr>
  );
}

/**
 * MongoDB time buckets and TTL indexes against the blueprint. The fleet reads collection names
 * only; naming a tenant reads each bucket's count and size. Expired buckets are offered for
 * export-then-drop behind a typed confirmation.
 */
export function MongoBucketsTab({ workspaceId, mayChange }: { workspaceId: string; mayChange: boolean }) {
  const [tenantInput, setTenantInput] = useState('');
  const [tenantId, setTenantId] = useState<string | undefined>(undefined);
  const view = useCall((signal) => api().retention.mongo({ workspaceId, ...(tenantId ? { tenantId } : {}) }, { signal }), [workspaceId, tenantId]);
  const [dropping, setDropping] = useState<MongoBucketFamily | null>(null);
  const [started, setStarted] = useState<JobSummary | null>(null);
  const job = useFollowedJob(started);

  if (view.loading && !view.data) return <Loader size="sm" m="md" aria-label="Reading MongoDB" />;
  if (view.error) return <Alert color="red" variant="light" title="MongoDB could not be read">{view.error}</Alert>;
  const data: MongoRetention | null = view.data;
  if (!data) return null;
  if (!data.available) {
    return (
      <EmptyState icon={<Database size={22} />} title="MongoDB is not available">
        {data.reason} Buckets and TTL indexes show here once the workspace’s MongoDB answers.
      </EmptyState>
    );
  }
  const months = dropping ? dropping.buckets.filter((b) => b.expired).map((b) => b.month) : [];
  const ttlFindings = data.ttl.filter((c) => c.state !== 'ok');
  return (
    <Stack gap="sm">
      <Group gap="sm" align="end">
        <TextInput size="xs" label="Tenant (sizes from $collStats)" placeholder="all tenants: names only" value={tenantInput} onChange={(e) => setTenantInput(e.currentTarget.value)} w={340} />
        <Button size="xs" variant="default" onClick={() => setTenantId(tenantInput.trim() || undefined)}>
          {tenantInput.trim() ? 'Show tenant' : 'Show fleet'}
        </Button>
        <Text size="xs" c="dimmed">
          {data.database} · {data.tenants} tenant(s) · now {data.now} · {data.rules.map((r) => `${r.family}: monthly, kept ${r.retentionMonths} months (${r.source})`).join('; ') || 'the blueprint keeps no monthly buckets'}
        </Text>
      </Group>
      {job && <JobLine job={job} />}
      <Text size="sm" fw={600}>
        Monthly buckets
      </Text>
      {data.buckets.length === 0 ? (
        <Text size="sm" c="dimmed">
          No monthly bucket found{tenantId ? ` for ${tenantId}` : ''}.
        </Text>
      ) : (
        <Table withTableBorder verticalSpacing={4} fz="sm" aria-label="Monthly buckets">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Tenant</Table.Th>
              <Table.Th>Family</Table.Th>
              <Table.Th>Months</Table.Th>
              {data.withSizes && <Table.Th ta="right">Documents · size</Table.Th>}
              <Table.Th>Retention</Table.Th>
              <Table.Th />
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {data.buckets.map((family) => (
              <BucketRow key={`${family.tenantId}-${family.family}`} family={family} mayChange={mayChange} onDrop={setDropping} />
            ))}
          </Table.Tbody>
        </Table>
      )}
      <Text size="sm" fw={600}>
        TTL indexes {ttlFindings.length > 0 ? `· ${ttlFindings.length} finding(s)` : ''}
      </Text>
      <Table withTableBorder verticalSpacing={4} fz="sm" aria-label="TTL indexes">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Tenant</Table.Th>
            <Table.Th>Collection</Table.Th>
            <Table.Th>Index</Table.Th>
            <Table.Th>Blueprint</Table.Th>
            <Table.Th>Found</Table.Th>
            <Table.Th>State</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {data.ttl.slice(0, 500).map((c) => (
            <Table.Tr key={`${c.collection}-${c.index}`} data-state={c.state}>
              <Table.Td ff="monospace" fz="xs">
                {c.tenantId ?? 'every tenant'}
              </Table.Td>
              <Table.Td>{c.family}</Table.Td>
              <Table.Td ff="monospace" fz="xs">
                {c.index}
                {c.field ? ` (${c.field})` : ''}
              </Table.Td>
              <Table.Td>{c.prescribedSeconds === null ? 'none' : seconds(c.prescribedSeconds)}</Table.Td>
              <Table.Td>{c.liveSeconds === null ? '—' : seconds(c.liveSeconds)}</Table.Td>
              <Table.Td>
                <Badge size="sm" variant="light" color={TTL_BADGE[c.state].color}>
                  {TTL_BADGE[c.state].label}
                </Badge>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      <ConfirmDanger
        opened={dropping !== null}
        title="Export, then drop expired buckets"
        confirmText={dropping ? dropConfirmation(months, dropping.family) : ''}
        actionLabel="Export then drop"
        onCancel={() => setDropping(null)}
        onConfirm={async (typed) => {
          if (!dropping) return;
          setStarted(await api().retention.exportDrop({ workspaceId, tenantId: dropping.tenantId, family: dropping.family, months, confirm: typed }));
          setDropping(null);
        }}
      >
        <Stack gap={4}>
          <Text size="sm">
            {months.length} bucket(s) of {dropping?.family} in tenant {dropping?.tenantId} are older than the {dropping?.retentionMonths}-month retention: {months.join(', ')}.
          </Text>
          <Text size="sm" c="dimmed">
            Each is exported as gzip Extended JSON with its SHA-256, read back and counted; only then is it dropped. A cancel before a drop leaves that collection.
          </Text>
          <Group gap={4}>
            <Trash2 size={14} />
            <Text size="xs">Dropping cannot be undone; the export is the way back.</Text>
          </Group>
        </Stack>
      </ConfirmDanger>
    </Stack>
  );
}
