import { useEffect, useMemo, useState } from 'react';
import { Box, Button, Group, Stack, Text, Title } from '@mantine/core';
import { History, TerminalSquare } from 'lucide-react';
import { STORE_KINDS, type WorkspaceView } from '@shared/model/workspace';
import type { HistoryEntry, SavedQuery, WorkbenchEngine } from '@shared/model/workbench';
import type { Role } from '@shared/model/session';
import { api } from '../../api';
import { EmptyState } from '../../components/EmptyState';
import { disposeQueryModel } from '../../components/query-models';
import { useCall } from '../../lib/useCall';
import { useAppStore } from '../../store';
import { roleIn } from '../access';
import { tabScopeOf, tabTargetFields } from './describe';
import { HistoryPanel } from './HistoryPanel';
import type { WorkbenchOpenRequest, WorkbenchParams } from './params';
import { dropRun, listenForRuns, runTab, useRuns } from './runs';
import { SaveQueryDialog } from './SaveQueryDialog';
import { TabStrip } from './TabStrip';
import { TabView } from './TabView';
import { workbenchTabs } from './tabs-store';

/** The query workbench of the active workspace; `open` adds a tab another screen prepared (explain's DDL). */
export function WorkbenchScreen({ open }: WorkbenchParams) {
  const workspace = useAppStore((s) => s.workspaces.find((w) => w.id === s.activeWorkspaceId));
  const role = useAppStore((s) => roleIn(s, s.activeWorkspaceId));
  if (!workspace) {
    return (
      <EmptyState icon={<TerminalSquare size={22} />} title="No workspace open">
        The workbench runs queries in a workspace’s stores: open one first.
      </EmptyState>
    );
  }
  return <Workbench key={workspace.id} workspace={workspace} role={role} open={open} />;
}

/**
 * The requests already turned into tabs. Each navigation makes a new request object, so one seen
 * here is the same request again (a re-render, a remount, StrictMode's second effect, another
 * workspace shown on the same screen): no new tab.
 */
const handledRequests = new WeakSet<WorkbenchOpenRequest>();

