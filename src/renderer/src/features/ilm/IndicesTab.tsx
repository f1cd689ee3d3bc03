import { useMemo, useState } from 'react';
import { Alert, Badge, Button, Checkbox, Group, Loader, Stack, Text, TextInput } from '@mantine/core';
import { Search } from 'lucide-react';
import type { IlmExplain, IndexLifecycle } from '@shared/model/ilm-views';
import { api } from '../../api';
import { DataGrid, type DataGridColumn, type SortState } from '../../components/DataGrid';
import { formatCount } from '../../lib/format';
import { PHASE_COLORS, ageText, errorText, phaseOrder } from './format';

const COLUMNS: DataGridColumn<IndexLifecycle>[] = [
  { id: 'tenant', header: 'Tenant', label: 'Tenant', width: 130, cell: (r) => <Text size="xs" ff="monospace" truncate title={r.tenantId ?? ''}>{r.tenantId ?? '—'}</Text>, sortValue: (r) => r.tenantId ?? '' },
  { id: 'index', header: 'Index', label: 'Index', cell: (r) => <Text size="xs" ff="monospace" truncate title={r.index}>{r.index}</Text>, sortValue: (r) => r.index },
  { id: 'policy', header: 'Policy', label: 'Policy', width: 140, cell: (r) => <Text size="xs" truncate>{r.managed ? r.policy : 'not managed'}</Text>, sortValue: (r) => r.policy ?? '' },
  {
    id: 'phase',
    header: 'Phase',
    label: 'Phase',
    width: 70,
    cell: (r) => (r.phase ? <Badge size="xs" variant="light" color={PHASE_COLORS[r.phase] ?? 'gray'}>{r.phase}</Badge> : null),
    sortValue: (r) => phaseOrder(r.phase),
  },
  { id: 'action', header: 'Action', label: 'Action', width: 100, cell: (r) => <Text size="xs">{r.action}</Text>, sortValue: (r) => r.action ?? '' },
  { id: 'step', header: 'Step', label: 'Step', width: 130, cell: (r) => <Text size="xs" c={r.reason ? 'red' : undefined}>{r.failedStep ? `${r.step} (${r.failedStep})` : r.step}</Text>, sortValue: (r) => r.step ?? '' },
  { id: 'age', header: 'Age', label: 'Age', width: 60, align: 'right', cell: (r) => <Text size="xs">{ageText(r.ageMs, r.age)}</Text>, sortValue: (r) => r.ageMs ?? -1 },
  { id: 'reason', header: 'Step info', label: 'Step info', width: 320, cell: (r) => <Text size="xs" c="red" truncate title={r.reason ?? ''}>{r.reason}</Text>, sortValue: (r) => r.reason ?? '' },
];

/** Each index's lifecycle, for one tenant (one request) or all (batched by tenant prefix). */
export function IndicesTab({ workspaceId }: { workspaceId: string }) {
  const [tenantId, setTenantId] = useState('');
  const [answer, setAnswer] = useState<IlmExplain | null>(null);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [filter, setFilter] = useState('');
  const [failedOnly, setFailedOnly] = useState(false);
  const [sort, setSort] = useState<SortState | null>({ column: 'tenant', direction: 'asc' });

  async function read(): Promise<void> {
    setLoading(true);
    setError(null);
    try {
      setAnswer(await api().ilm.explain({ workspaceId, ...(tenantId.trim() ? { tenantId: tenantId.trim() } : {}) }));
    } catch (failure) {
      setError(errorText(failure));
    } finally {
      setLoading(false);
    }
  }

  const rows = useMemo(() => {
    const needle = filter.trim().toLowerCase();
    return (answer?.rows ?? []).filter((r) => (!failedOnly || r.reason !== null) && (!needle || r.index.toLowerCase().includes(needle) || (r.policy ?? '').toLowerCase().includes(needle)));
  }, [answer, filter, failedOnly]);

  return (
    <Stack gap="sm">
      <Group gap="sm" component="form" onSubmit={(event) => (event.preventDefault(), void read())}>
        <TextInput size="xs" w={330} aria-label="Tenant" placeholder="tenant id (empty: every tenant)" value={tenantId} onChange={(e) => setTenantId(e.currentTarget.value)} />
        <Button size="xs" type="submit" variant="light" leftSection={<Search size={13} />} loading={loading}>
          Explain
        </Button>
        {answer && (
          <Text size="xs" c="dimmed" data-testid="explain-cost">
            {formatCount(answer.rows.length)} indices · {answer.cost.requests} requests, at most {formatCount(answer.cost.maxIndicesPerRequest)} indices each
          </Text>
        )}
      </Group>
      {error && (
        <Alert color="red" variant="light" p="xs">
          {error}
        </Alert>
      )}
      {answer?.gaps.map((gap) => (
        <Alert key={gap.patterns.join(',')} color="yellow" variant="light" p="xs">
          {gap.patterns.length} tenant prefixes could not be read: {gap.reason}
        </Alert>
      ))}
      {answer?.truncated && (
        <Alert color="yellow" variant="light" p="xs">
          More indices than one answer carries: explain one tenant to see all of its.
        </Alert>
      )}
      {loading && !answer && <Loader size="sm" />}
      {answer && (
        <>
          <Group gap="sm">
            <TextInput size="xs" w={260} aria-label="Filter indices" placeholder="filter by index or policy" value={filter} onChange={(e) => setFilter(e.currentTarget.value)} />
            <Checkbox size="xs" label="Failed steps only" checked={failedOnly} onChange={(e) => setFailedOnly(e.currentTarget.checked)} />
          </Group>
          <DataGrid
            rows={rows}
            columns={COLUMNS}
            rowKey={(r) => r.index}
            sort={sort}
            onSortChange={setSort}
            label="Index lifecycles"
            height={440}
            empty={<Text size="xs" c="dimmed">No index matches.</Text>}
          />
        </>
      )}
    </Stack>
  );
}
