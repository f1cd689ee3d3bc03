import { useState, type ReactNode } from 'react';
import { ActionIcon, Badge, Box, Group, ScrollArea, Stack, Tabs, Text, TextInput, Tooltip, UnstyledButton } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { Play, Search, Trash2 } from 'lucide-react';
import type { HistoryEntry, SavedQuery } from '@shared/model/workbench';
import { api } from '../../api';
import { useCall } from '../../lib/useCall';
import { scopeLabel, targetLabel } from './describe';
import { formatDuration } from './RunStatus';
import { useRuns } from './runs';

const OUTCOME_COLOURS: Record<HistoryEntry['outcome'], string> = { succeeded: 'teal', failed: 'red', cancelled: 'gray', timeout: 'orange' };

export interface HistoryPanelProps {
  workspaceId: string;
  /** Bumped when a query was saved or deleted, so the saved list reads again. */
  savedRevision: number;
  onSavedChanged(): void;
  onOpen(entry: HistoryEntry | SavedQuery, run: boolean): void;
  /** Tenant names by id, to name a run's tenant rather than show its id. */
  tenantNames?: ReadonlyMap<string, string>;
}

/** The workspace's past runs and saved queries, searchable: click opens one in a new tab, ▶ runs it again. */
export function HistoryPanel({ workspaceId, savedRevision, onSavedChanged, onOpen, tenantNames }: HistoryPanelProps) {
  const [tab, setTab] = useState<string | null>('history');
  const [search, setSearch] = useState('');
  const [query] = useDebouncedValue(search.trim(), 250);
  const finished = useRuns((s) => s.finished);
  const history = useCall(
    tab === 'history' ? (signal) => api().workbench.history({ workspaceId, limit: 200, ...(query && { search: query }) }, { signal }) : null,
    [workspaceId, query, finished, tab],
  );
  const saved = useCall(
    tab === 'saved' ? (signal) => api().workbench.saved({ workspaceId, ...(query && { search: query }) }, { signal }) : null,
    [workspaceId, query, savedRevision, tab],
  );

  async function remove(entry: SavedQuery): Promise<void> {
    try {
      await api().workbench.deleteSaved({ workspaceId, id: entry.id });
      onSavedChanged();
    } catch (failure) {
      notifications.show({ color: 'red', title: 'The query was not deleted', message: failure instanceof Error ? failure.message : String(failure) });
    }
  }

  const error = tab === 'history' ? history.error : saved.error;
  return (
    <Stack gap={6} h="100%" style={{ minHeight: 0 }} role="region" aria-label="History and saved queries">
      <Tabs value={tab} onChange={setTab} variant="outline">
        <Tabs.List>
          <Tabs.Tab value="history" fz="xs">
            History
          </Tabs.Tab>
          <Tabs.Tab value="saved" fz="xs">
            Saved
          </Tabs.Tab>
        </Tabs.List>
      </Tabs>
      <TextInput
        size="xs"
        leftSection={<Search size={13} />}
        placeholder={tab === 'history' ? 'Search past queries' : 'Search saved queries'}
        aria-label="Search history"
        value={search}
        onChange={(event) => setSearch(event.currentTarget.value)}
      />
      {error && (
        <Text size="xs" c="red">
          {error}
        </Text>
      )}
      <ScrollArea style={{ flex: 1 }} type="auto">
        <Stack gap={4}>
          {tab === 'history' &&
            history.data?.entries.map((entry) => (
              <Item
                key={entry.id}
                kind="history"
                text={entry.text}
                title={`${targetLabel(entry.target)} · ${scopeLabel(entry.scope, tenantNames)}`}
                meta={
                  <>
                    <Badge size="xs" variant="light" color={OUTCOME_COLOURS[entry.outcome]}>
                      {entry.outcome}
                    </Badge>
                    <Text size="10px" c="dimmed">
                      {entry.rows.toLocaleString('en')} rows{entry.truncated ? ' (limit)' : ''} · {formatDuration(entry.durationMs)} ·{' '}
                      {new Date(entry.at).toLocaleTimeString('en-GB')}
                    </Text>
                    {entry.write && (
                      <Badge size="xs" color="red" variant="outline">
                        write
                      </Badge>
                    )}
                  </>
                }
                onOpen={() => onOpen(entry, false)}
                onRun={() => onOpen(entry, true)}
              />
            ))}
          {tab === 'saved' &&
            saved.data?.queries.map((entry) => (
              <Item
                key={entry.id}
                kind="saved"
                text={entry.text}
                title={entry.name}
                meta={
                  <Text size="10px" c="dimmed" truncate>
                    {targetLabel(entry.target)}
                    {entry.description ? ` · ${entry.description}` : ''}
                  </Text>
                }
                onOpen={() => onOpen(entry, false)}
                onRun={() => onOpen(entry, true)}
                onDelete={() => void remove(entry)}
              />
            ))}
          {tab === 'history' && history.data?.entries.length === 0 && <Empty text={query ? 'No past query matches.' : 'Runs of this workspace show here.'} />}
          {tab === 'saved' && saved.data?.queries.length === 0 && <Empty text={query ? 'No saved query matches.' : 'Save a tab’s query to find it here.'} />}
        </Stack>
      </ScrollArea>
    </Stack>
  );
}

function Empty({ text }: { text: string }) {
  return (
    <Text size="xs" c="dimmed" p="xs">
      {text}
    </Text>
  );
}

interface ItemProps {
  kind: 'history' | 'saved';
  title: string;
  text: string;
  meta: ReactNode;
  onOpen(): void;
  onRun(): void;
  onDelete?(): void;
}

function Item({ kind, title, text, meta, onOpen, onRun, onDelete }: ItemProps) {
  return (
    <Box
      data-history-kind={kind}
      style={{ border: '1px solid var(--mantine-color-default-border)', borderRadius: 4, padding: '4px 6px' }}
      className="tenantscope-grid-row"
    >
      <Group gap={4} wrap="nowrap" align="flex-start">
        <UnstyledButton onClick={onOpen} style={{ flex: 1, minWidth: 0 }} aria-label={`Open ${title} in a tab`}>
          <Text size="xs" fw={600} truncate>
            {title}
          </Text>
          <Text size="11px" ff="monospace" lineClamp={2} style={{ wordBreak: 'break-all' }}>
            {text}
          </Text>
        </UnstyledButton>
        <Tooltip label="Open and run" withArrow>
          <ActionIcon size="sm" variant="subtle" aria-label={`Run ${title} again`} onClick={onRun}>
            <Play size={12} />
          </ActionIcon>
        </Tooltip>
        {onDelete && (
          <Tooltip label="Delete" withArrow>
            <ActionIcon size="sm" variant="subtle" color="red" aria-label={`Delete ${title}`} onClick={onDelete}>
              <Trash2 size={12} />
            </ActionIcon>
          </Tooltip>
        )}
      </Group>
      <Group gap={6} mt={2} wrap="nowrap">
        {meta}
      </Group>
    </Box>
  );
}
