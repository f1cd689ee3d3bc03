import { useEffect, useState } from 'react';
import { Badge, Button, Group, Select, Stack, Text, TextInput } from '@mantine/core';
import { Search } from 'lucide-react';
import { CASE_PRIORITY_VALUES, CASE_STATUS_VALUES, type CaseSummary } from '@shared/model/case';
import { api } from '../../api';
import { DataGrid, type DataGridColumn, type SortState } from '../../components/DataGrid';
import { useAppStore } from '../../store';
import { formatShortTime } from '../../lib/format';

const UUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

const PRIORITY_COLORS: Record<string, string> = { low: 'gray', medium: 'blue', high: 'orange', urgent: 'red' };

export function PriorityBadge({ priority }: { priority: string }) {
  return (
    <Badge size="xs" variant="light" tt="none" color={PRIORITY_COLORS[priority] ?? 'gray'}>
      {priority}
    </Badge>
  );
}

export function StatusBadge({ status }: { status: string }) {
  return (
    <Badge size="xs" variant="outline" tt="none" color={status === 'closed' || status === 'resolved' ? 'gray' : 'teal'}>
      {status.replace('_', ' ')}
    </Badge>
  );
}

const columns: DataGridColumn<CaseSummary>[] = [
  { id: 'number', label: 'Number', header: 'Number', width: 160, cell: (c) => <Text span size="xs" ff="monospace">{c.caseNumber}</Text>, sortValue: (c) => c.caseNumber },
  { id: 'title', label: 'Title', header: 'Title', cell: (c) => c.title, sortValue: (c) => c.title },
  { id: 'status', label: 'Status', header: 'Status', width: 110, cell: (c) => <StatusBadge status={c.status} />, sortValue: (c) => c.status },
  { id: 'priority', label: 'Priority', header: 'Priority', width: 90, cell: (c) => <PriorityBadge priority={c.priority} />, sortValue: (c) => (CASE_PRIORITY_VALUES as readonly string[]).indexOf(c.priority) },
  { id: 'type', label: 'Type', header: 'Type', width: 140, cell: (c) => c.caseType ?? '—', sortValue: (c) => c.caseType },
  { id: 'assignee', label: 'Assignee', header: 'Assignee', width: 150, cell: (c) => c.assignee?.name ?? '—', sortValue: (c) => c.assignee?.name ?? null },
  { id: 'updated', label: 'Updated', header: 'Updated', width: 130, cell: (c) => formatShortTime(c.updatedAt), sortValue: (c) => c.updatedAt },
];

interface Query {
  text: string;
  caseNumber: string;
  status: string | null;
  priority: string | null;
  assigneeId: string;
}

const EMPTY: Query = { text: '', caseNumber: '', status: null, priority: null, assigneeId: '' };

/** Finds a tenant's cases by number, title words, status, priority and assignee; opens one. */
export function CaseSearch({ workspaceId, tenantId }: { workspaceId: string; tenantId: string }) {
  const navigate = useAppStore((s) => s.navigate);
  const [query, setQuery] = useState<Query>(EMPTY);
  const [cases, setCases] = useState<CaseSummary[] | null>(null);
  const [cursor, setCursor] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [sort, setSort] = useState<SortState | null>(null);
  const assigneeInvalid = query.assigneeId.trim() !== '' && !UUID.test(query.assigneeId.trim());

  async function run(from: string | null): Promise<void> {
    setLoading(true);
    setError(null);
    try {
      const status = CASE_STATUS_VALUES.find((s) => s === query.status);
      const priority = CASE_PRIORITY_VALUES.find((p) => p === query.priority);
      const page = await api().cases.search({
        workspaceId,
        tenantId,
        limit: 100,
        ...(query.text.trim() && { text: query.text.trim() }),
        ...(query.caseNumber.trim() && { caseNumber: query.caseNumber.trim() }),
        ...(status && { status }),
        ...(priority && { priority }),
        ...(query.assigneeId.trim() && { assigneeId: query.assigneeId.trim() }),
        ...(from && { cursor: from }),
      });
      setCases((previous) => (from && previous ? [...previous, ...page.cases] : page.cases));
      setCursor(page.nextCursor);
    } catch (failure) {
      setError(failure instanceof Error ? failure.message : String(failure));
    } finally {
      setLoading(false);
    }
  }

  // The first look shows the newest cases, as a list does before anyone types.
  useEffect(() => {
    void run(null);
    // Only a new tenant starts over; later searches run on submit.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [workspaceId, tenantId]);

  const change = (part: Partial<Query>) => setQuery((q) => ({ ...q, ...part }));

  return (
    <Stack gap={6}>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          if (!assigneeInvalid) void run(null);
        }}
      >
        <Group gap="xs" align="end" wrap="wrap">
          <TextInput aria-label="Title words" placeholder="Title words" leftSection={<Search size={13} />} w={220} value={query.text} onChange={(e) => change({ text: e.currentTarget.value })} />
          <TextInput aria-label="Case number" placeholder="Case number" w={150} value={query.caseNumber} onChange={(e) => change({ caseNumber: e.currentTarget.value })} />
          <Select aria-label="Case status" placeholder="Any status" clearable w={130} data={[...CASE_STATUS_VALUES]} value={query.status} onChange={(status) => change({ status })} />
          <Select aria-label="Priority" placeholder="Any priority" clearable w={130} data={[...CASE_PRIORITY_VALUES]} value={query.priority} onChange={(priority) => change({ priority })} />
          <TextInput
            aria-label="Assignee id"
            placeholder="Assignee id (UUID)"
            w={250}
            value={query.assigneeId}
            error={assigneeInvalid ? 'a user id (UUID)' : undefined}
            onChange={(e) => change({ assigneeId: e.currentTarget.value })}
          />
          <Button type="submit" loading={loading} disabled={assigneeInvalid}>
            Find cases
          </Button>
        </Group>
      </form>
      {error && (
        <Text size="xs" c="red">
          {error}
        </Text>
      )}
      <DataGrid
        label="Cases"
        rows={cases ?? []}
        columns={columns}
        rowKey={(c) => c.id}
        sort={sort}
        onSortChange={setSort}
        onRowClick={(c) => navigate({ name: 'case', tenantId, caseId: c.id })}
        height={420}
        empty={
          cases && (
            <Text size="xs" c="dimmed" p="sm">
              No case matches.
            </Text>
          )
        }
      />
      <Group justify="space-between">
        <Text size="xs" c="dimmed">
          {cases ? `${cases.length} cases${cursor ? ', more to load' : ''}` : ''}
        </Text>
        {cursor && (
          <Button size="compact-xs" variant="default" loading={loading} onClick={() => void run(cursor)}>
            More cases
          </Button>
        )}
      </Group>
    </Stack>
  );
}
