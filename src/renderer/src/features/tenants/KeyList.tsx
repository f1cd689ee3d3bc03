import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { Badge, Button, Group, Stack, Text } from '@mantine/core';
import type { ListedKey } from '@shared/contract/tenants';
import { api } from '../../api';
import { DataGrid, type DataGridColumn, type SortState } from '../../components/DataGrid';
import { formatTtl } from '../../lib/format';

/** SCAN may answer a page with few or no matching keys; keep walking until a screenful or the end. */
const WANTED = 200;
const MAX_CALLS_PER_PAGE = 25;

/**
 * The key without the tenant's prefix, which every row shares. The name is as the main process sent
 * it: masked where part of it is a credential (`session:••••`), so rows are told apart by their ref.
 */
function keyColumn(tenantId: string): DataGridColumn<ListedKey> {
  const prefix = `${tenantId}:`;
  return {
    id: 'key',
    label: 'Key',
    header: 'Key',
    cell: (k) => (
      <Text span size="xs" ff="monospace" title={k.key}>
        {k.key.startsWith(prefix) ? k.key.slice(prefix.length) : k.key}
      </Text>
    ),
    sortValue: (k) => k.key,
  };
}

const otherColumns: DataGridColumn<ListedKey>[] = [
  { id: 'family', label: 'Family', header: 'Family', width: 110, cell: (k) => k.family, sortValue: (k) => k.family },
  { id: 'type', label: 'Type', header: 'Type', width: 70, cell: (k) => <Badge size="xs" variant="light">{k.type}</Badge>, sortValue: (k) => k.type },
  { id: 'ttl', label: 'TTL', header: 'TTL', width: 80, align: 'right', cell: (k) => formatTtl(k.ttlMs), sortValue: (k) => k.ttlMs },
];

export interface KeyListProps {
  workspaceId: string;
  tenantId: string;
  family: string | null;
  /** The keyRef of the key shown. */
  selected: string | null;
  onSelect(key: ListedKey): void;
  /** Lists the keys again when it changes (after an unmask of key names). */
  reloadToken?: number;
  /** Told how many keys are listed after each page, and whether the walk reached the end. */
  onListed?(count: number, complete: boolean): void;
}

/** A tenant's keys (of one family, or all), page by page from the server's SCAN cursor. */
export function KeyList(props: KeyListProps) {
  const { workspaceId, tenantId, family, reloadToken, onListed } = props;
  const [keys, setKeys] = useState<ListedKey[]>([]);
  const [revision, setRevision] = useState(0);
  const [cursor, setCursor] = useState<string>('0');
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [sort, setSort] = useState<SortState | null>(null);
  const controller = useRef<AbortController | null>(null);
  const rows = useRef<ListedKey[]>([]);
  // SCAN may return a key twice (while the server rehashes): each key is one row and counted once.
  const listed = useRef(new Set<string>());
  const columns = useMemo(() => [keyColumn(tenantId), ...otherColumns], [tenantId]);

  const loadMore = useCallback(
    async (from: string) => {
      controller.current?.abort();
      const own = new AbortController();
      controller.current = own;
      setLoading(true);
      setError(null);
      let next = from;
      let found = 0;
      try {
        for (let calls = 0; calls < MAX_CALLS_PER_PAGE; calls++) {
          const page = await api().tenants.keys({ workspaceId, tenantId, cursor: next, ...(family && { family }) }, { signal: own.signal });
          if (own.signal.aborted) return;
          // Appended in place: the grid reads the same array and redraws on the revision.
          for (const key of page.keys) {
            if (listed.current.has(key.keyRef)) continue;
            listed.current.add(key.keyRef);
            rows.current.push(key);
            found += 1;
          }
          next = page.cursor;
          setRevision((n) => n + 1);
          if (next === '0' || found >= WANTED) break;
        }
        setCursor(next);
        onListed?.(rows.current.length, next === '0');
      } catch (failure) {
        if (!own.signal.aborted) setError(failure instanceof Error ? failure.message : String(failure));
      } finally {
        if (!own.signal.aborted) setLoading(false);
      }
    },
    // The token is an input of the listing: a new one lists again.
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [workspaceId, tenantId, family, reloadToken, onListed],
  );

  useEffect(() => {
    rows.current = [];
    listed.current = new Set();
    setKeys(rows.current);
    setCursor('0');
    void loadMore('0');
    return () => controller.current?.abort();
  }, [loadMore]);

  return (
    <Stack gap={6}>
      <DataGrid
        label="Redis keys"
        rows={keys}
        revision={revision}
        columns={columns}
        rowKey={(k) => k.keyRef}
        sort={sort}
        onSortChange={setSort}
        onRowClick={(k) => props.onSelect(k)}
        selectedKey={props.selected}
        height={340}
        rowHeight={26}
        empty={
          !loading && (
            <Text size="xs" c="dimmed" p="sm">
              No keys{family ? ` in ${family}` : ''} for this tenant.
            </Text>
          )
        }
      />
      <Group justify="space-between">
        <Text size="xs" c="dimmed">
          {keys.length} keys{cursor === '0' && !loading ? ', all listed' : ''}
          {error && ` · ${error}`}
        </Text>
        {cursor !== '0' && (
          <Button size="compact-xs" variant="default" loading={loading} onClick={() => void loadMore(cursor)}>
            More keys
          </Button>
        )}
      </Group>
    </Stack>
  );
}