function Workbench({ workspace, role, open }: { workspace: WorkspaceView; role: Role | undefined; open: WorkbenchOpenRequest | undefined }) {
  const useTabs = workbenchTabs(workspace.id);
  const tabs = useTabs((s) => s.tabs);
  const activeTabId = useTabs((s) => s.activeTabId);
  const { openTab, closeTab, activate, updateTab } = useTabs.getState();
  const engines = useMemo(() => STORE_KINDS.filter((kind) => workspace.endpoints[kind]) as WorkbenchEngine[], [workspace]);
  const runs = useRuns((s) => s.runs);
  const [allowWrites, setAllowWrites] = useState<Record<string, boolean>>({});
  const [saving, setSaving] = useState(false);
  const [savedRevision, setSavedRevision] = useState(0);
  const [showHistory, setShowHistory] = useState(true);
  const support = role === 'support';

  useEffect(() => listenForRuns(), []);
  // It runs before the first-tab effect below, so a workspace without tabs gets only the requested one.
  useEffect(() => {
    if (!open || handledRequests.has(open)) return;
    handledRequests.add(open);
    if (!engines.includes(open.engine)) return;
    useTabs.getState().openTab(open.engine, { text: open.text, scope: { kind: 'tenant', tenantId: open.tenantId ?? null } });
  }, [open, useTabs, engines]);
  // A workspace opens on one tab of its first engine, so there is always somewhere to type.
  useEffect(() => {
    if (useTabs.getState().tabs.length === 0 && engines[0]) useTabs.getState().openTab(engines[0]);
  }, [useTabs, engines]);

  const tenantList = useCall((signal) => api().tenants.list({ workspaceId: workspace.id }, { signal }), [workspace.id]);
  const tenants = useMemo(
    () =>
      (tenantList.data?.tenants ?? [])
        .map((t) => ({ value: t.id, label: t.name ? `${t.name} · ${t.id}` : t.id }))
        .sort((a, b) => a.label.localeCompare(b.label)),
    [tenantList.data],
  );
  const tenantNames = useMemo(
    () => new Map((tenantList.data?.tenants ?? []).filter((t) => t.name).map((t) => [t.id, t.name!])),
    [tenantList.data],
  );

  const visibleTabs = tabs.filter((tab) => engines.includes(tab.engine));
  const active = visibleTabs.find((tab) => tab.id === activeTabId) ?? visibleTabs[0];
  const running = new Set(Object.entries(runs).filter(([, run]) => run.state === 'running').map(([id]) => id));

  function close(id: string): void {
    dropRun(id);
    disposeQueryModel(id);
    closeTab(id);
  }

  function openStored(entry: HistoryEntry | SavedQuery, run: boolean): void {
    if (!engines.includes(entry.target.engine)) return;
    const id = openTab(entry.target.engine, {
      text: entry.text,
      scope: tabScopeOf(entry.scope, support),
      ...tabTargetFields(entry.target),
      ...('name' in entry && { title: entry.name }),
    });
    if (!run) return;
    const tab = useTabs.getState().tabs.find((t) => t.id === id);
    if (tab) void runTab(workspace.id, tab, { write: false });
  }

  if (engines.length === 0) {
    return (
      <EmptyState icon={<TerminalSquare size={22} />} title="No store to query">
        {workspace.name} has no store configured: add PostgreSQL, MongoDB, Elasticsearch or Redis to it first.
      </EmptyState>
    );
  }

  return (
    // The screen fills the shell's main area exactly (below the header, above the status bar), so the grid takes what is left.
    <Stack gap="xs" p="md" style={{ height: 'calc(100dvh - 44px - 28px)', minHeight: 560 }}>
      <Group justify="space-between" wrap="nowrap">
        <Group gap="sm">
          <Title order={3}>Workbench</Title>
          <Text size="sm" c="dimmed">
            {workspace.name} · {support ? 'one tenant at a time, read-only' : 'read-only unless writes are allowed'}
          </Text>
        </Group>
        <Button size="xs" variant={showHistory ? 'light' : 'default'} leftSection={<History size={13} />} onClick={() => setShowHistory((v) => !v)}>
          History
        </Button>
      </Group>
      <TabStrip
        tabs={visibleTabs}
        activeTabId={active?.id ?? null}
        engines={engines}
        running={running}
        onActivate={activate}
        onClose={close}
        onOpen={(engine) => openTab(engine)}
      />
      <Group align="stretch" gap="sm" wrap="nowrap" style={{ flex: 1, minHeight: 0 }}>
        <Box style={{ flex: 1, minWidth: 0, display: 'flex', flexDirection: 'column' }}>
          {active ? (
            <TabView
              key={active.id}
              workspace={workspace}
              role={role}
              tab={active}
              update={(change) => updateTab(active.id, change)}
              tenants={tenants}
              tenantsLoading={tenantList.loading}
              allowWrites={allowWrites[active.id] ?? false}
              onAllowWrites={(allow) => setAllowWrites((current) => ({ ...current, [active.id]: allow }))}
              onSave={() => setSaving(true)}
            />
          ) : (
            <Text size="sm" c="dimmed" p="md">
              Open a tab to write a query.
            </Text>
          )}
        </Box>
        {showHistory && (
          <Box w={320} style={{ flexShrink: 0, minHeight: 0 }}>
            <HistoryPanel
              workspaceId={workspace.id}
              savedRevision={savedRevision}
              onSavedChanged={() => setSavedRevision((n) => n + 1)}
              onOpen={openStored}
              tenantNames={tenantNames}
            />
          </Box>
        )}
      </Group>
      {saving && active && (
        <SaveQueryDialog workspaceId={workspace.id} tab={active} onClose={() => setSaving(false)} onSaved={() => setSavedRevision((n) => n + 1)} />
      )}
    </Stack>
  );
}
