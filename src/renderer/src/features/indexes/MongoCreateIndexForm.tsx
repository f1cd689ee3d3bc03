import { useMemo, useState } from 'react';
import { ActionIcon, Button, Checkbox, Code, Group, Select, SimpleGrid, Stack, Text, TextInput, Textarea } from '@mantine/core';
import { ArrowDown, ArrowUp, Hammer, Plus, X } from 'lucide-react';
import { createIndexesCommand } from '@shared/model/indexes';
import type { JobSummary } from '@shared/model/job';
import { api } from '../../api';
import { EMPTY_MONGO_INDEX_FORM, MONGO_KEY_KINDS, compactJson, defaultMongoIndexName, mongoSpecOf, moveKey, type MongoIndexForm, type MongoKeyKind } from './mongo-index-form';

const KIND_LABELS: Record<MongoKeyKind, string> = { '1': '1 (ascending)', '-1': '-1 (descending)', text: 'text', '2dsphere': '2dsphere', hashed: 'hashed' };
const STRENGTHS = ['1', '2', '3', '4', '5'];

export interface MongoCreateIndexFormProps {
  workspaceId: string;
  tenantId: string;
  /** The collection as the person named it (logical or the tenant's own). */
  collection: string;
  /** The tenant's physical collection, once read: what the command names. */
  physicalCollection: string | null;
  onStarted(job: JobSummary): void;
}

/**
 * A new MongoDB index on a tenant's collection: ordered keys, unique, partial filter, TTL, text
 * weights and language, collation, hidden. The `createIndexes` command it will send is shown as it
 * is typed; the build runs as an `indexes.mongo-build` job.
 */
