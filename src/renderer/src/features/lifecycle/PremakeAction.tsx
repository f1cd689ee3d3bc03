import { useEffect, useRef, useState } from 'react';
import { Alert, Badge, Button, Group, Paper, Progress, Stack, Text } from '@mantine/core';
import { CalendarPlus } from 'lucide-react';
import type { JobSummary } from '@shared/model/job';
import { api } from '../../api';
import { fractionDone, progressLabel, STATE_COLORS } from '../jobs';
import { useFollowedJob } from '../../lib/useFollowedJob';

/** The most tenant ids one premake call names; past that, every tenant is asked (premake is idempotent). */
const MAX_NAMED_TENANTS = 10_000;

interface PremakeActionProps {
  workspaceId: string;
  /** The tenants short of the keep-ahead window, as the heatmap counts them. */
  shortTenants: readonly string[];
  tenantCount: number;
  keepAhead: number;
  /** Support sees, never changes. */
  mayChange: boolean;
  /** Prod without an unlock: premaking asks for one first. */
  prodLocked: boolean;
  /** Called once the premake job has ended, to read the horizon again. */
  onFinished(job: JobSummary): void;
}

/**
 * Starts the partitions premake job for the tenants short of partitions and follows it. The
 * reason (several tenants) and a prod unlock are asked by the shared prompt when main refuses.
 */
export function PremakeAction({ workspaceId, shortTenants, tenantCount, keepAhead, mayChange, prodLocked, onFinished }: PremakeActionProps) {
  const [starting, setStarting] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [started, setStarted] = useState<JobSummary | null>(null);
  const job = useFollowedJob(started);
  const running = job?.state === 'queued' || job?.state === 'running';
  const finished = useRef<string | null>(null);
  const onFinishedRef = useRef(onFinished);
  onFinishedRef.current = onFinished;

  useEffect(() => {
    if (job && !running && job.id !== finished.current) {
      finished.current = job.id;
      onFinishedRef.current(job);
    }
  }, [job, running]);

  async function premake(): Promise<void> {
    setStarting(true);
    setError(null);
    try {
      const everyone = shortTenants.length === tenantCount || shortTenants.length > MAX_NAMED_TENANTS;
      setStarted(await api().partitions.premake({ workspaceId, keepAhead, ...(everyone ? { allTenants: true } : { tenantIds: [...shortTenants] }) }));
    } catch (failure) {
      setError(failure instanceof Error ? failure.message : String(failure));
    } finally {
      setStarting(false);
    }
  }

  if (!mayChange && !job) return null;
  return (
    <Paper withBorder p="xs" role="region" aria-label="Premake partitions">
      <Stack gap={6}>
        <Group gap="sm">
          {mayChange && (
            <Button leftSection={<CalendarPlus size={13} />} disabled={shortTenants.length === 0 || running} loading={starting} onClick={() => void premake()}>
              {shortTenants.length === 0 ? 'No tenant is short of partitions' : `Premake for the ${shortTenants.length} tenant${shortTenants.length === 1 ? '' : 's'} short`}
            </Button>
          )}
          <Text size="xs" c="dimmed">
            Creates the missing monthly partitions up to {keepAhead} month{keepAhead === 1 ? '' : 's'} ahead, tenant by tenant, as a job; months already there count as done.
          </Text>
          {prodLocked && mayChange && (
            <Text size="xs" c="orange">
              This workspace is prod: premaking asks for an unlock first.
            </Text>
          )}
        </Group>
        {error && (
          <Alert color="red" variant="light" p="xs" title="The premake was not started">
            {error}
          </Alert>
        )}
        {job && (
          <Stack gap={4} data-testid="premake-job" data-state={job.state} data-job-id={job.id}>
            <Group gap="xs">
              <Text size="sm" fw={500}>
                {job.title}
              </Text>
              <Badge size="sm" variant="light" color={STATE_COLORS[job.state]}>
                {job.state}
              </Badge>
            </Group>
            <Progress value={(fractionDone(job) ?? 0) * 100} size="sm" striped={running} color={STATE_COLORS[job.state]} aria-label="Premake progress" />
            <Text size="xs" c="dimmed">
              {job.failure ? job.failure.message : progressLabel(job)}
            </Text>
          </Stack>
        )}
      </Stack>
    </Paper>
  );
}
