import { useState } from 'react';
import { Anchor, Badge, Button, Group, Progress, Stack, Text } from '@mantine/core';
import { ListChecks, Square } from 'lucide-react';
import type { JobSummary } from '@shared/model/job';
import { api } from '../../api';
import { useAppStore } from '../../store';
import { fractionDone, progressLabel, STATE_COLORS } from '../jobs';

/**
 * A job started here, shown as the jobs room shows it, with the way to its log there and a cancel:
 * a cancelled backup leaves no complete bundle, a cancelled restore leaves the target untouched.
 */
export function StartedJob({ job, label }: { job: JobSummary; label: string }) {
  const navigate = useAppStore((s) => s.navigate);
  const [cancelError, setCancelError] = useState<string | null>(null);
  const active = job.state === 'queued' || job.state === 'running';
  const cancelling = job.cancelRequestedAt !== undefined;

  async function cancel(): Promise<void> {
    setCancelError(null);
    try {
      await api().jobs.cancel({ workspaceId: job.workspaceId, jobId: job.id });
    } catch (failure) {
      setCancelError(failure instanceof Error ? failure.message : String(failure));
    }
  }

  return (
    <Stack gap={4} data-testid="backup-job" data-state={job.state} data-job-id={job.id} data-kind={job.kind}>
      <Group gap="xs" wrap="nowrap">
        <Text size="sm" fw={500} truncate>
          {job.title}
        </Text>
        <Badge size="sm" variant="light" color={STATE_COLORS[job.state]} style={{ flexShrink: 0 }}>
          {active && cancelling ? 'cancelling' : job.state}
        </Badge>
        {active && (
          <Button size="compact-xs" variant="subtle" color="red" leftSection={<Square size={10} />} disabled={cancelling} onClick={() => void cancel()} style={{ flexShrink: 0 }}>
            Cancel job
          </Button>
        )}
        <Anchor component="button" type="button" size="xs" onClick={() => navigate({ name: 'jobs' })} style={{ flexShrink: 0 }}>
          <Group gap={4} wrap="nowrap">
            <ListChecks size={12} />
            Open in Jobs
          </Group>
        </Anchor>
      </Group>
      <Progress value={(fractionDone(job) ?? 0) * 100} size="sm" striped={job.state === 'running'} color={STATE_COLORS[job.state]} aria-label={label} />
      <Text size="xs" c={job.failure ? 'red' : 'dimmed'} data-testid="job-phase">
        {job.failure ? `${job.failure.code}: ${job.failure.message}` : progressLabel(job)}
      </Text>
      {cancelError && (
        <Text size="xs" c="red">
          {cancelError}
        </Text>
      )}
    </Stack>
  );
}
