import { Alert, Badge, Group, Loader, Text } from '@mantine/core';
import type { TabRun } from './runs';

const STATE_COLOURS: Record<TabRun['state'], string> = { running: 'blue', succeeded: 'teal', failed: 'red', cancelled: 'gray', timeout: 'orange' };
const STATE_WORDS: Record<TabRun['state'], string> = { running: 'running', succeeded: 'done', failed: 'failed', cancelled: 'cancelled', timeout: 'timed out' };

export function formatDuration(ms: number): string {
  return ms < 1_000 ? `${Math.round(ms)} ms` : `${(ms / 1_000).toFixed(ms < 10_000 ? 2 : 1)} s`;
}

/**
 * The line under the editor: state, rows, the limit when it cut the result (never a silent cut),
 * duration and the server's notice; and the error with its code when the run failed.
 */
export function RunStatus({ run }: { run: TabRun }) {
  const rows = run.store.rowCount;
  const summary = run.summary;
  return (
    <>
      <Group gap="sm" wrap="nowrap" data-testid="run-status" data-state={run.state}>
        <Badge size="sm" variant="light" color={STATE_COLOURS[run.state]} leftSection={run.state === 'running' ? <Loader size={8} color="blue" /> : undefined}>
          {STATE_WORDS[run.state]}
        </Badge>
        <Text size="xs" data-testid="run-rows">
          {rows.toLocaleString('en')} {rows === 1 ? 'row' : 'rows'}
          {run.fanOut && run.state !== 'running' ? ` from ${Object.keys(run.tenants).length} tenants` : ''}
        </Text>
        {summary?.truncated && (
          <Text size="xs" c="orange" fw={600} data-testid="run-truncated">
            stopped at the limit of {summary.rowLimit.toLocaleString('en')} — more rows exist
          </Text>
        )}
        {summary && (
          <Text size="xs" c="dimmed">
            {formatDuration(summary.durationMs)}
          </Text>
        )}
        {summary?.notice && (
          <Text size="xs" c="dimmed" data-testid="run-notice" truncate>
            {summary.notice}
          </Text>
        )}
        {run.write && (
          <Badge size="xs" color="red" variant="outline">
            writes allowed
          </Badge>
        )}
        {summary?.jobId && (
          <Text size="xs" c="dimmed">
            job {summary.jobId}
          </Text>
        )}
      </Group>
      {run.failure && run.state !== 'cancelled' && (
        <Alert color={run.state === 'timeout' ? 'orange' : 'red'} variant="light" p="xs" data-testid="run-error" title={run.failure.code}>
          <Text size="xs" style={{ whiteSpace: 'pre-wrap' }}>
            {run.failure.message}
            {run.failure.position !== undefined ? ` (at character ${run.failure.position})` : ''}
          </Text>
        </Alert>
      )}
    </>
  );
}
