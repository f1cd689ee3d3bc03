import { useState } from 'react';
import { Alert, Button, Group, Loader, Stack, Text, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { ListChecks, RefreshCw } from 'lucide-react';
import type { JobSummary } from '@shared/model/job';
import { api } from '../../api';
import { EmptyState } from '../../components/EmptyState';
import { useAppStore } from '../../store';
import { roleIn } from '../access';
import { JobDetail } from './JobDetail';
import { JobList } from './JobList';
import { newestFirst } from './jobs-state';
import { StartJobForm } from './StartJobForm';
import { useJobs } from './useJobs';

/**
 * The jobs room of the active workspace: long work with its state, progress, phase and log, live
 * from events and read back from the data directory after a reload or a restart.
 */
export function JobsPanel() {
  const workspace = useAppStore((s) => s.workspaces.find((w) => w.id === s.activeWorkspaceId));
  const workspaceId = workspace?.id ?? null;
  // Support watches jobs; starting and cancelling them is for DBAs and platform admins.
  const mayControl = useAppStore((s) => roleIn(s, s.activeWorkspaceId)) !== 'support';
  const { jobs, loading, error, reload } = useJobs(workspaceId);
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const listed = newestFirst(jobs);
  const selected = selectedId ? jobs.get(selectedId) : undefined;

  async function cancel(job: JobSummary): Promise<void> {
    if (!workspaceId) return;
    try {
      await api().jobs.cancel({ workspaceId, jobId: job.id });
    } catch (failure) {
      notifications.show({ color: 'red', title: 'The job was not cancelled', message: failure instanceof Error ? failure.message : String(failure) });
    }
  }

  if (!workspace || !workspaceId) {
    return (
      <EmptyState icon={<ListChecks size={22} />} title="No workspace open">
        Jobs belong to a workspace: open one to see its jobs.
      </EmptyState>
    );
  }

  const running = listed.filter((job) => job.state === 'running').length;
  const queued = listed.filter((job) => job.state === 'queued').length;

  return (
    <Stack gap="sm" p="md">
      <Group justify="space-between" wrap="nowrap">
        <Group gap="sm">
          <Title order={3}>Jobs</Title>
          <Text size="sm" c="dimmed">
            {workspace.name} · {running} running, {queued} queued
          </Text>
          {loading && <Loader size="xs" />}
        </Group>
        <Button size="xs" variant="default" leftSection={<RefreshCw size={13} />} onClick={reload}>
          Refresh
        </Button>
      </Group>
      {!mayControl ? null : workspace.endpoints.postgres ? (
        <StartJobForm workspaceId={workspaceId} onStarted={setSelectedId} />
      ) : (
        <Text size="sm" c="dimmed">
          The demo jobs run on PostgreSQL, which this workspace does not have.
        </Text>
      )}
      {error && (
        <Alert color="red" variant="light" p="xs" title="The jobs could not be read">
          {error}
        </Alert>
      )}
      {listed.length > 0 ? (
        <JobList
          jobs={listed}
          selectedId={selectedId}
          onSelect={(id) => setSelectedId(id === selectedId ? null : id)}
          {...(mayControl ? { onCancel: (job: JobSummary) => void cancel(job) } : {})}
        />
      ) : (
        !loading &&
        !error && (
          <EmptyState icon={<ListChecks size={22} />} title="No jobs yet">
            Index builds, drift fixes, partition maintenance, backups and restores run here, one store’s worth at a time. Start a demo job to
            see one run.
          </EmptyState>
        )
      )}
      {selected && <JobDetail job={selected} onClose={() => setSelectedId(null)} />}
    </Stack>
  );
}
