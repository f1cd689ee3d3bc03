import { useEffect, useRef, useState } from 'react';
import { Alert, Button, Card, Group, SegmentedControl, Stack, Tabs, Text, Title } from '@mantine/core';
import { Network, Pencil } from 'lucide-react';
import type { ExplainedPlan } from '@shared/contract/explain';
import type { WorkspaceView } from '@shared/model/workspace';
import { presets } from '@shared/tenancy';
import { api } from '../../api';
import { EmptyState } from '../../components/EmptyState';
import type { ScreenOf } from '../../lib/screens';
import { useCall } from '../../lib/useCall';
import { useAppStore } from '../../store';
import { roleIn } from '../access';
import { ComparePanel } from './ComparePanel';
import { FleetPanel } from './FleetPanel';
import type { ShownPlan } from './format';
import { KeptPlans } from './KeptPlans';
import { shownFromKept, shownFromRun } from './kept';
import { PasteForm } from './PasteForm';
import { PlanView } from './PlanView';
import { RunForm, type RunArgs } from './RunForm';
import { useTenantChoices } from './useTenantChoices';

type Mode = 'plan' | 'compare' | 'fleet';

/** How many plans of this visit compare offers. */
const RECENT_LIMIT = 20;

function tenantKeyOf(presetName: string | undefined): string | undefined {
  return presetName ? presets[presetName]?.layout.postgres?.tenantColumn : undefined;
}

/**
 * The explain screen: run a statement for a tenant (or paste a plan, or open a kept one) and read
 * its plan as a tree with badges, tips, a node table, statistics and the raw JSON; compare two plans;
 * explain one statement across the fleet of tenants.
 */
export function ExplainScreen(params: ScreenOf<'explain'>) {
  const workspace = useAppStore((s) => s.workspaces.find((w) => w.id === (params.workspaceId ?? s.activeWorkspaceId)));
  // What the screen was opened with belongs to the workspace it was opened in; another workspace starts empty.
  const openedIn = useRef(workspace?.id);
  openedIn.current ??= workspace?.id;
  if (!workspace) {
    return (
      <EmptyState icon={<Network size={22} />} title="No workspace open">
        Plans are explained in a tenant of a workspace: open one first.
      </EmptyState>
    );
  }
  return <ExplainWorkspace key={workspace.id} workspace={workspace} params={workspace.id === openedIn.current ? params : { name: 'explain' }} />;
}

