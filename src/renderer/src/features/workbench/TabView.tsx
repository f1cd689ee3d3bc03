import { lazy, Suspense, useEffect, useMemo, useRef, useState } from 'react';
import { Box, Stack, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import type { Role } from '@shared/model/session';
import type { WorkspaceView } from '@shared/model/workspace';
import { useAppStore } from '../../store';
import { exportQuery } from './export';
import { ResultPanel } from './ResultPanel';
import { cancelRun, queryOf, runTab, useRuns } from './runs';
import { runScopeOf, type WorkbenchTab } from './tabs-store';
import { TabToolbar } from './TabToolbar';
import type { TenantChoice } from './ScopePicker';
import { useCatalog } from './useCatalog';

// Monaco is loaded with the first tab, not with the console.
const WorkbenchEditor = lazy(() => import('./WorkbenchEditor').then((m) => ({ default: m.WorkbenchEditor })));

export interface TabViewProps {
  workspace: WorkspaceView;
  role: Role | undefined;
  tab: WorkbenchTab;
  update(change: Partial<Omit<WorkbenchTab, 'id'>>): void;
  tenants: TenantChoice[];
  tenantsLoading: boolean;
  allowWrites: boolean;
  onAllowWrites(allow: boolean): void;
  onSave(): void;
}

/** One tab: its settings, its editor and its latest run. */
export function TabView({ workspace, role, tab, update, tenants, tenantsLoading, allowWrites, onAllowWrites, onSave }: TabViewProps) {
  const run = useRuns((s) => s.runs[tab.id]);
  const [exporting, setExporting] = useState(false);
  const support = role === 'support';
  // A fan-out completes with the catalog of its first tenant: tenants of one platform share a schema.
  const catalogTenant =
    tab.scope.kind === 'tenant' ? tab.scope.tenantId : tab.scope.kind === 'tenants' ? (tab.scope.tenantIds[0] ?? null) : (tenants[0]?.value ?? null);
  const catalog = useCatalog(workspace.id, tab, catalogTenant);
  const query = queryOf(tab);
  const scope = runScopeOf(tab.scope);
  const missing = 'missing' in query ? query.missing : scope ? null : tab.scope.kind === 'tenant' ? 'Choose a tenant' : 'Choose tenants';
  const running = run?.state === 'running';
  const writes = allowWrites && !support && tab.scope.kind === 'tenant';
  const marker = useMemo(
    () => (run?.failure?.code === 'invalid_argument' && run.failure.position !== undefined ? { position: run.failure.position, message: run.failure.message } : null),
    [run?.failure],
  );

  const navigate = useAppStore((s) => s.navigate);
  // Explain reads one tenant's plan: the tab's tenant, or the first of a fan-out's.
  const explain =
    tab.engine === 'redis' || 'missing' in query || !catalogTenant
      ? undefined
      : () => {
          const target = query.target;
          navigate({
            name: 'explain',
            workspaceId: workspace.id,
            tenantId: catalogTenant,
            engine: tab.engine as 'postgres' | 'mongo' | 'elastic',
            statement: tab.text,
            ...(target.engine === 'mongo' && { collection: target.collection, operation: target.operation }),
            ...(target.engine === 'elastic' && { index: target.index }),
          });
        };

  function start(): void {
    // Read from the store, not this render: Ctrl+Enter may reach both the editor and the window.
    if (missing || useRuns.getState().runs[tab.id]?.state === 'running') return;
    void runTab(workspace.id, tab, { write: writes });
  }

  // Support reads one tenant at a time: a tab kept from another role's session comes back to one tenant.
  useEffect(() => {
    if (support && tab.scope.kind !== 'tenant') update({ scope: { kind: 'tenant', tenantId: tab.scope.kind === 'tenants' ? (tab.scope.tenantIds[0] ?? null) : null } });
  }, [support, tab.scope, update]);

  // Ctrl+Enter runs from anywhere on the screen, not only from inside the editor.
  const startRef = useRef(start);
  startRef.current = start;
  useEffect(() => {
    const onKey = (event: KeyboardEvent): void => {
      if ((event.ctrlKey || event.metaKey) && event.key === 'Enter' && !event.defaultPrevented) {
        event.preventDefault();
        startRef.current();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  async function exportAs(format: 'csv' | 'json'): Promise<void> {
    if ('missing' in query || tab.scope.kind !== 'tenant' || !tab.scope.tenantId) return;
    setExporting(true);
    try {
      const outcome = await exportQuery(workspace.id, tab.scope.tenantId, query, format);
      if (outcome.kind === 'file') notifications.show({ color: 'teal', title: 'Exported', message: `${outcome.rows.toLocaleString('en')} rows to ${outcome.path}` });
      if (outcome.kind === 'download') notifications.show({ color: 'teal', title: 'Export started', message: `${outcome.fileName} is downloading` });
    } catch (failure) {
      notifications.show({ color: 'red', title: 'The export failed', message: failure instanceof Error ? failure.message : String(failure) });
    } finally {
      setExporting(false);
    }
  }

  return (
    <Stack gap={8} style={{ flex: 1, minHeight: 0 }}>
      <TabToolbar
        tab={tab}
        update={update}
        role={role}
        prod={workspace.environment === 'prod'}
        tenants={tenants}
        tenantsLoading={tenantsLoading}
        catalog={catalog.entries}
        catalogLoading={catalog.loading}
        running={running}
        missing={missing}
        allowWrites={writes}
        onAllowWrites={onAllowWrites}
        onRun={start}
        onCancel={() => cancelRun(tab.id)}
        onSave={onSave}
        {...(tab.engine !== 'redis' && { onExplain: explain })}
        exporting={exporting}
        {...(tab.scope.kind === 'tenant' ? { onExport: (format: 'csv' | 'json') => void exportAs(format) } : {})}
      />
      <Suspense fallback={<Box h={200} style={{ border: '1px solid var(--mantine-color-default-border)', borderRadius: 4 }} />}>
        <WorkbenchEditor
          tab={tab}
          completion={catalog.completion}
          marker={marker}
          onChange={(text) => update({ text })}
          onRun={start}
          onCancel={() => cancelRun(tab.id)}
        />
      </Suspense>
      {catalog.error && tab.engine !== 'redis' && (
        <Text size="xs" c="dimmed">
          Completion is unavailable: {catalog.error}
        </Text>
      )}
      <ResultPanel run={run} />
    </Stack>
  );
}
