import { useEffect, useMemo, useState } from 'react';
import { Alert, Badge, Group, Select, Stack, Switch, Table, Text } from '@mantine/core';
import { GitCompare } from 'lucide-react';
import type { PlanRecord } from '@shared/contract/explain';
import { comparePlans, type NodeDelta } from '@shared/explain';
import type { Change } from '@shared/explain/compare';
import { api } from '../../api';
import { EmptyState } from '../../components/EmptyState';
import { useCall } from '../../lib/useCall';
import { PlanTree, PlanViewport } from '../../components/PlanTree';
import { formatDelta, formatMs, formatRows, labelOfRecord, type ShownPlan } from './format';
import { shownFromKept } from './kept';

export interface ComparePanelProps {
  workspaceId: string;
  /** Plans on screen in this visit, newest first. */
  recent: ShownPlan[];
  /** Kept plans of the workspace (explain.history), newest first; null while unknown. */
  kept: PlanRecord[] | null;
  keptError: string | null;
}

function deltaColor(change: Change): string | undefined {
  if (change.delta === undefined || change.delta === 0 || change.before === undefined) return undefined;
  return change.delta < 0 ? 'teal' : 'red';
}

function DeltaCell({ change, unit }: { change: Change; unit: (n: number) => string }) {
  const share = change.before && change.delta ? (Math.abs(change.delta) / change.before) * 100 : 0;
  // 99.7 % faster is not "100 %": the last step to zero is shown with its decimal.
  const pct = share > 0 ? ` (${change.delta! > 0 ? '+' : '−'}${share >= 99.5 && share < 100 ? share.toFixed(1) : Math.round(share)} %)` : '';
  return (
    <Table.Td ta="right" c={deltaColor(change)} style={{ whiteSpace: 'nowrap' }}>
      {formatDelta(change.delta, unit)}
      {pct}
    </Table.Td>
  );
}

const ms = (n: number): string => formatMs(n);
const rows = (n: number): string => formatRows(n);

/**
 * Two plans of one query side by side, before and after an index for example: both trees, the
 * totals, and every matched node with its change in time, rows and buffers.
 */
