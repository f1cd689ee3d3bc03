import { useState } from 'react';
import { Anchor, Button, Group, Modal, Stack, Text } from '@mantine/core';
import { DatabaseBackup } from 'lucide-react';
import type { JobSummary } from '@shared/model/job';
import type { WorkspaceView } from '@shared/model/workspace';
import { useAppStore } from '../../store';
import { roleIn } from '../access';
import { BackupTenantForm } from './BackupTenantForm';
import { StartedJob } from './StartedJob';
import { useFollowedJob } from '../../lib/useFollowedJob';

interface BackupTenantDialogProps {
  workspace: WorkspaceView;
  tenantId?: string;
  opened: boolean;
  onClose(): void;
}

/** The backup form in a dialog; once started, the job's progress there, and the bundle it wrote once it is done. */
export function BackupTenantDialog({ workspace, tenantId, opened, onClose }: BackupTenantDialogProps) {
  const navigate = useAppStore((s) => s.navigate);
  const [started, setStarted] = useState<JobSummary | null>(null);
  const job = useFollowedJob(started);
  const bundleId = job?.state === 'succeeded' && typeof job.result?.bundleId === 'string' ? job.result.bundleId : null;

  function close(): void {
    setStarted(null);
    onClose();
  }

  return (
    <Modal opened={opened} onClose={close} title={tenantId ? `Back up ${tenantId}` : 'Back up a tenant'} size="lg" centered>
      <Stack gap="sm">
        {!job && <BackupTenantForm workspace={workspace} tenantId={tenantId} onStarted={setStarted} />}
        {job && <StartedJob job={job} label="Backup progress" />}
        {job && (
          <Group gap="sm" justify="flex-end">
            {bundleId && (
              <Button size="xs" leftSection={<DatabaseBackup size={13} />} onClick={() => navigate({ name: 'backupBundle', bundleId })}>
                Open the bundle
              </Button>
            )}
            {!bundleId && (
              <Anchor component="button" type="button" size="xs" onClick={() => navigate(tenantId ? { name: 'backups', tenantId } : { name: 'backups' })}>
                Open the catalog
              </Anchor>
            )}
            <Button size="xs" variant="default" onClick={close}>
              Close
            </Button>
          </Group>
        )}
        {job?.state === 'queued' && (
          <Text size="xs" c="dimmed">
            Waiting for a free slot of the workspace&apos;s stores.
          </Text>
        )}
      </Stack>
    </Modal>
  );
}

/**
 * "Back up this tenant" where a tenant's page has its actions. Support never backs up, so it sees
 * nothing here.
 */
export function BackupTenantButton({ workspace, tenantId }: { workspace: WorkspaceView; tenantId: string }) {
  const [opened, setOpened] = useState(false);
  const role = useAppStore((s) => roleIn(s, workspace.id));
  if (role === undefined || role === 'support') return null;
  return (
    <>
      <Button variant="default" leftSection={<DatabaseBackup size={13} />} onClick={() => setOpened(true)}>
        Back up this tenant
      </Button>
      {opened && <BackupTenantDialog workspace={workspace} tenantId={tenantId} opened onClose={() => setOpened(false)} />}
    </>
  );
}
