import { Stack, Text } from '@mantine/core';
import { ResultGrid } from '../../components/ResultGrid';
import { RunStatus } from './RunStatus';
import type { TabRun } from './runs';
import { TenantStatusList } from './TenantStatusList';

/** A tab's latest run: its status line, a fan-out's tenants, and the rows. */
export function ResultPanel({ run }: { run: TabRun | undefined }) {
  if (!run) {
    return (
      <Text size="sm" c="dimmed" py="md">
        Ctrl+Enter runs the query; rows stream in as the server sends them, up to the row limit.
      </Text>
    );
  }
  const documents = run.engine === 'mongo' || run.engine === 'elastic';
  return (
    <Stack gap={6} style={{ flex: 1, minHeight: 0 }}>
      <RunStatus run={run} />
      {run.fanOut && Object.keys(run.tenants).length > 0 && <TenantStatusList tenants={run.tenants} />}
      {/* A statement without a result (UPDATE, SET) has no columns: its notice in the status line says it all. */}
      {run.store.columns.length > 0 && (
        <ResultGrid
          key={run.runId}
          store={run.store}
          revision={run.revision}
          streaming={run.state === 'running'}
          documents={documents}
          label="Result"
          height="fill"
          empty={
            <Text size="sm" c="dimmed" p="sm" style={{ position: 'absolute', top: 60 }}>
              No rows.
            </Text>
          }
        />
      )}
    </Stack>
  );
}
