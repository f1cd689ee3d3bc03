import { useState } from 'react';
import { Badge, Button, Group, Loader, Paper, Text, TextInput } from '@mantine/core';
import { FolderOpen } from 'lucide-react';
import { BackupFolder } from '@shared/contract/backups';
import { api } from '../../api';
import { formatBytes } from '../../lib/format';
import { useCall } from '../../lib/useCall';

/** Why a typed folder is refused before asking main, in the contract's words; null when it may be sent. */
export function folderProblem(folder: string): string | null {
  const parsed = BackupFolder.safeParse(folder.trim());
  return parsed.success ? null : (parsed.error.issues[0]?.message ?? 'not a folder');
}

/**
 * The folder the workspace's bundles go to: where it is, whether it can be written, the free
 * space there; changed in place, with main's refusal (missing, not writable) shown under the field.
 */
export function FolderPanel({ workspaceId, mayChange, onChanged }: { workspaceId: string; mayChange: boolean; onChanged(): void }) {
  const setting = useCall((signal) => api().backups.backupFolder({ workspaceId }, { signal }), [workspaceId]);
  const [editing, setEditing] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const folder = setting.data;

  async function save(): Promise<void> {
    if (editing === null) return;
    const problem = folderProblem(editing);
    if (problem) {
      setError(`Enter ${problem}.`);
      return;
    }
    setSaving(true);
    setError(null);
    try {
      await api().backups.setBackupFolder({ workspaceId, folder: editing.trim() });
      setEditing(null);
      setting.reload();
      onChanged();
    } catch (failure) {
      setError(failure instanceof Error ? failure.message : String(failure));
    } finally {
      setSaving(false);
    }
  }

  return (
    <Paper withBorder px="sm" py={6} role="region" aria-label="Backup folder">
      {editing === null ? (
        <Group gap="sm" wrap="nowrap" justify="space-between">
          <Group gap="xs" wrap="nowrap" style={{ minWidth: 0 }}>
            <FolderOpen size={14} style={{ flexShrink: 0 }} />
            <Text size="xs" c="dimmed" style={{ flexShrink: 0 }}>
              Backup folder
            </Text>
            {setting.loading && !folder && <Loader size="xs" />}
            {folder && (
              <>
                <Text size="xs" ff="monospace" truncate data-testid="backup-folder" title={folder.folder}>
                  {folder.folder}
                </Text>
                {!folder.chosen && (
                  <Badge size="xs" variant="outline" color="gray" style={{ flexShrink: 0 }}>
                    default
                  </Badge>
                )}
                <Badge size="xs" variant="light" color={folder.writable ? 'teal' : 'red'} style={{ flexShrink: 0 }}>
                  {folder.writable ? 'writable' : 'not writable'}
                </Badge>
                {folder.freeBytes !== null && (
                  <Text size="xs" c="dimmed" style={{ flexShrink: 0 }}>
                    {formatBytes(folder.freeBytes)} free
                  </Text>
                )}
              </>
            )}
            {setting.error && (
              <Text size="xs" c="red">
                {setting.error}
              </Text>
            )}
          </Group>
          {mayChange && folder && (
            <Button size="compact-xs" variant="default" onClick={() => setEditing(folder.folder)} style={{ flexShrink: 0 }}>
              Change
            </Button>
          )}
        </Group>
      ) : (
        <form
          onSubmit={(event) => {
            event.preventDefault();
            void save();
          }}
        >
          <Group gap="xs" align="flex-start" wrap="nowrap">
            <TextInput
              size="xs"
              style={{ flex: 1 }}
              aria-label="Backup folder path"
              placeholder="/var/backups/tenantscope"
              value={editing}
              onChange={(event) => {
                setEditing(event.currentTarget.value);
                setError(null);
              }}
              error={error}
              spellCheck={false}
              autoComplete="off"
              data-autofocus
            />
            <Button type="submit" size="xs" loading={saving}>
              Use this folder
            </Button>
            <Button size="xs" variant="default" onClick={() => (setEditing(null), setError(null))} disabled={saving}>
              Cancel
            </Button>
          </Group>
        </form>
      )}
    </Paper>
  );
}
