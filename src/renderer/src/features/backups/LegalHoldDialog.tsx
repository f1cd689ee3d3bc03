import { useState } from 'react';
import { Alert, Button, Group, Modal, Stack, Text, Textarea } from '@mantine/core';
import type { BundleEntry } from '@shared/contract/backups';
import { api } from '../../api';

const MIN_REASON = 3;

/** Puts a bundle under legal hold, or lifts it; either way with a reason that is kept with the hold. */
export function LegalHoldDialog({ workspaceId, entry, onClose, onChanged }: { workspaceId: string; entry: BundleEntry; onClose(): void; onChanged(entry: BundleEntry): void }) {
  const hold = entry.legalHold === null;
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const short = reason.trim().length < MIN_REASON;

  async function save(): Promise<void> {
    if (short || busy) return;
    setBusy(true);
    setError(null);
    try {
      onChanged(await api().backups.setLegalHold({ workspaceId, bundleId: entry.bundleId, hold, reason: reason.trim() }));
    } catch (failure) {
      setError(failure instanceof Error ? failure.message : String(failure));
    } finally {
      setBusy(false);
    }
  }

  return (
    <Modal opened onClose={() => !busy && onClose()} title={hold ? 'Put under legal hold' : 'Lift the legal hold'} centered>
      <form
        onSubmit={(event) => {
          event.preventDefault();
          void save();
        }}
      >
        <Stack gap="sm">
          <Text size="sm">
            {hold
              ? 'Retention never deletes a bundle under legal hold, whatever its age, until the hold is lifted.'
              : `Held since ${entry.legalHold?.at ?? ''} by ${entry.legalHold?.operator ?? ''}: “${entry.legalHold?.reason ?? ''}”. Once lifted, retention may delete the bundle.`}
          </Text>
          <Textarea size="xs" label="Reason" rows={2} maxLength={500} value={reason} onChange={(event) => setReason(event.currentTarget.value)} data-autofocus />
          {error && (
            <Alert color="red" variant="light" p="xs">
              {error}
            </Alert>
          )}
          <Group justify="flex-end" gap="xs">
            <Button size="xs" variant="default" onClick={onClose} disabled={busy}>
              Cancel
            </Button>
            <Button type="submit" size="xs" color={hold ? 'yellow' : 'gray'} loading={busy} disabled={short}>
              {hold ? 'Hold' : 'Lift the hold'}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