export function ComparePanel({ workspaceId, recent, kept, keptError }: ComparePanelProps) {
  const [loaded, setLoaded] = useState<Map<string, ShownPlan>>(() => new Map());
  const [beforeKey, setBeforeKey] = useState<string | null>(recent[1]?.key ?? null);
  const [afterKey, setAfterKey] = useState<string | null>(recent[0]?.key ?? null);
  const [error, setError] = useState<string | null>(null);
  const [selected, setSelected] = useState<NodeDelta | null>(null);

  const [sameQuery, setSameQuery] = useState(false);
  // The record of the plan chosen first, when it is kept: its fingerprint finds the earlier runs of the same query.
  const beforeRecord = beforeKey?.startsWith('kept:') ? kept?.find((r) => r.id === beforeKey.slice(5)) : undefined;
  const sameQueryPlans = useCall(
    sameQuery && beforeRecord
      ? (signal) =>
          api().explain.history(
            { workspaceId, fingerprint: beforeRecord.fingerprint, ...(beforeRecord.tenantId !== null && { tenantId: beforeRecord.tenantId }), limit: 200 },
            { signal },
          )
      : null,
    [sameQuery, beforeRecord?.id, workspaceId],
  );

  const options = useMemo(() => {
    if (sameQuery && sameQueryPlans.data) return sameQueryPlans.data.plans.map((r) => ({ value: `kept:${r.id}`, label: labelOfRecord(r) }));
    const seen = new Set<string>();
    const out: { value: string; label: string }[] = [];
    for (const p of recent) {
      seen.add(p.key);
      out.push({ value: p.key, label: p.label });
    }
    for (const r of kept ?? []) if (!seen.has(`kept:${r.id}`)) out.push({ value: `kept:${r.id}`, label: labelOfRecord(r) });
    return out;
  }, [recent, kept, sameQuery, sameQueryPlans.data]);

  // A kept plan not drawn in this visit is read when chosen.
  useEffect(() => {
    const controller = new AbortController();
    for (const key of [beforeKey, afterKey]) {
      if (!key?.startsWith('kept:') || recent.some((p) => p.key === key) || loaded.has(key)) continue;
      api()
        .explain.plan({ workspaceId, planId: key.slice(5) }, { signal: controller.signal })
        .then(
          (result) => setLoaded((m) => new Map(m).set(key, shownFromKept(result))),
          (failure: unknown) => {
            if (!controller.signal.aborted) setError(failure instanceof Error ? failure.message : String(failure));
          },
        );
    }
    return () => controller.abort();
  }, [beforeKey, afterKey, recent, loaded, workspaceId]);

  const find = (key: string | null): ShownPlan | undefined => (key ? (recent.find((p) => p.key === key) ?? loaded.get(key)) : undefined);
  const before = find(beforeKey);
  const after = find(afterKey);
  const comparison = useMemo(() => (before && after ? comparePlans(before.explained.plan, after.explained.plan) : null), [before, after]);

  return (
    <Stack gap="sm">
      <Group gap="xs" align="flex-end" wrap="nowrap">
        <Select label="Before" size="xs" data={options} value={beforeKey} onChange={setBeforeKey} searchable placeholder="A plan" style={{ flex: 1 }} />
        <Select label="After" size="xs" data={options} value={afterKey} onChange={setAfterKey} searchable placeholder="A plan" style={{ flex: 1 }} />
      </Group>
      <Switch
        size="xs"
        label="Only runs of the same query for the same tenant"
        description={sameQuery && !beforeRecord ? 'Choose a kept plan as Before: its query and tenant are what the others are matched by.' : undefined}
        checked={sameQuery}
        onChange={(e) => setSameQuery(e.currentTarget.checked)}
      />
      {keptError && (
        <Text size="xs" c="dimmed">
          Kept plans could not be listed ({keptError}); the plans of this visit can be compared.
        </Text>
      )}
      {error && (
        <Alert color="red" variant="light" p="xs">
          {error}
        </Alert>
      )}
      {!comparison || !before || !after ? (
        <EmptyState icon={<GitCompare size={22} />} title="Choose two plans">
          Explain a query, change something (an index, fresh statistics), explain it again: the two runs are offered here, and so are the workspace’s kept plans.
        </EmptyState>
      ) : (
        <>
          <Table fz="xs" verticalSpacing={3} w="auto" aria-label="Totals compared">
            <Table.Thead>
              <Table.Tr>
                <Table.Th />
                <Table.Th ta="right">Before</Table.Th>
                <Table.Th ta="right">After</Table.Th>
                <Table.Th ta="right">Change</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {(
                [
                  ['Execution', comparison.executionMs],
                  ['Planning', comparison.planningMs],
                ] as const
              ).map(([label, change]) => (
                <Table.Tr key={label}>
                  <Table.Td>{label}</Table.Td>
                  <Table.Td ta="right">{formatMs(change.before)}</Table.Td>
                  <Table.Td ta="right">{formatMs(change.after)}</Table.Td>
                  <DeltaCell change={change} unit={ms} />
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
          <div style={{ display: 'grid', gridTemplateColumns: '1fr 1fr', gap: 12 }}>
            {[before, after].map((p, i) => (
              <div key={`${i}-${p.key}`} style={{ minWidth: 0 }}>
                <Text size="xs" c="dimmed" mb={4} truncate>
                  {i === 0 ? 'Before' : 'After'}: {p.label}
                </Text>
                <PlanViewport height={300} label={i === 0 ? 'Plan before' : 'Plan after'}>
                  <PlanTree plan={p.explained.plan} selectedId={i === 0 ? selected?.before.id : selected?.after.id} />
                </PlanViewport>
              </div>
            ))}
          </div>
          <Table fz="xs" verticalSpacing={3} striped highlightOnHover aria-label="Matched nodes">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Before</Table.Th>
                <Table.Th>After</Table.Th>
                <Table.Th ta="right">Self time</Table.Th>
                <Table.Th ta="right">Change</Table.Th>
                <Table.Th ta="right">Rows</Table.Th>
                <Table.Th ta="right">Change</Table.Th>
                <Table.Th ta="right">Shared blocks</Table.Th>
                <Table.Th ta="right">Temp blocks</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {comparison.matched.map((d) => (
                <Table.Tr
                  key={`${d.before.id}>${d.after.id}`}
                  data-match={`${d.before.id}>${d.after.id}`}
                  onClick={() => setSelected(d)}
                  style={{ cursor: 'pointer' }}
                  bg={selected === d ? 'var(--mantine-primary-color-light)' : undefined}
                >
                  <Table.Td>{[d.before.operation, d.before.target].filter(Boolean).join(' on ')}</Table.Td>
                  <Table.Td>
                    {d.after.operation !== d.before.operation ? (
                      <Badge size="xs" variant="light" mr={4}>
                        changed
                      </Badge>
                    ) : null}
                    {[d.after.operation, d.after.target].filter(Boolean).join(' on ')}
                  </Table.Td>
                  <Table.Td ta="right" style={{ whiteSpace: 'nowrap' }}>
                    {formatMs(d.timeSelfMs.before)} → {formatMs(d.timeSelfMs.after)}
                  </Table.Td>
                  <DeltaCell change={d.timeSelfMs} unit={ms} />
                  <Table.Td ta="right" style={{ whiteSpace: 'nowrap' }}>
                    {formatRows(d.rows.before)} → {formatRows(d.rows.after)}
                  </Table.Td>
                  <DeltaCell change={d.rows} unit={rows} />
                  <DeltaCell change={d.sharedBlocks} unit={rows} />
                  <DeltaCell change={d.tempBlocks} unit={rows} />
                </Table.Tr>
              ))}
              {comparison.onlyBefore.map((n) => (
                <Table.Tr key={`before-${n.id}`} data-only="before">
                  <Table.Td>{[n.operation, n.target].filter(Boolean).join(' on ')}</Table.Td>
                  <Table.Td c="dimmed" colSpan={7}>
                    gone
                  </Table.Td>
                </Table.Tr>
              ))}
              {comparison.onlyAfter.map((n) => (
                <Table.Tr key={`after-${n.id}`} data-only="after">
                  <Table.Td c="dimmed">new</Table.Td>
                  <Table.Td colSpan={7}>{[n.operation, n.target].filter(Boolean).join(' on ')}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </>
      )}
    </Stack>
  );
}
