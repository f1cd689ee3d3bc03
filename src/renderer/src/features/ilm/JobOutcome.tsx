import { Alert, Badge, Group, Loader, Text } from '@mantine/core';
import type { JobSummary } from '@shared/model/job';
import { STATE_COLORS } from '../jobs';

/** One line for a job this room started: running, done with what it did, or failed in the server's words. */
export function JobOutcome({ job, done }: { job: JobSummary; done?: (result: JobSummary['result']) => string }) {
  if (job.state === 'failed' || job.state === 'cancelled') {
    return (
      <Alert color="red" variant="light" p="xs" title={job.title} data-testid="job-outcome" data-state={job.state}>
        <Text size="xs" style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-word' }}>
          {job.failure?.message ?? job.state}
        </Text>
      </Alert>
    );
  }
  return (
    <Group gap="xs" data-testid="job-outcome" data-state={job.state}>
      {job.state === 'running' || job.state === 'queued' ? <Loader size={12} /> : null}
      <Badge size="sm" variant="light" color={STATE_COLORS[job.state]}>
        {job.state}
      </Badge>
      <Text size="xs">{job.state === 'succeeded' && done ? done(job.result) : job.title}</Text>
    </Group>
  );
}
