import { useState } from 'react';
import { Alert, Badge, Button, Group, MultiSelect, Progress, SegmentedControl, Stack, Switch, Table, Text, Textarea } from '@mantine/core';
import { Rocket } from 'lucide-react';
import type { FleetExplainResult } from '@shared/contract/explain';
import { api } from '../../api';
import { formatMs, formatRows } from './format';
import { useFleetJob } from './useFleetJob';
import type { TenantChoice } from './useTenantChoices';

export interface FleetPanelProps {
  workspaceId: string;
  tenants: TenantChoice[];
  initialStatement?: string;
  /** The job to show at first, when the screen comes back to one. */
  jobId: string | null;
  onJob(jobId: string): void;
  onOpenPlan(planId: string): void;
}

/**
 * One PostgreSQL statement explained in every tenant, or a chosen few, as a job: its progress, then
 * the tenants grouped by plan shape — the usual plan, the ones that differ from most, the slowest
 * and the failed — and each group's plan one click away. Working across tenants asks for a reason
 * first, as every cross-tenant read does.
 */
export function FleetPanel({ workspaceId, tenants, initialStatement, jobId, onJob, onOpenPlan }: FleetPanelProps) {
  const [statement, setStatement] = useState(initialStatement ?? '');
  const [scope, setScope] = useState<'all' | 'some'>('all');
  const [chosen, setChosen] = useState<string[]>([]);
  const [analyze, setAnalyze] = useState(false);
  const [starting, setStarting] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const job = useFleetJob(workspaceId, jobId);

  async function start(): Promise<void> {
    setStarting(true);
    setError(null);
    try {
      const summary = await api().explain.fleet({
        workspaceId,
        engine: 'postgres',
        statement,
        analyze,
        ...(scope === 'all' ? { allTenants: true as const } : { tenantIds: chosen }),
      });
      onJob(summary.id);
    } catch (failure) {
      setError(failure instanceof Error ? failure.message : String(failure));
    } finally {
      setStarting(false);
    }
  }

  const ready = statement.trim() !== '' && (scope === 'all' || chosen.length > 0);
  const running = job.state === 'queued' || job.state === 'running';
  return (
    <Stack gap="sm">
      <form
        aria-label="Fleet explain"
        onSubmit={(event) => {
          event.preventDefault();
          if (ready) void start();
        }}
      >
        <Stack gap={6}>
          <Textarea
            label="Statement (PostgreSQL)"
            size="xs"
            
            rows={3}
            value={statement}
            onChange={(e) => setStatement(e.currentTarget.value)}
            styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)' } }}
            spellCheck={false}
          />
          <Group gap="xs" align="flex-end" wrap="nowrap">
            <SegmentedControl size="xs" aria-label="Which tenants" value={scope} onChange={(v) => setScope(v as 'all' | 'some')} data={[{ value: 'all', label: 'All tenants' }, { value: 'some', label: 'Chosen tenants' }]} />
            {scope === 'some' && <MultiSelect size="xs" aria-label="Tenants to explain" placeholder="Tenants" searchable data={tenants} value={chosen} onChange={setChosen} style={{ flex: 1 }} maxValues={100_000} />}
            <Switch size="xs" label="ANALYZE (read statements only)" checked={analyze} onChange={(e) => setAnalyze(e.currentTarget.checked)} mb={6} />
            <div style={{ flex: scope === 'some' ? 0 : 1 }} />
            <Button size="xs" type="submit" leftSection={<Rocket size={13} />} loading={starting} disabled={!ready || running}>
              Explain across tenants
            </Button>
          </Group>
        </Stack>
      </form>
      {error && (
        <Alert color="red" variant="light" p="xs" title="The fleet explain did not start">
          {error}
        </Alert>
      )}
      {jobId && (
        <Stack gap={4} data-testid="fleet-job" data-state={job.state ?? 'unknown'}>
          <Group gap="xs">
            <Badge variant="light" color={job.state === 'succeeded' ? 'teal' : job.state === 'failed' ? 'red' : 'blue'}>
              {job.state ?? 'starting'}
            </Badge>
            <Text size="xs" c="dimmed">
              {job.progress ? `${formatRows(job.progress.done)} of ${job.progress.total === null ? '?' : formatRows(job.progress.total)} · ${job.progress.phase}` : 'Waiting for the job…'}
            </Text>
          </Group>
          {job.progress?.total ? <Progress size="sm" value={(job.progress.done / job.progress.total) * 100} animated={running} /> : null}
          {job.failure && (
            <Text size="xs" c="red">
              {job.failure}
            </Text>
          )}
          {job.error && !job.result && (
            <Text size="xs" c="dimmed">
              {job.error}
            </Text>
          )}
        </Stack>
      )}
      {job.result && <FleetResultView result={job.result} names={new Map(tenants.map((t) => [t.value, t.label]))} onOpenPlan={onOpenPlan} />}
    </Stack>
  );
}

