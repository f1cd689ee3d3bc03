import { Badge, Button, Group, Progress, Stack, Text } from '@mantine/core';
import type { JobSummary } from '@shared/model/job';
import { api } from '../../api';
import { fractionDone, progressLabel, STATE_COLORS } from '../jobs';

/** A job started from this screen: title, state, progress, and cancel while it runs. */
export function JobLine({ job }: { job: JobSummary }) {
  const running = job.state === 'queued' || job.state === 'running';
  return (
    <Stack gap={4} data-testid="retention-job" data-state={job.state} data-job-id={job.id}>
      <Group gap="xs">
        <Text size="sm" fw={500}>
          {job.title}
        </Text>
        <Badge size="sm" variant="light" color={STATE_COLORS[job.state]}>
          {job.state}
        </Badge>
        {running && (
          <Button size="compact-xs" variant="subtle" color="red" onClick={() => void api().jobs.cancel({ workspaceId: job.workspaceId, jobId: job.id })}>
            Cancel
          </Button>
        )}
      </Group>
      <Progress value={(fractionDone(job) ?? 0) * 100} size="sm" striped={job.state === 'running'} color={STATE_COLORS[job.state]} aria-label="Job progress" />
      <Text size="xs" c="dimmed">
        {job.failure ? job.failure.message : progressLabel(job)}
      </Text>
    </Stack>
  );
}
