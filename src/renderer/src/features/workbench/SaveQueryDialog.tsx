import { useState } from 'react';
import { Button, Group, Modal, Stack, Text, Textarea, TextInput } from '@mantine/core';
import { api } from '../../api';
import { queryOf } from './runs';
import type { WorkbenchTab } from './tabs-store';

/** Names a tab's query (and says what it is for) and saves it in the workspace. */
export function SaveQueryDialog({ workspaceId, tab, onClose, onSaved }: { workspaceId: string; tab: WorkbenchTab; onClose(): void; onSaved(): void }) {
  const [name, setName] = useState(tab.title);
  const [description, setDescription] = useState('');
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const query = queryOf(tab);

  async function save(): Promise<void> {
    if ('missing' in query) return;
    setSaving(true);
    setError(null);
    try {
      await api().workbench.saveQuery({ workspaceId, name: name.trim(), target: query.target, text: tab.text, ...(description.trim() && { description: description.trim() }) });
      onSaved();
      onClose();
    } catch (failure) {
      setError(failure instanceof Error ? failure.message : String(failure));
    } finally {
      setSaving(false);
    }
  }

  return (
    <Modal opened onClose={onClose} title="Save query" size="md">
      <Stack gap="sm" component="form" onSubmit={(event) => (event.preventDefault(), void save())}>
        <TextInput label="Name" required value={name} onChange={(event) => setName(event.currentTarget.value)} data-autofocus maxLength={200} />
        <Textarea label="Description" rows={3} maxLength={2_000} value={description} onChange={(event) => setDescription(event.currentTarget.value)} />
        {'missing' in query && (
          <Text size="xs" c="orange">
            {query.missing} before saving.
          </Text>
        )}
        {error && (
          <Text size="xs" c="red">
            {error}
          </Text>
        )}
        <Group justify="flex-end" gap="xs">
          <Button variant="default" size="xs" onClick={onClose}>
            Cancel
          </Button>
          <Button size="xs" type="submit" loading={saving} disabled={'missing' in query || name.trim() === ''}>
            Save
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
