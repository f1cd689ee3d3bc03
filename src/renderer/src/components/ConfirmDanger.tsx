import { useState, type ReactNode } from 'react';
import { Alert, Button, Group, Modal, Stack, Text, TextInput } from '@mantine/core';

export interface ConfirmDangerProps {
  opened: boolean;
  title: string;
  /** What will happen, in the person's terms. */
  children: ReactNode;
  /** The text the person must type, exactly, to enable the action (usually the object's name). */
  confirmText: string;
  actionLabel: string;
  onCancel(): void;
  /** Runs the action; a rejection is shown in the dialog and keeps it open. */
  onConfirm(typed: string): Promise<void>;
}

/**
 * A destructive action behind a typed confirmation: the button stays disabled until the person
 * has typed the exact name, so a stray click or Enter never destroys anything.
 */
export function ConfirmDanger(props: ConfirmDangerProps) {
  const { opened, title, children, confirmText, actionLabel, onCancel, onConfirm } = props;
  const [typed, setTyped] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const matches = typed === confirmText;

  function close(): void {
    if (busy) return;
    setTyped('');
    setError(null);
    onCancel();
  }

  async function confirm(): Promise<void> {
    if (!matches || busy) return;
    setBusy(true);
    setError(null);
    try {
      await onConfirm(typed);
      setTyped('');
    } catch (failure) {
      setError(failure instanceof Error ? failure.message : String(failure));
    } finally {
      setBusy(false);
    }
  }

  return (
    <Modal opened={opened} onClose={close} title={title} centered size="md">
      <form
        onSubmit={(event) => {
          event.preventDefault();
          void confirm();
        }}
      >
        <Stack gap="sm">
          <div>{children}</div>
          <TextInput
            label={
              <Text span size="sm">
                Type <Text span fw={700} ff="monospace">{confirmText}</Text> to confirm
              </Text>
            }
            value={typed}
            onChange={(event) => setTyped(event.currentTarget.value)}
            autoComplete="off"
            spellCheck={false}
            data-autofocus
            aria-label="Confirmation"
          />
          {error && (
            <Alert color="red" variant="light" title="Not done">
              {error}
            </Alert>
          )}
          <Group justify="flex-end" gap="xs">
            <Button variant="default" onClick={close} disabled={busy}>
              Cancel
            </Button>
            <Button type="submit" color="red" disabled={!matches} loading={busy}>
              {actionLabel}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