export function MongoCreateIndexForm({ workspaceId, tenantId, collection, physicalCollection, onStarted }: MongoCreateIndexFormProps) {
  const [form, setForm] = useState<MongoIndexForm>(EMPTY_MONGO_INDEX_FORM);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const checked = useMemo(() => mongoSpecOf(form), [form]);
  const touched = form.keys.some((k) => k.field.trim() !== '');
  const errors = touched ? checked.errors : {};
  const hasText = form.keys.some((k) => k.kind === 'text');
  const set = <K extends keyof MongoIndexForm>(key: K, value: MongoIndexForm[K]) => setForm((current) => ({ ...current, [key]: value }));
  const setKey = (index: number, change: Partial<MongoIndexForm['keys'][number]>) =>
    setForm((current) => ({ ...current, keys: current.keys.map((k, i) => (i === index ? { ...k, ...change } : k)) }));

  async function build(): Promise<void> {
    if (!checked.spec) return;
    setBusy(true);
    setError(null);
    try {
      onStarted(await api().indexes.mongoBuild({ workspaceId, tenantId, collection, index: checked.spec }));
    } catch (failure) {
      setError(failure instanceof Error ? failure.message : String(failure));
    } finally {
      setBusy(false);
    }
  }

  return (
    <Stack gap="xs" component="form" aria-label="Create a MongoDB index" onSubmit={(event) => (event.preventDefault(), void build())}>
      <Group gap="sm" align="flex-start" wrap="nowrap">
        <Stack gap={4} style={{ flex: 1, minWidth: 0 }} aria-label="Keys" role="group">
          <Text size="xs" fw={500}>
            Keys, in index order
          </Text>
          {form.keys.map((key, index) => (
            <Group key={index} gap={4} wrap="nowrap" data-key-row={index}>
              <TextInput size="xs" style={{ flex: 1 }} aria-label={`Field ${index + 1}`} placeholder="tenant_id" value={key.field} onChange={(e) => setKey(index, { field: e.currentTarget.value })} />
              <Select
                size="xs"
                w={140}
                aria-label={`Kind ${index + 1}`}
                data={MONGO_KEY_KINDS.map((kind) => ({ value: kind, label: KIND_LABELS[kind] }))}
                value={key.kind}
                onChange={(v) => setKey(index, { kind: (v as MongoKeyKind | null) ?? '1' })}
                allowDeselect={false}
              />
              <ActionIcon size="sm" variant="subtle" aria-label={`Move field ${index + 1} up`} disabled={index === 0} onClick={() => set('keys', moveKey(form.keys, index, -1))}>
                <ArrowUp size={12} />
              </ActionIcon>
              <ActionIcon size="sm" variant="subtle" aria-label={`Move field ${index + 1} down`} disabled={index === form.keys.length - 1} onClick={() => set('keys', moveKey(form.keys, index, 1))}>
                <ArrowDown size={12} />
              </ActionIcon>
              <ActionIcon size="sm" variant="subtle" color="gray" aria-label={`Remove field ${index + 1}`} disabled={form.keys.length === 1} onClick={() => set('keys', form.keys.filter((_, i) => i !== index))}>
                <X size={12} />
              </ActionIcon>
            </Group>
          ))}
          <Group gap="xs">
            <Button size="compact-xs" variant="subtle" leftSection={<Plus size={11} />} onClick={() => set('keys', [...form.keys, { field: '', kind: '1' }])} disabled={form.keys.length >= 32}>
              Add a field
            </Button>
            {errors.keys && (
              <Text size="xs" c="red" data-error="keys">
                {errors.keys}
              </Text>
            )}
          </Group>
        </Stack>
        <Stack gap={4} w={260}>
          <TextInput size="xs" label="Index name" placeholder={defaultMongoIndexName(form.keys) || 'from the keys'} value={form.name} onChange={(e) => set('name', e.currentTarget.value)} error={errors.name} />
          <Group gap="md">
            <Checkbox size="xs" label="Unique" checked={form.unique} onChange={(e) => set('unique', e.currentTarget.checked)} error={errors.unique} />
            <Checkbox size="xs" label="Hidden" checked={form.hidden} onChange={(e) => set('hidden', e.currentTarget.checked)} />
          </Group>
        </Stack>
      </Group>
      <SimpleGrid cols={{ base: 2, lg: 4 }} spacing="sm" verticalSpacing={4}>
        <Textarea
          size="xs"
          label="Partial filter (JSON)"
          placeholder='{ "status": { "$exists": true } }'
          rows={2}
          styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)' } }}
          value={form.partialFilter}
          onChange={(e) => set('partialFilter', e.currentTarget.value)}
          error={errors.partialFilter}
        />
        <TextInput size="xs" label="TTL (seconds)" placeholder="none" value={form.ttlSeconds} onChange={(e) => set('ttlSeconds', e.currentTarget.value)} error={errors.ttlSeconds} />
        <Group gap={4} grow align="flex-start">
          <TextInput
            size="xs"
            label="Text weights"
            placeholder={hasText ? '{ "title": 10 }' : 'text keys only'}
            disabled={!hasText && !form.weights}
            styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)' } }}
            value={form.weights}
            onChange={(e) => set('weights', e.currentTarget.value)}
            error={errors.weights}
          />
          <TextInput size="xs" label="Language" placeholder="english" disabled={!hasText && !form.defaultLanguage} value={form.defaultLanguage} onChange={(e) => set('defaultLanguage', e.currentTarget.value)} error={errors.defaultLanguage} />
        </Group>
        <Group gap={4} grow align="flex-start">
          <TextInput size="xs" label="Collation locale" placeholder="en" value={form.collationLocale} onChange={(e) => set('collationLocale', e.currentTarget.value)} error={errors.collation} />
          <Select size="xs" label="Strength" placeholder="default" data={STRENGTHS} value={form.collationStrength || null} onChange={(v) => set('collationStrength', v ?? '')} clearable />
        </Group>
      </SimpleGrid>
      <Stack gap={2}>
        <Text size="xs" fw={500}>
          The command it will send
        </Text>
        {checked.spec ? (
          <Code block fz="xs" data-testid="mongo-command-preview">
            {compactJson(createIndexesCommand(physicalCollection ?? collection, checked.spec))}
          </Code>
        ) : (
          <Text size="xs" c="dimmed" data-testid="mongo-command-preview">
            {touched ? `Not yet a valid index${errors.spec ? `: ${errors.spec}` : ': see the fields marked above'}.` : 'Name a field to see the createIndexes command.'}
          </Text>
        )}
      </Stack>
      <Group gap="sm">
        <Button size="xs" type="submit" leftSection={<Hammer size={13} />} loading={busy} disabled={!checked.spec}>
          Build as a job
        </Button>
        {error && (
          <Text size="xs" c="red" role="alert">
            {error}
          </Text>
        )}
      </Group>
    </Stack>
  );
}
