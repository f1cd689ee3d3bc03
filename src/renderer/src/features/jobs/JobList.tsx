import { Badge, Button, Group, Progress, Table, Text } from '@mantine/core';
import { Square } from 'lucide-react';
import type { JobSummary } from '@shared/model/job';
import { formatJobTime, progressLabel, STATE_COLORS } from './format';
import { fractionDone, isActive } from './jobs-state';

interface JobListProps {
  jobs: readonly JobSummary[];
  selectedId: string | null;
  onSelect(jobId: string): void;
  /** Absent for a role that may not cancel: no cancel buttons then. */
  onCancel?(job: JobSummary): void;
}

/** The workspace's jobs, newest first: state, progress with its phase, who started it, and cancel. */
export function JobList({ jobs, selectedId, onSelect, onCancel }: JobListProps) {
  return (
    <Table highlightOnHover verticalSpacing={6} fz="sm" aria-label="Jobs">
      <Table.Thead>
        <Table.Tr>
          <Table.Th>Job</Table.Th>
          <Table.Th w={110}>State</Table.Th>
          <Table.Th w={320}>Progress</Table.Th>
          <Table.Th w={150}>Started by</Table.Th>
          <Table.Th w={110}>Queued</Table.Th>
          <Table.Th w={100} />
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {jobs.map((job) => {
          const fraction = fractionDone(job);
          return (
            <Table.Tr
              key={job.id}
              data-job-id={job.id}
              data-state={job.state}
              onClick={() => onSelect(job.id)}
              bg={job.id === selectedId ? 'var(--mantine-color-default-hover)' : undefined}
              style={{ cursor: 'pointer' }}
            >
              <Table.Td>
                <Text size="sm" fw={500} lineClamp={1}>
                  {job.title}
                </Text>
                <Text size="xs" c="dimmed" ff="monospace">
                  {job.kind} · {job.id}
                </Text>
              </Table.Td>
              <Table.Td>
                <Badge color={STATE_COLORS[job.state]} variant="light" size="sm">
                  {job.state === 'running' && job.cancelRequestedAt ? 'cancelling' : job.state}
                </Badge>
              </Table.Td>
              <Table.Td>
                <Progress
                  value={(fraction ?? 0) * 100}
                  striped={job.state === 'running'}
                  animated={job.state === 'running' && fraction === null}
                  color={STATE_COLORS[job.state]}
                  size="sm"
                  aria-label={`Progress of ${job.title}`}
                />
                <Text size="xs" c="dimmed" mt={2} lineClamp={1} data-testid="job-phase">
                  {job.failure ? job.failure.message : progressLabel(job)}
                </Text>
              </Table.Td>
              <Table.Td>
                <Text size="sm" lineClamp={1}>
                  {job.operator.name}
                </Text>
              </Table.Td>
              <Table.Td>
                <Text size="xs">{formatJobTime(job.createdAt)}</Text>
              </Table.Td>
              <Table.Td>
                {isActive(job) && onCancel && (
                  <Group justify="flex-end">
                    <Button
                      size="compact-xs"
                      variant="light"
                      color="red"
                      leftSection={<Square size={11} />}
                      disabled={job.cancelRequestedAt !== undefined}
                      aria-label={`Cancel job ${job.id}`}
                      onClick={(event) => {
                        event.stopPropagation();
                        onCancel(job);
                      }}
                    >
                      Cancel
                    </Button>
                  </Group>
                )}
              </Table.Td>
            </Table.Tr>
          );
        })}
      </Table.Tbody>
    </Table>
  );
}
