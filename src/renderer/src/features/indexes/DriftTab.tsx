import { useState } from 'react';
import { Accordion, Alert, Anchor, Badge, Button, Code, Group, Stack, Text } from '@mantine/core';
import { GitCompare, ListChecks } from 'lucide-react';
import type { DriftGroup, DriftReport, FixPlan } from '@shared/model/indexes';
import { api } from '../../api';
import { ApplyFix } from './ApplyFix';
import { FixPlanView } from './FixPlanView';
import { driftGroupLabel, targetOf, type TargetChoice, type TenantTarget } from './indexes-state';
import { TargetPicker } from './TargetPicker';

interface DriftTabProps {
  workspaceId: string;
  /** Support sees drift and the plan, never applies it. */
  mayChange: boolean;
  prodLocked: boolean;
  onOpenTable(tenantId: string, table: string): void;
}

const errorText = (failure: unknown): string => (failure instanceof Error ? failure.message : String(failure));

function GroupPanel({ group, onOpenTable }: { group: DriftGroup; onOpenTable(tenantId: string, table: string): void }) {
  return (
    <Stack gap={6}>
      {group.differences.length > 0 && (
        <Text size="xs">
          Differs in: <b>{group.differences.join(', ')}</b>
        </Text>
      )}
      <Group gap="md" align="flex-start" grow>
        <Stack gap={2}>
          <Text size="xs" c="dimmed">
            Blueprint{group.source ? ` (${group.source})` : ''}
          </Text>
          <Code block fz="xs">
            {group.expected ?? '— (not in the blueprint)'}
          </Code>
        </Stack>
        <Stack gap={2}>
          <Text size="xs" c="dimmed">
            These tenants have
          </Text>
          <Code block fz="xs">
            {group.actual ?? '— (missing)'}
          </Code>
        </Stack>
      </Group>
      <Text size="xs" component="div">
        <Text span size="xs" c="dimmed">
          Tenants:{' '}
        </Text>
        {group.tenantIds.map((id, index) => (
          <span key={id}>
            {index > 0 && ', '}
            <Anchor size="xs" component="button" type="button" onClick={() => onOpenTable(id, group.table)}>
              {id}
            </Anchor>
          </span>
        ))}
        {group.tenantCount > group.tenantIds.length ? ` … and ${group.tenantCount - group.tenantIds.length} more` : ''}
      </Text>
    </Stack>
  );
}

/** Blueprint drift for one tenant, a selection or all of them; then the plan, then the fix as a job. */
export function DriftTab({ workspaceId, mayChange, prodLocked, onOpenTable }: DriftTabProps) {
  const [choice, setChoice] = useState<TargetChoice>({ mode: 'all' });
  const [report, setReport] = useState<{ target: TenantTarget; drift: DriftReport } | null>(null);
  const [plan, setPlan] = useState<FixPlan | null>(null);
  const [busy, setBusy] = useState<'drift' | 'plan' | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [runs, setRuns] = useState(0);
  const target = targetOf(choice);

  async function runDrift(on: TenantTarget | null = target): Promise<void> {
    if (!on) return;
    setBusy('drift');
    setError(null);
    setPlan(null);
    try {
      const drift = await api().indexes.drift({ workspaceId, ...on });
      setReport({ target: on, drift });
      setRuns((n) => n + 1);
    } catch (failure) {
      setError(errorText(failure));
    } finally {
      setBusy(null);
    }
  }

  async function runPlan(): Promise<void> {
    if (!report) return;
    setBusy('plan');
    setError(null);
    try {
      setPlan(await api().indexes.fixPlan({ workspaceId, ...report.target }));
    } catch (failure) {
      setError(errorText(failure));
    } finally {
      setBusy(null);
    }
  }

  const drift = report?.drift;
  return (
    <Stack gap="sm">
      <Group gap="sm" wrap="nowrap">
        <TargetPicker workspaceId={workspaceId} choice={choice} onChange={setChoice} />
        <Button size="xs" leftSection={<GitCompare size={13} />} disabled={!target} loading={busy === 'drift'} onClick={() => void runDrift()}>
          Run drift
        </Button>
      </Group>
      {error && (
        <Alert color="red" variant="light" p="xs" title="Not done">
          {error}
        </Alert>
      )}
      {drift && (
        <Stack gap="xs" data-testid="drift-report" data-run={runs}>
          <Group gap="sm">
            <Text size="sm" fw={600} data-testid="drift-summary">
              {drift.groups.length === 0
                ? `No drift: ${drift.comparedTenants} tenant(s) match the blueprint.`
                : `${drift.groups.length} finding(s) · ${drift.comparedTenants - drift.cleanTenants} of ${drift.comparedTenants} tenants differ from the blueprint`}
            </Text>
            {drift.missingTenants.length > 0 && (
              <Badge size="sm" color="gray" variant="light" title={drift.missingTenants.join(', ')}>
                {drift.missingTenants.length} without a schema
              </Badge>
            )}
          </Group>
          {drift.busyTenants.length > 0 && (
            <Alert color="orange" variant="light" p="xs" title={`${drift.busyTenants.length} busy tenant(s) left out`}>
              Another session held or waited for an ACCESS EXCLUSIVE lock on their tables: {drift.busyTenants.join(', ')}
            </Alert>
          )}
          {drift.groups.length > 0 && (
            <Accordion multiple variant="separated" chevronPosition="left">
              {drift.groups.map((group) => (
                <Accordion.Item key={group.key} value={group.key} data-drift-group={group.key}>
                  <Accordion.Control py={4}>
                    <Group gap="xs" wrap="nowrap">
                      <Badge size="xs" variant="light" color={group.change === 'missing' ? 'red' : group.change === 'different' ? 'yellow' : 'gray'}>
                        {group.object.replaceAll('_', ' ')}
                      </Badge>
                      <Text size="sm">{driftGroupLabel(group)}</Text>
                    </Group>
                  </Accordion.Control>
                  <Accordion.Panel>
                    <GroupPanel group={group} onOpenTable={onOpenTable} />
                  </Accordion.Panel>
                </Accordion.Item>
              ))}
            </Accordion>
          )}
          {drift.groups.length > 0 && (
            <Group>
              <Button size="xs" variant="light" leftSection={<ListChecks size={13} />} loading={busy === 'plan'} onClick={() => void runPlan()}>
                Plan the fix
              </Button>
            </Group>
          )}
          {plan && <FixPlanView plan={plan} />}
          {plan && report && mayChange && plan.tenantCount > 0 && (
            <ApplyFix workspaceId={workspaceId} target={report.target} prodLocked={prodLocked} onDriftAgain={() => void runDrift(report.target)} />
          )}
        </Stack>
      )}
    </Stack>
  );
}
