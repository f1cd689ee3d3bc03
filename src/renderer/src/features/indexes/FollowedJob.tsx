import { Badge, Group, Progress, Stack, Text } from '@mantine/core';
import type { JobSummary } from '@shared/model/job';
import { fractionDone, progressLabel, STATE_COLORS } from '../jobs';

/** A job this screen started, as the jobs room shows it: title, state, progress bar and phase. */
export function FollowedJob({ job, label }: { job: JobSummary; label: string }) {
  return (
    <Stack gap={4} data-testid="followed-job" data-state={job.state} data-job-id={job.id}>
      <Group gap="xs">
        <Text size="sm" fw={500}>
          {job.title}
        </Text>
        <Badge size="sm" variant="light" color={STATE_COLORS[job.state]}>
          {job.state}
        </Badge>
      </Group>
      <Progress value={(fractionDone(job) ?? 0) * 100} size="sm" striped={job.state === 'running'} color={STATE_COLORS[job.state]} aria-label={label} />
      <Text size="xs" c="dimmed" data-testid="job-phase">
        {job.failure ? job.failure.message : progressLabel(job)}
      </Text>
    </Stack>
  );
}
