import { useEffect, useMemo, useRef, useState } from 'react';
import { Alert, Button, Group, Loader, Menu, Stack, Text, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { Download, RefreshCw, ScrollText, ShieldCheck } from 'lucide-react';
import type { AuditQueryFilter, AuditQueryResult } from '@shared/contract/audit';
import type { AuditEntry } from '@shared/model/audit';
import { api } from '../../api';
import { DataGrid, type SortState } from '../../components/DataGrid';
import { EmptyState } from '../../components/EmptyState';
import { useAppStore } from '../../store';
import { AuditFilters } from './AuditFilters';
import { ChainCheck, type ChainVerification } from './ChainCheck';
import { AUDIT_COLUMNS } from './columns';
import { downloadText } from './download';
import { EntryDetail } from './EntryDetail';
import { EMPTY_FILTER, filterOf, type AuditFilterDraft } from './filters';
import { PlatformLogsPanel } from './PlatformLogs';

const PAGE = 1000;

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

const entryKey = (entry: AuditEntry) => `${entry.workspaceId}:${entry.seq}`;

/**
 * The console's audit journal: filter it, read an entry whole, check the hash chain, export what
 * the filter shows, and for one tenant read the platform's own audit logs below.
 */
export function AuditViewer() {
  const workspace = useAppStore((s) => s.workspaces.find((w) => w.id === s.activeWorkspaceId));
  const workspaceId = workspace?.id ?? null;
  const [draft, setDraft] = useState<AuditFilterDraft>(EMPTY_FILTER);
  const [applied, setApplied] = useState<AuditQueryFilter>(() => filterOf(EMPTY_FILTER, workspaceId).filter);
  const [attempt, setAttempt] = useState(0);
  const [result, setResult] = useState<AuditQueryResult | null>(null);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<string | null>(null);
  const [sort, setSort] = useState<SortState | null>(null);
  const [selected, setSelected] = useState<string | null>(null);
  const [verification, setVerification] = useState<ChainVerification | null>(null);
  const [verifying, setVerifying] = useState(false);
  const [exporting, setExporting] = useState(false);
  const { problems } = filterOf(draft, workspaceId);

  // The journal follows the active workspace.
  const shownWorkspace = useRef(workspaceId);
  useEffect(() => {
    if (shownWorkspace.current === workspaceId) return;
    shownWorkspace.current = workspaceId;
    setApplied((current) => filterOf({ ...EMPTY_FILTER, allWorkspaces: current.workspaceId === undefined && workspaceId !== null }, workspaceId).filter);
    setDraft((current) => ({ ...EMPTY_FILTER, allWorkspaces: current.allWorkspaces }));
    setVerification(null);
  }, [workspaceId]);

  useEffect(() => {
    const controller = new AbortController();
    setLoading(true);
    setError(null);
    api()
      .audit.query({ ...applied, limit: PAGE }, { signal: controller.signal })
      .then(
        (answer) => {
          if (controller.signal.aborted) return;
          setResult(answer);
          setLoading(false);
        },
        (failure: unknown) => {
          if (controller.signal.aborted) return;
          setError(messageOf(failure));
          setLoading(false);
        },
      );
    return () => controller.abort();
  }, [applied, attempt]);

  const entries = useMemo(() => result?.entries ?? [], [result]);
  const knownActions = useMemo(() => [...new Set(entries.map((e) => e.action))], [entries]);
  const chosen = entries.find((e) => entryKey(e) === selected) ?? null;

  function apply(next: AuditFilterDraft): void {
    const { filter, problems: found } = filterOf(next, workspaceId);
    if (Object.keys(found).length > 0) return;
    setSelected(null);
    setApplied(filter);
  }

  async function verify(): Promise<void> {
    if (!workspaceId) return;
    setVerifying(true);
    try {
      setVerification(await api().audit.verify({ workspaceId }));
    } catch (failure) {
      notifications.show({ color: 'red', title: 'The chain could not be checked', message: messageOf(failure) });
    } finally {
      setVerifying(false);
    }
  }

  async function exportAs(format: 'csv' | 'json'): Promise<void> {
    setExporting(true);
    try {
      const file = await api().audit.export({ ...applied, format });
      downloadText(file.fileName, file.content, format === 'csv' ? 'text/csv;charset=utf-8' : 'application/json');
      notifications.show({ color: 'teal', message: `${file.fileName}: ${file.entries} entries exported.` });
    } catch (failure) {
      notifications.show({ color: 'red', title: 'Not exported', message: messageOf(failure) });
    } finally {
      setExporting(false);
    }
  }

  const scope = applied.workspaceId ? (workspace?.name ?? applied.workspaceId) : 'every workspace';
  const tenantId = applied.tenantId;

  return (
    <Stack gap="sm" p="md">
      <Group justify="space-between" wrap="nowrap">
        <Group gap="sm">
          <Title order={3}>Audit</Title>
          <Text size="sm" c="dimmed">
            {scope}
          </Text>
          {loading && <Loader size="xs" />}
        </Group>
        <Group gap="xs">
          <Button size="xs" variant="default" leftSection={<RefreshCw size={13} />} onClick={() => setAttempt((n) => n + 1)}>
            Refresh
          </Button>
          <Button size="xs" variant="default" leftSection={<ShieldCheck size={13} />} onClick={() => void verify()} loading={verifying} disabled={!workspaceId}>
            Verify chain
          </Button>
          <Menu position="bottom-end" withinPortal>
            <Menu.Target>
              <Button size="xs" variant="default" leftSection={<Download size={13} />} loading={exporting}>
                Export
              </Button>
            </Menu.Target>
            <Menu.Dropdown>
              <Menu.Item onClick={() => void exportAs('csv')}>CSV</Menu.Item>
              <Menu.Item onClick={() => void exportAs('json')}>JSON</Menu.Item>
            </Menu.Dropdown>
          </Menu>
        </Group>
      </Group>
      <AuditFilters draft={draft} problems={problems} knownActions={knownActions} onChange={setDraft} onApply={apply} />
      {verification && <ChainCheck result={verification} />}
      {error && (
        <Alert color="red" variant="light" p="xs" title="The journal could not be read">
          {error}
        </Alert>
      )}
      {result && result.unreadable.length > 0 && (
        <Alert color="orange" variant="light" p="xs">
          {result.unreadable.length} line{result.unreadable.length === 1 ? '' : 's'} of the journal could not be read as entries (
          {result.unreadable
            .slice(0, 3)
            .map((u) => `${u.journal} line ${u.line}`)
            .join(', ')}
          ). Verify the chain to see what happened.
        </Alert>
      )}
      <DataGrid
        label="Audit entries"
        rows={entries}
        columns={AUDIT_COLUMNS}
        rowKey={entryKey}
        sort={sort}
        onSortChange={setSort}
        onRowClick={(entry) => setSelected(entryKey(entry) === selected ? null : entryKey(entry))}
        selectedKey={selected}
        height={tenantId ? 320 : 'calc(100dvh - 300px)'}
        empty={
          !loading && !error ? (
            <EmptyState icon={<ScrollText size={22} />} title="No entries match">
              Every read of tenant data, every reason given and every refusal lands here. Loosen the filter to see more.
            </EmptyState>
          ) : null
        }
      />
      <Text size="xs" c="dimmed">
        {entries.length} entr{entries.length === 1 ? 'y' : 'ies'}, newest first
        {result?.more ? ` — more match; narrow the filter to see older ones` : ''}
      </Text>
      {chosen && <EntryDetail entry={chosen} onClose={() => setSelected(null)} />}
      {tenantId && applied.workspaceId && <PlatformLogsPanel workspaceId={applied.workspaceId} tenantId={tenantId} />}
    </Stack>
  );
}
