import { useEffect, useState, type ReactNode } from 'react';
import { Alert, Anchor, Breadcrumbs, Button, Group, Loader, Paper, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { ArchiveRestore, Lock, LockOpen, RefreshCw, ShieldCheck } from 'lucide-react';
import type { JobSummary } from '@shared/model/job';
import { api } from '../../api';
import { formatBytes, formatTime } from '../../lib/format';
import { useCall } from '../../lib/useCall';
import { useAppStore } from '../../store';
import { roleIn } from '../access';
import { formatDuration, restoredPartsOf } from './backup-state';
import { HoldLock, StatusBadge } from './BundleTable';
import { LegalHoldDialog } from './LegalHoldDialog';
import { ManifestPart } from './ManifestParts';
import { RestoreDialog } from './RestoreDialog';
import { RestoredCounts } from './RestoredCounts';
import { StartedJob } from './StartedJob';
import { useFollowedJob } from '../../lib/useFollowedJob';
import { VerificationPanel } from './VerificationPanel';

function Fact({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div>
      <Text size="xs" c="dimmed">
        {label}
      </Text>
      <Text size="xs" style={{ wordBreak: 'break-word' }}>
        {children}
      </Text>
    </div>
  );
}

/**
 * One bundle: its manifest (parts per store with counts, versions, files and digests), the last
 * verification, and Verify, Restore and legal hold, each a job or a call followed here. Support
 * reads it and changes nothing.
 */
export function BundleScreen({ bundleId }: { bundleId: string }) {
  const workspace = useAppStore((s) => s.workspaces.find((w) => w.id === s.activeWorkspaceId));
  const navigate = useAppStore((s) => s.navigate);
  const role = useAppStore((s) => roleIn(s, s.activeWorkspaceId));
  const mayChange = role !== undefined && role !== 'support';
  const prodLocked = useAppStore((s) => workspace?.environment === 'prod' && !s.access[workspace.id]?.session?.prodUnlock);
  const workspaceId = workspace?.id ?? null;
  const bundle = useCall(workspaceId ? (signal) => api().backups.bundle({ workspaceId, bundleId }, { signal }) : null, [workspaceId, bundleId]);
  const [started, setStarted] = useState<JobSummary | null>(null);
  const job = useFollowedJob(started);
  const [restoring, setRestoring] = useState(false);
  const [holding, setHolding] = useState(false);
  const [actionError, setActionError] = useState<string | null>(null);
  const jobEnded = job !== null && job.state !== 'queued' && job.state !== 'running';
  const reload = bundle.reload;

  // A verify writes its outcome beside the manifest: read the bundle again once the job ends.
  useEffect(() => {
    if (jobEnded) reload();
  }, [jobEnded, reload]);

  if (!workspace || !workspaceId) return null;

  async function verify(): Promise<void> {
    if (!workspaceId) return;
    setActionError(null);
    try {
      setStarted(await api().backups.verify({ workspaceId, bundleId }));
    } catch (failure) {
      setActionError(failure instanceof Error ? failure.message : String(failure));
    }
  }

  const entry = bundle.data?.entry ?? null;
  const manifest = bundle.data?.manifest ?? null;
  const incomplete = entry?.status === 'incomplete';
  const busy = job !== null && !jobEnded;
  const restored = job?.kind === 'backups.restore' && job.state === 'succeeded' ? restoredPartsOf(job.result) : [];

  return (
    <Stack gap="sm" p="md">
      <Breadcrumbs separatorMargin={6} fz="xs">
        <Anchor component="button" type="button" size="xs" onClick={() => navigate({ name: 'backups' })}>
          Backups
        </Anchor>
        <Text size="xs" ff="monospace" data-testid="bundle-id">
          {bundleId}
        </Text>
      </Breadcrumbs>
      <Group justify="space-between" wrap="nowrap">
        <Group gap="sm" wrap="nowrap">
          <Title order={3}>{entry?.tenantId ?? 'Bundle'}</Title>
          {entry && <StatusBadge entry={entry} />}
          {entry && <HoldLock entry={entry} />}
          {bundle.loading && <Loader size="xs" />}
        </Group>
        <Group gap="xs" wrap="nowrap">
          {mayChange && entry && (
            <>
              <Button size="xs" variant="light" leftSection={<ShieldCheck size={13} />} disabled={incomplete || busy} onClick={() => void verify()}>
                Verify
              </Button>
              <Button size="xs" leftSection={<ArchiveRestore size={13} />} disabled={incomplete || busy} onClick={() => setRestoring(true)}>
                Restore
              </Button>
              <Button size="xs" variant="default" leftSection={entry.legalHold ? <LockOpen size={13} /> : <Lock size={13} />} onClick={() => setHolding(true)}>
                {entry.legalHold ? 'Lift legal hold' : 'Legal hold'}
              </Button>
            </>
          )}
          <Button size="xs" variant="default" leftSection={<RefreshCw size={13} />} onClick={reload}>
            Refresh
          </Button>
        </Group>
      </Group>
      {bundle.error && (
        <Alert color="red" variant="light" p="xs" title="The bundle could not be read">
          {bundle.error}
        </Alert>
      )}
      {actionError && (
        <Alert color="red" variant="light" p="xs" title="Not started" withCloseButton onClose={() => setActionError(null)}>
          {actionError}
        </Alert>
      )}
      {mayChange && prodLocked && entry && !incomplete && (
        <Text size="xs" c="orange" data-testid="prod-unlock-note">
          This workspace is prod: Verify restores into scratch names and Restore into new or live names, so each asks for an unlock first.
        </Text>
      )}
      {incomplete && entry && (
        <Alert color="orange" variant="light" p="xs" title="Incomplete bundle">
          {entry.problem ?? 'No manifest: the backup did not finish.'} It is never restored or verified as if it were good.
        </Alert>
      )}
      {job && (
        <Paper withBorder p="sm" role="region" aria-label="Started job">
          <Stack gap="xs">
            <StartedJob job={job} label={job.kind === 'backups.restore' ? 'Restore progress' : 'Verify progress'} />
            {restored.length > 0 && <RestoredCounts restored={restored} parts={manifest?.parts ?? []} />}
          </Stack>
        </Paper>
      )}
      {entry && (
        <Paper withBorder p="sm">
          <SimpleGrid cols={{ base: 3, md: 6 }} spacing="xs" verticalSpacing={6}>
            <Fact label="Started">{formatTime(entry.startedAt)}</Fact>
            <Fact label="Took">{formatDuration(entry.startedAt, entry.endedAt)}</Fact>
            <Fact label="Size">{formatBytes(entry.sizeBytes)}</Fact>
            <Fact label="Operator">{manifest ? `${manifest.operator.name} · ${manifest.operator.role}` : (entry.operator ?? '—')}</Fact>
            <Fact label="Workspace">{manifest ? `${manifest.workspaceName} · ${manifest.environment} · ${manifest.preset}` : workspace.name}</Fact>
            <Fact label="Job">
              <Text span size="xs" ff="monospace">
                {manifest?.jobId ?? '—'}
              </Text>
            </Fact>
          </SimpleGrid>
          <Text size="xs" mt={6}>
            <Text span c="dimmed" size="xs">
              Justification:{' '}
            </Text>
            {entry.justification ?? 'none given'}
          </Text>
          {entry.legalHold && (
            <Text size="xs" mt={4} c="yellow" data-testid="hold-reason">
              Legal hold since {formatTime(entry.legalHold.at)} by {entry.legalHold.operator}: {entry.legalHold.reason}
            </Text>
          )}
        </Paper>
      )}
      {entry && <VerificationPanel verification={entry.verification} />}
      {manifest?.parts.map((part) => <ManifestPart key={part.store} part={part} />)}
      {restoring && entry && (
        <RestoreDialog
          workspaceId={workspaceId}
          environment={workspace.environment}
          entry={entry}
          onClose={() => setRestoring(false)}
          onStarted={(restore) => {
            setRestoring(false);
            setStarted(restore);
          }}
        />
      )}
      {holding && entry && (
        <LegalHoldDialog
          workspaceId={workspaceId}
          entry={entry}
          onClose={() => setHolding(false)}
          onChanged={() => {
            setHolding(false);
            reload();
          }}
        />
      )}
    </Stack>
  );
}
