import { useEffect, useState } from 'react';
import { Badge, Button, Group, Stack, Text, TextInput } from '@mantine/core';
import { Search } from 'lucide-react';
import type { ClientSearchResult, ClientSummary } from '@shared/model/client';
import { api } from '../../api';
import { DataGrid, type DataGridColumn, type SortState } from '../../components/DataGrid';
import { useAppStore } from '../../store';
import { formatShortTime } from '../../lib/format';

const MATCHED_BY: Record<ClientSearchResult['matchedBy'], string> = {
  text_index: 'matched with the text index',
  search_tokens: 'matched with the search tokens (no text index)',
  code: 'matched by client code',
  filter: 'filters only',
};

const columns: DataGridColumn<ClientSummary>[] = [
  { id: 'code', label: 'Code', header: 'Code', width: 110, cell: (c) => <Text span size="xs" ff="monospace">{c.clientCode ?? '—'}</Text>, sortValue: (c) => c.clientCode },
  { id: 'name', label: 'Company', header: 'Company', cell: (c) => c.companyName ?? c.legalName ?? c.tradingName ?? c.id, sortValue: (c) => c.companyName },
  { id: 'status', label: 'Status', header: 'Status', width: 100, cell: (c) => c.status ?? '—', sortValue: (c) => c.status },
  { id: 'tier', label: 'Tier', header: 'Tier', width: 90, cell: (c) => c.tier ?? '—', sortValue: (c) => c.tier },
  {
    id: 'churn',
    label: 'Churn risk',
    header: 'Churn risk',
    width: 90,
    align: 'right',
    cell: (c) => (c.churnRiskScore === null ? '—' : <Badge size="xs" variant="light" color={c.churnRiskScore >= 70 ? 'red' : c.churnRiskScore >= 40 ? 'yellow' : 'teal'}>{c.churnRiskScore}</Badge>),
    sortValue: (c) => c.churnRiskScore,
  },
  { id: 'created', label: 'Created', header: 'Created', width: 130, cell: (c) => formatShortTime(c.createdAt), sortValue: (c) => c.createdAt },
];

/** Finds a tenant's clients by name or code, or by relationship status; opens one. */
export function ClientSearch({ workspaceId, tenantId }: { workspaceId: string; tenantId: string }) {
  const navigate = useAppStore((s) => s.navigate);
  const [text, setText] = useState('');
  const [code, setCode] = useState('');
  const [status, setStatus] = useState('');
  const [result, setResult] = useState<ClientSearchResult | null>(null);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [sort, setSort] = useState<SortState | null>(null);

  async function run(): Promise<void> {
    setLoading(true);
    setError(null);
    try {
      setResult(
        await api().clients.search({
          workspaceId,
          tenantId,
          limit: 200,
          ...(text.trim() && { text: text.trim() }),
          ...(code.trim() && { code: code.trim() }),
          ...(status.trim() && { status: status.trim() }),
        }),
      );
    } catch (failure) {
      setError(failure instanceof Error ? failure.message : String(failure));
    } finally {
      setLoading(false);
    }
  }

  useEffect(() => {
    void run();
    // Only a new tenant starts over; later searches run on submit.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [workspaceId, tenantId]);

  return (
    <Stack gap={6}>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void run();
        }}
      >
        <Group gap="xs" align="end">
          <TextInput aria-label="Client name" placeholder="Client name" leftSection={<Search size={13} />} w={240} value={text} onChange={(e) => setText(e.currentTarget.value)} />
          <TextInput aria-label="Client code" placeholder="Client code" w={140} value={code} onChange={(e) => setCode(e.currentTarget.value)} />
          <TextInput aria-label="Relationship status" placeholder="Relationship status" w={160} value={status} onChange={(e) => setStatus(e.currentTarget.value)} />
          <Button type="submit" loading={loading}>
            Find clients
          </Button>
        </Group>
      </form>
      {error && (
        <Text size="xs" c="red">
          {error}
        </Text>
      )}
      <DataGrid
        label="Clients"
        rows={result?.clients ?? []}
        columns={columns}
        rowKey={(c) => c.id}
        sort={sort}
        onSortChange={setSort}
        onRowClick={(c) => navigate({ name: 'client', tenantId, clientId: c.id })}
        height={420}
        empty={
          result && (
            <Text size="xs" c="dimmed" p="sm">
              No client matches.
            </Text>
          )
        }
      />
      {result && (
        <Text size="xs" c="dimmed">
          {result.clients.length} clients, {MATCHED_BY[result.matchedBy]}
          {result.truncated ? '; more matched than shown — narrow the search' : ''}
        </Text>
      )}
    </Stack>
  );
}
