import { useState } from 'react';
import { Alert, Badge, Button, Group, Loader, Stack, Table, Text, Tooltip } from '@mantine/core';
import { Clock, RefreshCw, Wrench } from 'lucide-react';
import type { JobSummary } from '@shared/model/job';
import type { FamilyTtlState, RedisFamilyTtl, RedisRetention } from '@shared/model/retention';
import { api } from '../../api';
import { EmptyState } from '../../components/EmptyState';
import { formatAge, formatCount } from '../../lib/format';
import { useCall } from '../../lib/useCall';
import { JobLine } from './JobLine';
import { TtlHistogram } from './TtlHistogram';
import { useFollowedJob } from '../../lib/useFollowedJob';

const STATE_BADGE: Record<FamilyTtlState, { color: string; label: string }> = {
  ok: { color: 'teal', label: 'as prescribed' },
  missing_ttl: { color: 'red', label: 'no TTL' },
  ttl_too_long: { color: 'orange', label: 'too long' },
  both: { color: 'red', label: 'no TTL · too long' },
  unread: { color: 'gray', label: 'not sampled' },
};

/** A TTL in its largest unit: `1 d`, `60 min`, `57 s`. */
export function humanSeconds(value: number | null): string {
  if (value === null) return '—';
  if (value >= 86_400) return `${Math.round((value / 86_400) * 10) / 10} d`;
  if (value >= 3_600) return `${Math.round((value / 3_600) * 10) / 10} h`;
  if (value >= 60) return `${Math.round(value / 60)} min`;
  return `${value} s`;
}

/** Seconds as the blueprint gives a TTL: `86,400 s (1 d)`. */
export function seconds(value: number | null): string {
  if (value === null) return '—';
  return `${value.toLocaleString('en-US')} s${value >= 60 ? ` (${humanSeconds(value)})` : ''}`;
}

const NOWRAP = { whiteSpace: 'nowrap' } as const;

function FamilyRow({ family, canFix, onFix, fleet }: { family: RedisFamilyTtl; canFix: boolean; onFix(family: string): void; fleet: boolean }) {
  const badge = STATE_BADGE[family.state];
  return (
    <Table.Tr data-family={family.family} data-state={family.state}>
      <Table.Td>
        <Text size="sm" fw={500}>
          {family.family}
        </Text>
        <Text size="xs" c="dimmed" ff="monospace" style={NOWRAP}>
          {family.pattern ?? 'no family of the blueprint'}
        </Text>
      </Table.Td>
      <Table.Td>
        <Tooltip label={family.source ?? 'not in the blueprint'} disabled={!family.source}>
          <Text size="sm" style={NOWRAP}>
            {family.prescribedSeconds === null ? 'none: lives until removed' : seconds(family.prescribedSeconds)}
          </Text>
        </Tooltip>
      </Table.Td>
      <Table.Td ta="right">{formatCount(family.keys)}</Table.Td>
      <Table.Td>
        <TtlHistogram ttl={family.ttl} prescribed={family.prescribedSeconds !== null} label={`TTL distribution of ${family.family}`} />
      </Table.Td>
      <Table.Td ta="right" c={family.noTtl > 0 ? 'red' : undefined} data-testid="no-ttl">
        {formatCount(family.noTtl)}
      </Table.Td>
      <Table.Td ta="right" c={family.overPrescribed > 0 ? 'orange' : undefined}>
        {formatCount(family.overPrescribed)}
      </Table.Td>
      <Table.Td style={NOWRAP}>{humanSeconds(family.maxTtlSeconds)}</Table.Td>
      <Table.Td>
        <Badge size="sm" variant="light" color={badge.color}>
          {badge.label}
        </Badge>
        {fleet && family.tenantsAffected > 0 && (
          <Text size="xs" c="dimmed">
            {family.tenantsAffected} tenant(s)
          </Text>
        )}
      </Table.Td>
      <Table.Td>
        {canFix && family.prescribedSeconds !== null && family.noTtl > 0 && (
          <Button size="compact-xs" variant="light" leftSection={<Wrench size={12} />} onClick={() => onFix(family.family)}>
            Apply TTL
          </Button>
        )}
      </Table.Td>
    </Table.Tr>
  );
}

function FamilyTable({ families, canFix, onFix, label, fleet }: { families: RedisFamilyTtl[]; canFix: boolean; onFix(family: string): void; label: string; fleet: boolean }) {
  return (
    <Table striped highlightOnHover withTableBorder verticalSpacing={4} fz="sm" aria-label={label}>
      <Table.Thead>
        <Table.Tr>
          <Table.Th>Family</Table.Th>
          <Table.Th style={NOWRAP}>Blueprint TTL</Table.Th>
          <Table.Th ta="right">Keys</Table.Th>
          <Table.Th style={NOWRAP}>TTL left</Table.Th>
          <Table.Th ta="right" style={NOWRAP}>
            No TTL
          </Table.Th>
          <Table.Th ta="right">Over</Table.Th>
          <Table.Th>Longest</Table.Th>
          <Table.Th style={NOWRAP}>Against blueprint</Table.Th>
          <Table.Th />
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {families.map((f) => (
          <FamilyRow key={f.family} family={f} canFix={canFix} onFix={onFix} fleet={fleet} />
        ))}
      </Table.Tbody>
    </Table>
  );
}

