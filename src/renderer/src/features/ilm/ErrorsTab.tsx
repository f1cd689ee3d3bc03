import { useState } from 'react';
import { Alert, Button, Group, Loader, Stack, Text } from '@mantine/core';
import { RefreshCw } from 'lucide-react';
import type { JobSummary } from '@shared/model/job';
import type { ErrorGroup } from '@shared/model/ilm-views';
import { api } from '../../api';
import { useCall } from '../../lib/useCall';
import { ErrorBoardView } from './ErrorBoardView';
import { JobOutcome } from './JobOutcome';
import { errorText } from './format';
import { useJobOutcome } from './useJobOutcome';

/** The error board of the workspace's cluster, with retry of a group of failed steps as a job. */
export function ErrorsTab({ workspaceId, mayChange }: { workspaceId: string; mayChange: boolean }) {
  const board = useCall((signal) => api().ilm.errorBoard({ workspaceId }, { signal }), [workspaceId]);
  const [started, setStarted] = useState<JobSummary | null>(null);
  const [retrying, setRetrying] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const job = useJobOutcome(started);

  async function retry(group: ErrorGroup): Promise<void> {
    setError(null);
    setRetrying(`${group.phase}|${group.action}|${group.failedStep}|${group.reason}`);
    try {
      setStarted(await api().ilm.retry({ workspaceId, indices: group.indices }));
    } catch (failure) {
      setError(errorText(failure));
    } finally {
      setRetrying(null);
    }
  }

  return (
    <Stack gap="sm">
      <Group gap="sm">
        <Button size="xs" variant="subtle" leftSection={<RefreshCw size={13} />} onClick={board.reload} loading={board.loading}>
          Read failed steps
        </Button>
        <Text size="xs" c="dimmed">
          `_ilm/explain?only_errors`, batched by tenant prefix
        </Text>
      </Group>
      {job && <JobOutcome job={job} done={(result) => `Retried ${String(result?.retried ?? 0)} indices; read the board again in a moment.`} />}
      {error && (
        <Alert color="red" variant="light" p="xs">
          {error}
        </Alert>
      )}
      {board.error && (
        <Alert color="red" variant="light" p="xs">
          {board.error}
        </Alert>
      )}
      {board.data?.gaps.map((gap) => (
        <Alert key={gap.patterns.join(',')} color="yellow" variant="light" p="xs">
          {gap.patterns.length} tenant prefixes could not be read: {gap.reason}
        </Alert>
      ))}
      {board.loading && !board.data && <Loader size="sm" />}
      {board.data && <ErrorBoardView board={board.data} retrying={retrying} {...(mayChange ? { onRetry: (group: ErrorGroup) => void retry(group) } : {})} />}
    </Stack>
  );
}