/** The screen for one workspace: its plans, comparisons and fleet job. */
function ExplainWorkspace({ workspace, params }: { workspace: WorkspaceView; params: ScreenOf<'explain'> }) {
  const workspaceId = workspace.id;
  const role = useAppStore((s) => roleIn(s, workspaceId));
  const navigate = useAppStore((s) => s.navigate);
  const { choices } = useTenantChoices(workspaceId);
  const [mode, setMode] = useState<Mode>('plan');
  const [source, setSource] = useState<string | null>('run');
  const [sourceOpen, setSourceOpen] = useState(true);
  const [current, setCurrent] = useState<ShownPlan | null>(null);
  const [recent, setRecent] = useState<ShownPlan[]>([]);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [fleetJobId, setFleetJobId] = useState<string | null>(null);
  const kept = useCall(workspaceId ? (signal) => api().explain.history({ workspaceId, limit: 200 }, { signal }) : null, [workspaceId]);
  const reloadKept = kept.reload;

  const show = (shown: ShownPlan): void => {
    setCurrent(shown);
    setRecent((list) => [shown, ...list.filter((p) => p.key !== shown.key)].slice(0, RECENT_LIMIT));
    setSourceOpen(false);
    setMode('plan');
  };

  async function run(args: RunArgs, how: { analyze: boolean; write: boolean }): Promise<void> {
    setBusy(true);
    setError(null);
    try {
      const explained: ExplainedPlan = how.write ? await api().explain.analyzeWrite(args) : await api().explain.run({ ...args, analyze: how.analyze });
      show(shownFromRun(explained, { tenantId: args.tenantId, statement: args.statement }));
      if (explained.planId) reloadKept();
    } catch (failure) {
      setError(failure instanceof Error ? failure.message : String(failure));
    } finally {
      setBusy(false);
    }
  }

  async function openKept(planId: string): Promise<void> {
    setBusy(true);
    setError(null);
    try {
      show(shownFromKept(await api().explain.plan({ workspaceId, planId })));
    } catch (failure) {
      setError(failure instanceof Error ? failure.message : String(failure));
      setMode('plan');
    } finally {
      setBusy(false);
    }
  }

  // What the screen was opened with: a kept plan, or a statement for a tenant (the workbench's Explain).
  const opened = useRef(false);
  useEffect(() => {
    if (opened.current) return;
    opened.current = true;
    if (params.planId) void openKept(params.planId);
    else if (params.statement && params.tenantId) {
      void run(
        {
          workspaceId,
          tenantId: params.tenantId,
          engine: params.engine ?? 'postgres',
          statement: params.statement,
          ...(params.collection && { collection: params.collection }),
          ...(params.operation && { operation: params.operation }),
          ...(params.index && { index: params.index }),
        },
        { analyze: true, write: false },
      );
    }
    // Only what the screen was opened with; later changes come from the forms.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [workspaceId]);

  return (
    <Stack gap="xs" p="md">
      <Group justify="space-between" wrap="nowrap">
        <Group gap="sm">
          <Title order={3}>Explain</Title>
          <Text size="sm" c="dimmed">
            {workspace.name}
          </Text>
        </Group>
        <SegmentedControl
          size="xs"
          aria-label="Explain view"
          value={mode}
          onChange={(v) => setMode(v as Mode)}
          data={[
            { value: 'plan', label: 'Plan' },
            { value: 'compare', label: 'Compare' },
            { value: 'fleet', label: 'Fleet' },
          ]}
        />
      </Group>
      {mode === 'plan' && (
        <>
          <Card withBorder padding="xs" radius="sm">
            <Group justify="space-between" wrap="nowrap" gap="xs">
              <Text size="xs" c="dimmed" truncate>
                {sourceOpen ? 'Explain a statement for a tenant, paste a plan from elsewhere, or open a kept plan.' : current ? `Showing: ${current.label}` : ''}
              </Text>
              {!sourceOpen && (
                <Button size="compact-xs" variant="default" leftSection={<Pencil size={12} />} onClick={() => setSourceOpen(true)}>
                  Change the query
                </Button>
              )}
            </Group>
            {/* Hidden, not unmounted: the forms keep what was typed. */}
            <div hidden={!sourceOpen}>
              <Tabs value={source} onChange={setSource} mt={4}>
                <Tabs.List>
                  <Tabs.Tab value="run">Run</Tabs.Tab>
                  <Tabs.Tab value="paste">Paste a plan</Tabs.Tab>
                  <Tabs.Tab value="kept">Kept plans</Tabs.Tab>
                </Tabs.List>
                <Tabs.Panel value="run" pt="xs">
                  <RunForm workspaceId={workspaceId} tenants={choices} initial={params} busy={busy} mayAnalyzeWrites={role !== 'support'} onRun={(args, how) => void run(args, how)} />
                </Tabs.Panel>
                <Tabs.Panel value="paste" pt="xs">
                  <PasteForm tenantKey={tenantKeyOf(workspace.preset)} onPlan={(explained) => show(shownFromRun(explained, {}))} />
                </Tabs.Panel>
                <Tabs.Panel value="kept" pt="xs">
                  <KeptPlans records={kept.data?.plans ?? null} error={kept.error} onOpen={(id) => void openKept(id)} />
                </Tabs.Panel>
              </Tabs>
            </div>
          </Card>
          {error && (
            <Alert color="red" variant="light" p="xs" title="No plan">
              {error}
            </Alert>
          )}
          {current ? (
            <PlanView
              key={current.key}
              shown={current}
              // The suggested DDL runs where the plan came from: a new PostgreSQL tab scoped to its tenant.
              {...(workspace.endpoints.postgres && {
                onOpenInWorkbench: (ddl: string) => navigate({ name: 'workbench', open: { engine: 'postgres', text: ddl, ...(current.tenantId && { tenantId: current.tenantId }) } }),
              })}
            />
          ) : (
            !sourceOpen || (
              <Text size="xs" c="dimmed">
                The plan is drawn here as a tree, with pev2’s badges, the advisor’s tips, a node table, statistics and the engine’s JSON.
              </Text>
            )
          )}
        </>
      )}
      {mode === 'compare' && <ComparePanel workspaceId={workspaceId} recent={recent} kept={kept.data?.plans ?? null} keptError={kept.error} />}
      {mode === 'fleet' && (
        <FleetPanel
          workspaceId={workspaceId}
          tenants={choices}
          initialStatement={current?.statement ?? recent.find((p) => p.statement !== undefined)?.statement ?? params.statement}
          jobId={fleetJobId}
          onJob={setFleetJobId}
          onOpenPlan={(planId) => void openKept(planId)}
        />
      )}
    </Stack>
  );
}