function FleetResultView({ result, names, onOpenPlan }: { result: FleetExplainResult; names: ReadonlyMap<string, string>; onOpenPlan(planId: string): void }) {
  // Plain EXPLAIN measures nothing: the plans group by shape, but only ANALYZE ranks tenants by time.
  const timed = result.groups.some((g) => g.maxTimeMs !== null);
  return (
    <Stack gap="sm">
      <Text size="sm" data-testid="fleet-summary">
        {formatRows(result.tenantsExplained)} of {formatRows(result.tenantsAsked)} tenants explained · {result.groups.length} plan shape{result.groups.length === 1 ? '' : 's'}
        {result.failed.length > 0 && ` · ${formatRows(result.failed.length)} failed`}
      </Text>
      <Table fz="xs" verticalSpacing={4} aria-label="Plan shapes">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Plan</Table.Th>
            <Table.Th ta="right">Tenants</Table.Th>
            {timed && <Table.Th ta="right">Median</Table.Th>}
            {timed && <Table.Th ta="right">Max</Table.Th>}
            <Table.Th />
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {result.groups.map((g) => (
            <Table.Tr key={g.shape} data-shape={g.shape} data-differs={g.differsFromMost} bg={g.differsFromMost ? 'var(--mantine-color-orange-light)' : undefined}>
              <Table.Td>
                <Group gap={6} wrap="nowrap">
                  {g.differsFromMost ? (
                    <Badge size="xs" color="orange">
                      differs from most
                    </Badge>
                  ) : (
                    <Badge size="xs" color="gray" variant="light">
                      usual plan
                    </Badge>
                  )}
                  <Text size="xs" fw={600}>
                    {g.headline}
                  </Text>
                </Group>
                {g.differsFromMost && (
                  <Text size="xs" c="dimmed" mt={2} data-testid="group-tenants">
                    {g.tenantIds.slice(0, 12).join(', ')}
                    {g.tenantIds.length > 12 && ` and ${formatRows(g.tenantIds.length - 12)} more`}
                  </Text>
                )}
              </Table.Td>
              <Table.Td ta="right">{formatRows(g.tenantIds.length)}</Table.Td>
              {timed && <Table.Td ta="right">{formatMs(g.medianTimeMs)}</Table.Td>}
              {timed && <Table.Td ta="right">{formatMs(g.maxTimeMs)}</Table.Td>}
              <Table.Td ta="right">
                <Button size="compact-xs" variant="default" onClick={() => onOpenPlan(g.planId)} aria-label={`Open the plan of ${g.headline}`}>
                  Open plan
                </Button>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      <div style={{ display: 'grid', gridTemplateColumns: '1fr 1fr', gap: 12 }}>
        <div>
          <Text size="xs" fw={700} c="dimmed" tt="uppercase" mb={4}>
            Slowest tenants
          </Text>
          {result.slowest.length === 0 && (
            <Text size="xs" c="dimmed">
              {timed ? 'None yet.' : 'Plain EXPLAIN measures no time: explain with ANALYZE to rank the tenants.'}
            </Text>
          )}
          <Table fz="xs" verticalSpacing={2} aria-label="Slowest tenants">
            <Table.Tbody>
              {result.slowest.map((s) => (
                <Table.Tr key={s.tenantId} data-tenant-id={s.tenantId} onClick={() => onOpenPlan(s.planId)} style={{ cursor: 'pointer' }}>
                  <Table.Td>{names.get(s.tenantId) ?? s.tenantId}</Table.Td>
                  <Table.Td ta="right">{formatMs(s.timeMs)}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </div>
        <div>
          <Text size="xs" fw={700} c="dimmed" tt="uppercase" mb={4}>
            Failed
          </Text>
          {result.failed.length === 0 ? (
            <Text size="xs" c="dimmed">
              None.
            </Text>
          ) : (
            <Table fz="xs" verticalSpacing={2} aria-label="Failed tenants">
              <Table.Tbody>
                {result.failed.map((f) => (
                  <Table.Tr key={f.tenantId}>
                    <Table.Td>{names.get(f.tenantId) ?? f.tenantId}</Table.Td>
                    <Table.Td c="red">
                      {f.code}: {f.message}
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          )}
        </div>
      </div>
    </Stack>
  );
}