/**
 * Redis key families against the blueprint's TTLs, fleet-wide and per tenant, from the namespace
 * map the tenant list also uses; "Apply TTL" starts the job that gives the blueprint's TTL to the
 * keys without one (every tenant from the family row, one tenant from its row).
 */
export function RedisTtlTab({ workspaceId, mayChange }: { workspaceId: string; mayChange: boolean }) {
  const [refresh, setRefresh] = useState(0);
  const [tenant, setTenant] = useState<string | null>(null);
  const view = useCall((signal) => api().retention.redis({ workspaceId, refresh: refresh > 0, limit: 200 }, { signal }), [workspaceId, refresh]);
  const [started, setStarted] = useState<JobSummary | null>(null);
  const [error, setError] = useState<string | null>(null);
  const job = useFollowedJob(started);

  async function fix(family: string, tenantId?: string): Promise<void> {
    setError(null);
    try {
      setStarted(await api().retention.fixRedisTtl(tenantId ? { workspaceId, family, tenantId } : { workspaceId, family, allTenants: true }));
    } catch (failure) {
      setError(failure instanceof Error ? failure.message : String(failure));
    }
  }

  if (view.loading && !view.data) return <Loader size="sm" m="md" aria-label="Reading the namespace map" />;
  if (view.error) return <Alert color="red" variant="light" title="Redis TTLs could not be read">{view.error}</Alert>;
  const data: RedisRetention | null = view.data;
  if (!data) return null;
  if (!data.available) {
    return (
      <EmptyState icon={<Clock size={22} />} title="Redis is not available">
        {data.reason}
      </EmptyState>
    );
  }
  const selected = tenant ? data.tenants.find((t) => t.tenantId === tenant) : undefined;
  return (
    <Stack gap="sm">
      <Group gap="sm" justify="space-between">
        <Text size="xs" c="dimmed" data-testid="map-note">
          {formatCount(data.totalKeys)} keys, walked {formatAge(data.builtAt)};{' '}
          {data.ttlIsEstimate ? `TTLs sampled from ${formatCount(data.ttlSampled)} keys, counts scaled` : 'every TTL read'} · {data.tenantsWithFindings} tenant(s) with findings
        </Text>
        <Button size="compact-xs" variant="default" leftSection={<RefreshCw size={12} />} loading={view.loading} onClick={() => setRefresh((n) => n + 1)}>
          Walk again
        </Button>
      </Group>
      {error && (
        <Alert color="red" variant="light" p="xs" title="The fix was not started">
          {error}
        </Alert>
      )}
      {job && <JobLine job={job} />}
      <FamilyTable families={data.families} canFix={mayChange} onFix={(family) => void fix(family)} label="Key families, every tenant" fleet />
      <Text size="sm" fw={600} mt="xs">
        Tenants with keys lacking a prescribed TTL or over it
      </Text>
      {data.tenants.length === 0 ? (
        <Text size="sm" c="dimmed">
          Every tenant's keys carry the TTLs the blueprint prescribes.
        </Text>
      ) : (
        <Table highlightOnHover withTableBorder verticalSpacing={4} fz="sm" aria-label="Tenants with findings">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Tenant</Table.Th>
              <Table.Th ta="right">Keys</Table.Th>
              <Table.Th ta="right">No TTL</Table.Th>
              <Table.Th ta="right">Over</Table.Th>
              <Table.Th>Families</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {data.tenants.map((t) => (
              <Table.Tr key={t.tenantId} data-tenant={t.tenantId} onClick={() => setTenant(t.tenantId === tenant ? null : t.tenantId)} style={{ cursor: 'pointer' }} bg={t.tenantId === tenant ? 'var(--mantine-color-dark-5)' : undefined}>
                <Table.Td ff="monospace" fz="xs">
                  {t.tenantId}
                </Table.Td>
                <Table.Td ta="right">{formatCount(t.keys)}</Table.Td>
                <Table.Td ta="right" c={t.noTtl > 0 ? 'red' : undefined}>
                  {formatCount(t.noTtl)}
                </Table.Td>
                <Table.Td ta="right" c={t.overPrescribed > 0 ? 'orange' : undefined}>
                  {formatCount(t.overPrescribed)}
                </Table.Td>
                <Table.Td>
                  <Group gap={4}>
                    {t.families
                      .filter((f) => f.noTtl > 0 || f.overPrescribed > 0)
                      .map((f) => (
                        <Badge key={f.family} size="xs" variant="light" color={STATE_BADGE[f.state].color}>
                          {f.family} {f.noTtl > 0 ? `${f.noTtl} no TTL` : `${f.overPrescribed} over`}
                        </Badge>
                      ))}
                  </Group>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      {selected && (
        <Stack gap={4}>
          <Text size="sm" fw={600}>
            Tenant {selected.tenantId}
          </Text>
          <FamilyTable families={selected.families} canFix={mayChange} onFix={(family) => void fix(family, selected.tenantId)} label={`Key families of ${selected.tenantId}`} fleet={false} />
        </Stack>
      )}
    </Stack>
  );
}
