import { useState } from 'react';
import { Alert, Button, Checkbox, Group, Modal, SegmentedControl, Stack, Text, TextInput } from '@mantine/core';
import { ArchiveRestore } from 'lucide-react';
import type { BundleEntry } from '@shared/contract/backups';
import type { JobSummary } from '@shared/model/job';
import type { Environment } from '@shared/model/workspace';
import { api } from '../../api';
import { restoreNameProblem, suggestedRestoreName } from './backup-state';

interface RestoreDialogProps {
  workspaceId: string;
  environment: Environment;
  entry: BundleEntry;
  onClose(): void;
  onStarted(job: JobSummary): void;
}

/**
 * Restoring a bundle: beside the live data under a new name (a suggested one, editable), or over
 * the tenant's live data after typing the tenant id. On prod either asks for an unlock first: the
 * shared prompt does that when main refuses, this dialog only says so.
 */
export function RestoreDialog({ workspaceId, environment, entry, onClose, onStarted }: RestoreDialogProps) {
  const tenantId = entry.tenantId ?? '';
  const [mode, setMode] = useState<'rename' | 'replace'>('rename');
  const [targetName, setTargetName] = useState(() => suggestedRestoreName(entry.bundleId, entry.tenantId));
  const [replaceExisting, setReplaceExisting] = useState(false);
  const [typed, setTyped] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const nameProblem = mode === 'rename' ? restoreNameProblem(targetName) : null;
  const confirmed = mode === 'rename' || (tenantId !== '' && typed === tenantId);

  async function restore(): Promise<void> {
    if (nameProblem || !confirmed || busy) return;
    setBusy(true);
    setError(null);
    try {
      const job = await api().backups.restore(
        mode === 'rename'
          ? { workspaceId, bundleId: entry.bundleId, mode, targetName, replaceExisting }
          : { workspaceId, bundleId: entry.bundleId, mode, confirm: typed, replaceExisting },
      );
      onStarted(job);
    } catch (failure) {
      setError(failure instanceof Error ? failure.message : String(failure));
    } finally {
      setBusy(false);
    }
  }

  return (
    <Modal opened onClose={() => !busy && onClose()} title={`Restore ${entry.tenantId ?? entry.bundleId}`} size="lg" centered>
      <form
        aria-label="Restore the bundle"
        onSubmit={(event) => {
          event.preventDefault();
          void restore();
        }}
      >
        <Stack gap="sm">
          <SegmentedControl
            size="xs"
            aria-label="Restore mode"
            value={mode}
            onChange={(value) => setMode(value === 'replace' ? 'replace' : 'rename')}
            data={[
              { value: 'rename', label: 'Under a new name' },
              { value: 'replace', label: 'Over the live data' },
            ]}
          />
          {mode === 'rename' ? (
            <>
              <Text size="sm">
                The bundle is restored beside the live data: a new PostgreSQL schema, and the same name as the base of the Redis key prefix, MongoDB database or
                index names. The tenant&apos;s live data is not touched.
              </Text>
              <TextInput
                size="xs"
                label="New name"
                value={targetName}
                onChange={(event) => setTargetName(event.currentTarget.value)}
                error={nameProblem}
                spellCheck={false}
                autoComplete="off"
                ff="monospace"
                data-autofocus
              />
            </>
          ) : (
            <>
              <Alert color="orange" variant="light" p="xs" title={`Over ${tenantId}'s live data`}>
                The bundle is restored under a scratch name first and swapped in at the end, so a failure or a cancel leaves the live data as it was. Once swapped, what
                changed since the backup is gone.
              </Alert>
              <TextInput
                size="xs"
                label={
                  <Text span size="xs">
                    Type <Text span fw={700} ff="monospace">{tenantId}</Text> to confirm
                  </Text>
                }
                aria-label="Confirmation"
                value={typed}
                onChange={(event) => setTyped(event.currentTarget.value)}
                spellCheck={false}
                autoComplete="off"
                data-autofocus
              />
            </>
          )}
          {entry.stores.includes('redis') && (
            <Checkbox
              size="xs"
              label="Redis: overwrite keys that already exist (REPLACE)"
              checked={replaceExisting}
              onChange={(event) => setReplaceExisting(event.currentTarget.checked)}
            />
          )}
          {environment === 'prod' && (
            <Text size="xs" c="orange" data-testid="prod-unlock-note">
              This workspace is prod: a restore writes, so it asks for an unlock first.
            </Text>
          )}
          {error && (
            <Alert color="red" variant="light" p="xs" title="The restore was not started">
              {error}
            </Alert>
          )}
          <Group justify="flex-end" gap="xs">
            <Button size="xs" variant="default" onClick={onClose} disabled={busy}>
              Cancel
            </Button>
            <Button type="submit" size="xs" color={mode === 'replace' ? 'red' : 'blue'} leftSection={<ArchiveRestore size={13} />} loading={busy} disabled={nameProblem !== null || !confirmed}>
              {mode === 'replace' ? 'Restore over live data' : 'Restore'}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
