import { lazy, Suspense, useEffect, useState } from 'react';
import { Alert, Button, Grid, Group, Input, Loader, Paper, SegmentedControl, Select, Stack, Tabs, Text, TextInput, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { Braces, Lock, Settings2 } from 'lucide-react';
import { STORE_KINDS, type Environment, type StoreKind, type WorkspaceView } from '@shared/model/workspace';
import { useAppStore } from '../../store';
import { draftFromView, draftToDisplayJson, draftToInput, emptyDraft, type EndpointDrafts, type WorkspaceDraft } from './draft';
import { fieldErrorsFromError, storeFieldErrors, type FieldErrors } from './field-errors';
import { TENANCY_PRESETS } from './presets';
import { StoreSection } from './StoreSection';

// Monaco is large: it loads when the JSON tab is first opened, not with the app.
const CodeEditor = lazy(() => import('../../components/CodeEditor').then((m) => ({ default: m.CodeEditor })));

const ENVIRONMENTS: { value: Environment; label: string }[] = [
  { value: 'dev', label: 'dev' },
  { value: 'staging', label: 'staging' },
  { value: 'prod', label: 'prod' },
];

/** Create (no id) or edit a workspace. Nothing is saved until "Save"; "Cancel" drops every change. */
export function WorkspaceEditor({ workspaceId }: { workspaceId: string | null }) {
  const existing = useAppStore((s) => (workspaceId ? s.workspaces.find((w) => w.id === workspaceId) : undefined));
  const loaded = useAppStore((s) => s.workspacesLoaded);
  if (workspaceId && !existing) {
    return loaded ? (
      <Alert color="red" title="Workspace not found" m="md">
        It may have been deleted from another window.
      </Alert>
    ) : (
      <Loader m="md" size="sm" />
    );
  }
  return <EditorForm key={workspaceId ?? 'new'} workspaceId={workspaceId} stored={existing} initial={existing ? draftFromView(existing) : emptyDraft()} />;
}

function EditorForm({ workspaceId, stored, initial }: { workspaceId: string | null; stored: WorkspaceView | undefined; initial: WorkspaceDraft }) {
  const saveWorkspace = useAppStore((s) => s.saveWorkspace);
  const navigate = useAppStore((s) => s.navigate);
  const activeWorkspaceId = useAppStore((s) => s.activeWorkspaceId);
  const [draft, setDraft] = useState(initial);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const setUnsavedChanges = useAppStore((s) => s.setUnsavedChanges);
  const dirty = JSON.stringify(draft) !== JSON.stringify(initial);
  const title = workspaceId ? `Edit ${initial.name}` : 'New workspace';

  // Navigation elsewhere asks before dropping changes; so does closing or reloading the window.
  useEffect(() => {
    setUnsavedChanges(dirty ? (workspaceId ? `changes to ${initial.name}` : 'new workspace') : null);
    if (!dirty) return;
    const warn = (event: BeforeUnloadEvent): void => event.preventDefault();
    window.addEventListener('beforeunload', warn);
    return () => window.removeEventListener('beforeunload', warn);
  }, [dirty, workspaceId, initial.name, setUnsavedChanges]);
  useEffect(() => () => setUnsavedChanges(null), [setUnsavedChanges]);

  function update(patch: Partial<WorkspaceDraft>): void {
    setDraft((current) => ({ ...current, ...patch }));
  }

  function updateEndpoint<K extends StoreKind>(kind: K, patch: Partial<EndpointDrafts[K]>): void {
    setDraft((current) => ({ ...current, endpoints: { ...current.endpoints, [kind]: { ...current.endpoints[kind], ...patch } } }));
  }

  function setStoreErrors(kind: StoreKind, storeErrors: FieldErrors): void {
    setErrors((current) => {
      const kept = Object.fromEntries(Object.entries(current).filter(([key]) => !key.startsWith(`${kind}.`)));
      const added = Object.fromEntries(Object.entries(storeErrors).map(([key, message]) => [key.startsWith(`${kind}.`) ? key : `${kind}.${key}`, message]));
      return { ...kept, ...added };
    });
  }

  function leave(): void {
    const target = workspaceId && workspaceId === activeWorkspaceId ? { name: 'overview' as const } : { name: 'workspaces' as const };
    navigate(target, { discard: true });
  }

  async function save(): Promise<void> {
    setSaving(true);
    setFormError(null);
    setErrors({});
    try {
      const saved = await saveWorkspace(draftToInput(draft), workspaceId);
      notifications.show({ color: 'teal', title: 'Saved', message: `${saved.name} is saved.` });
      navigate(saved.id === useAppStore.getState().activeWorkspaceId ? { name: 'overview' } : { name: 'workspaces' }, { discard: true });
    } catch (error) {
      const fieldErrors = fieldErrorsFromError(error);
      setErrors(fieldErrors);
      setFormError(
        Object.keys(fieldErrors).length > 0
          ? 'Some fields need fixing; they are marked below.'
          : error instanceof Error
            ? error.message
            : String(error),
      );
    } finally {
      setSaving(false);
    }
  }

  return (
    <form
      onSubmit={(event) => {
        event.preventDefault();
        void save();
      }}
      aria-label={title}
    >
      <Stack gap="sm" p="md" maw={980}>
        {/* The title and Save stay in view while the person scrolls through four stores. */}
        <Group
          justify="space-between"
          wrap="nowrap"
          py={6}
          style={{ position: 'sticky', top: 0, zIndex: 5, background: 'var(--mantine-color-body)' }}
        >
          <Title order={3}>{title}</Title>
          <Group gap="xs">
            <Button variant="default" onClick={leave} disabled={saving}>
              Cancel
            </Button>
            <Button type="submit" loading={saving}>
              {workspaceId ? 'Save' : 'Create workspace'}
            </Button>
          </Group>
        </Group>
        {formError && (
          <Alert color="red" variant="light" title="Not saved">
            {formError}
          </Alert>
        )}
        <Tabs defaultValue="settings" keepMounted={false}>
          <Tabs.List>
            <Tabs.Tab value="settings" leftSection={<Settings2 size={14} />}>
              Settings
            </Tabs.Tab>
            <Tabs.Tab value="json" leftSection={<Braces size={14} />}>
              As JSON
            </Tabs.Tab>
          </Tabs.List>
          <Tabs.Panel value="settings" pt="sm">
            <Stack gap="sm">
              <Paper withBorder p="sm" radius="sm">
                <Grid gap="xs">
                  <Grid.Col span={5}>
                    <TextInput label="Name" placeholder="Murima2025 prod" value={draft.name} error={errors.name} required onChange={(e) => update({ name: e.currentTarget.value })} />
                  </Grid.Col>
                  <Grid.Col span={3}>
                    <Input.Wrapper label="Environment">
                      <SegmentedControl
                      fullWidth
                      size="xs"
                      aria-label="Environment"
                      data={ENVIRONMENTS}
                      value={draft.environment}
                      color={draft.environment === 'prod' ? 'red' : draft.environment === 'staging' ? 'yellow' : 'blue'}
                        onChange={(value) => update({ environment: value as Environment })}
                      />
                    </Input.Wrapper>
                  </Grid.Col>
                  <Grid.Col span={4}>
                    <Select
                      label="Tenancy preset"
                      data={TENANCY_PRESETS.map((p) => ({ value: p.value, label: p.label }))}
                      value={draft.preset}
                      error={errors.preset}
                      allowDeselect={false}
                      onChange={(value) => value && update({ preset: value })}
                    />
                  </Grid.Col>
                  {draft.environment === 'prod' && (
                    <Grid.Col span={12}>
                      <Alert color="orange" variant="light" icon={<Lock size={16} />} p="xs" title="Production opens read-only">
                        Every store of a prod workspace is read-only. Writes need an explicit, time-boxed unlock, and each
                        one is audited.
                      </Alert>
                    </Grid.Col>
                  )}
                </Grid>
              </Paper>
              {STORE_KINDS.map((kind) => (
                <StoreSection
                  key={kind}
                  kind={kind}
                  draft={draft.endpoints[kind]}
                  workspaceId={workspaceId}
                  errors={storeFieldErrors(errors, kind)}
                  onChange={(patch) => updateEndpoint(kind, patch)}
                  onFieldErrors={(storeErrors) => setStoreErrors(kind, storeErrors)}
                />
              ))}
            </Stack>
          </Tabs.Panel>
          <Tabs.Panel value="json" pt="sm">
            <Text size="xs" c="dimmed" mb={6}>
              The workspace as it will be saved. Passwords never appear here; hasPassword says whether one is stored or typed.
            </Text>
            <Suspense fallback={<Loader size="sm" />}>
              <CodeEditor language="json" value={draftToDisplayJson(draft, stored)} readOnly height={480} aria-label="Workspace as JSON" />
            </Suspense>
          </Tabs.Panel>
        </Tabs>
      </Stack>
    </form>
  );
}
