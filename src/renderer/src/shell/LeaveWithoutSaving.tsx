import { Button, Group, Modal, Text } from '@mantine/core';
import { useAppStore } from '../store';

/** Asks before a navigation would drop unsaved changes. */
export function LeaveWithoutSaving() {
  const pending = useAppStore((s) => s.pendingScreen);
  const what = useAppStore((s) => s.unsavedChanges);
  const resolve = useAppStore((s) => s.resolvePendingNavigation);
  return (
    <Modal opened={pending !== null} onClose={() => resolve(false)} title="Leave without saving?" centered size="sm">
      <Text size="sm">Your {what ?? 'changes'} are not saved. Leaving drops them.</Text>
      <Group justify="flex-end" gap="xs" mt="md">
        <Button variant="default" onClick={() => resolve(false)} data-autofocus>
          Keep editing
        </Button>
        <Button color="red" onClick={() => resolve(true)}>
          Discard changes
        </Button>
      </Group>
    </Modal>
  );
}
