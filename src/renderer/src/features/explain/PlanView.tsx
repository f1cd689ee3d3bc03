import { useMemo, useState } from 'react';
import { Alert, Badge, Group, ScrollArea, Tabs, Text } from '@mantine/core';
import { walkPlan, type PlanNode } from '@shared/explain';
import { PlanTree, PlanViewport } from '../../components/PlanTree';
import { formatMs } from './format';
import type { ShownPlan } from './format';
import { NodeDetails } from './NodeDetails';
import { NodeTable } from './NodeTable';
import { RawJson } from './RawJson';
import { StatisticsView } from './StatisticsView';
import { TipsView } from './TipsView';

const PANEL_HEIGHT = 'calc(100vh - 250px)';

/** Every node by id, folded partition members included, for a row or a tip to select. */
function nodesById(root: PlanNode): Map<string, PlanNode> {
  const byId = new Map<string, PlanNode>();
  walkPlan(root, (n) => {
    byId.set(n.id, n);
    if (n.group) for (const m of n.group.members) walkPlan(m, (x) => byId.set(x.id, x));
  });
  return byId;
}

/**
 * One plan: the tree on the left (pan, zoom, partition groups that open in place), and beside it
 * the clicked node, the tips, the node table, statistics and the engine's JSON.
 */
export function PlanView({ shown, onOpenInWorkbench }: { shown: ShownPlan; onOpenInWorkbench?: (ddl: string) => void }) {
  const { plan, tips, raw } = shown.explained;
  const byId = useMemo(() => nodesById(plan.root), [plan]);
  const [selected, setSelected] = useState<PlanNode | null>(null);
  const [tab, setTab] = useState<string | null>(tips.length > 0 ? 'tips' : 'node');
  const select = (node: PlanNode | undefined): void => {
    if (!node) return;
    setSelected(node);
    setTab('node');
  };

  return (
    // The node table has a dozen figures per row: it takes the larger side while it is shown.
    <div style={{ display: 'grid', gridTemplateColumns: tab === 'table' ? 'minmax(0, 2fr) minmax(360px, 3fr)' : 'minmax(0, 3fr) minmax(360px, 2fr)', gap: 12 }}>
      <div style={{ minWidth: 0 }}>
        <Group gap="xs" mb={6} wrap="wrap">
          <Badge variant="light" color={plan.analyzed ? 'teal' : 'gray'}>
            {plan.analyzed ? 'analysed' : 'estimated'}
          </Badge>
          <Text size="xs" c="dimmed" data-testid="plan-summary">
            {[
              plan.executionMs !== undefined && `execution ${formatMs(plan.executionMs)}`,
              plan.planningMs !== undefined && `planning ${formatMs(plan.planningMs)}`,
              plan.jit && `JIT ${formatMs(plan.jit.totalMs)}`,
              plan.namespace,
              `${byId.size.toLocaleString('en')} node${byId.size === 1 ? '' : 's'}`,
            ]
              .filter(Boolean)
              .join(' · ')}
          </Text>
        </Group>
        {(plan.notes ?? []).map((note) => (
          <Alert key={note} color="yellow" variant="light" p={6} mb={6}>
            <Text size="xs">{note}</Text>
          </Alert>
        ))}
        <PlanViewport height={PANEL_HEIGHT} label="Plan drawing">
          <PlanTree plan={plan} selectedId={selected?.id} onSelect={select} />
        </PlanViewport>
      </div>
      <Tabs value={tab} onChange={setTab} keepMounted={false} style={{ minWidth: 0 }}>
        <Tabs.List>
          <Tabs.Tab value="node">Node</Tabs.Tab>
          <Tabs.Tab value="tips" rightSection={tips.length > 0 ? <Badge size="xs" circle>{tips.length}</Badge> : null}>
            Tips
          </Tabs.Tab>
          <Tabs.Tab value="table">Table</Tabs.Tab>
          <Tabs.Tab value="statistics">Statistics</Tabs.Tab>
          <Tabs.Tab value="json">JSON</Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="node" pt="xs">
          <ScrollArea h={PANEL_HEIGHT}>
            {selected ? (
              <NodeDetails plan={plan} node={selected} />
            ) : (
              <Text size="sm" c="dimmed" p="sm">
                Click a node in the tree, a row of the table or a tip’s “Show the node” to see all it says.
              </Text>
            )}
          </ScrollArea>
        </Tabs.Panel>
        <Tabs.Panel value="tips" pt="xs">
          <ScrollArea h={PANEL_HEIGHT}>
            <TipsView tips={tips} onShowNode={(id) => select(byId.get(id))} {...(onOpenInWorkbench && { onOpenInWorkbench })} />
          </ScrollArea>
        </Tabs.Panel>
        <Tabs.Panel value="table" pt="xs">
          <NodeTable plan={plan} selectedId={selected?.id} onSelect={(id) => select(byId.get(id))} height={PANEL_HEIGHT} />
        </Tabs.Panel>
        <Tabs.Panel value="statistics" pt="xs">
          <ScrollArea h={PANEL_HEIGHT}>
            <StatisticsView plan={plan} />
          </ScrollArea>
        </Tabs.Panel>
        <Tabs.Panel value="json" pt="xs">
          <RawJson raw={raw} height={PANEL_HEIGHT} />
        </Tabs.Panel>
      </Tabs>
    </div>
  );
}
